package io.flick.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk run (C, outside the JVM, installed by {@code scripts/install-deps.sh --bench}): its
 * requests/s, median and p99 latency in ms, and its whole output (a Lua script's {@code done} hook
 * prints there).
 */
public record WrkRun(double rps, double p50, double p99, String output) {

  /** Runs wrk against {@code url}, with the Lua {@code script} when not null. */
  public static WrkRun run(
      String url, Path script, int seconds, int connections, int threads, Duration timeout)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + seconds + "s",
                "--latency",
                "--timeout",
                timeout.toSeconds() + "s"));
    if (script != null) {
      cmd.add("-s");
      cmd.add(script.toString());
    }
    cmd.add(url);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    Matcher p50 = Pattern.compile("50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    Matcher p99 = Pattern.compile("99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!rps.find() || !p50.find() || !p99.find()) {
      throw new IllegalStateException("unreadable wrk output:\n" + out);
    }
    return new WrkRun(Double.parseDouble(rps.group(1)), millis(p50), millis(p99), out);
  }

  private static double millis(Matcher m) {
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
