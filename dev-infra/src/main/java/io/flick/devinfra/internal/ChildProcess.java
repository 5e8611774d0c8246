package io.flick.devinfra.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A server process dev-infra started: output appended to its log, pid recorded in a pid file. */
public final class ChildProcess {
  private final String name;
  private final Process process;
  private final Path log;
  private final Path pidFile;

  private ChildProcess(String name, Process process, Path log, Path pidFile) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.pidFile = pidFile;
  }

  /**
   * Starts {@code command} with stdout and stderr appended to {@code log}; a header line with the
   * time and {@code description} is written first. When {@code pidFile} is not null the pid goes
   * there.
   */
  public static ChildProcess launch(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> environment,
      Path log,
      Path pidFile,
      String description)
      throws IOException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "==== "
            + OffsetDateTime.now()
            + " flick dev-infra starts "
            + name
            + ": "
            + description
            + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(environment);
    Process process = pb.start();
    if (pidFile != null) {
      Files.createDirectories(pidFile.getParent());
      Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
    }
    return new ChildProcess(name, process, log, pidFile);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, up to {@code grace} for the server to exit, then SIGKILL. Removes the pid file. Safe
   * to call more than once.
   */
  public void stop(Duration grace) {
    terminate(process.toHandle(), grace);
    if (pidFile != null) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException ignored) {
        // best effort; a stale pid file is checked against the live process on the next start
      }
    }
  }

  /** SIGTERM to a process and its descendants, wait up to grace, then SIGKILL. */
  public static void terminate(ProcessHandle handle, Duration grace) {
    List<ProcessHandle> descendants = new ArrayList<>(handle.descendants().toList());
    if (handle.isAlive()) {
      handle.destroy();
      try {
        handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception timeoutOrFailure) {
        // escalate below
      }
      if (handle.isAlive()) {
        handle.destroyForcibly();
        try {
          handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // nothing more we can do
        }
      }
    }
    for (ProcessHandle d : descendants) {
      if (d.isAlive()) {
        d.destroyForcibly();
      }
    }
  }

  /** The last {@code n} lines of a log file (each cut to 400 characters); "" when unreadable. */
  public static String tail(Path file, int n) {
    if (file == null || !Files.isRegularFile(file)) {
      return "";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long len = raf.length();
      int chunk = (int) Math.min(len, 64 * 1024);
      byte[] bytes = new byte[chunk];
      raf.seek(len - chunk);
      raf.readFully(bytes);
      List<String> lines =
          new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
      if (chunk < len && !lines.isEmpty()) {
        lines.remove(0); // partial first line
      }
      List<String> last = lines.subList(Math.max(0, lines.size() - n), lines.size());
      StringBuilder sb = new StringBuilder();
      for (String line : last) {
        sb.append(line.length() > 400 ? line.substring(0, 400) + " [...]" : line).append('\n');
      }
      return sb.toString();
    } catch (IOException e) {
      return "(log unreadable: " + e + ")\n";
    }
  }

  /**
   * Kills what a pid file names if that process still runs and belongs to {@code dataDir} (its
   * command line names the folder or it runs in it): a previous run that was killed left it behind.
   * Removes the pid file.
   */
  public static void killStale(
      Path pidFile, Path dataDir, Duration grace, Consumer<String> progress) {
    try {
      String text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
      long pid = Long.parseLong(text.split("\\s+")[0]);
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isPresent() && handle.get().isAlive() && belongsTo(handle.get(), dataDir)) {
        String file = pidFile.getFileName().toString();
        progress.accept(
            String.format(
                "%-10s stopping pid %d left over from an earlier run on %s",
                file.substring(0, file.length() - ".pid".length()), pid, dataDir));
        terminate(handle.get(), grace);
      }
    } catch (IOException | RuntimeException ignored) {
      // unreadable or garbage: nothing to kill
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException ignored) {
      // best effort
    }
  }

  static boolean belongsTo(ProcessHandle handle, Path dataDir) {
    String dir = dataDir.toString();
    Path proc = Path.of("/proc", Long.toString(handle.pid()));
    try {
      byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
      String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
      if (cmdline.contains(dir)) {
        return true;
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux or not readable: fall through
    }
    try {
      Path cwd = Files.readSymbolicLink(proc.resolve("cwd"));
      if (cwd.startsWith(dataDir)) {
        return true;
      }
    } catch (IOException | RuntimeException ignored) {
      // fall through
    }
    return handle.info().commandLine().map(c -> c.contains(dir)).orElse(false);
  }
}
