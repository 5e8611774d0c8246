package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helpers: make clips with the real ffmpeg, inspect outputs with the real ffprobe. Public (and
 * in this module's test jar) for the integration tests that check what the running service made.
 */
public final class Media {

  public static final FfmpegPaths PATHS = FfmpegPaths.fromEnvironment();

  private Media() {}

  /** Runs ffmpeg with the given arguments (after the common flags) and checks it succeeded. */
  public static void ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PATHS.ffmpeg().toString());
    cmd.addAll(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    assertThat(r.exit).as("ffmpeg %s\n%s", String.join(" ", args), r.err).isZero();
  }

  /** ffprobe's csv output lines. */
  public static List<String> ffprobe(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PATHS.ffprobe().toString());
    cmd.addAll(List.of("-hide_banner", "-v", "error"));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    assertThat(r.exit).as("ffprobe %s\n%s", String.join(" ", args), r.err).isZero();
    return r.out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /**
   * A test clip: testsrc2 (or another lavfi source) at the given size, 30 fps, H.264 ultrafast,
   * with a 440 Hz tone when {@code audio}.
   */
  static Path clip(
      Path dir, String name, String source, int w, int h, double seconds, boolean audio)
      throws IOException, InterruptedException {
    Path out = dir.resolve(name);
    List<String> a = new ArrayList<>();
    a.addAll(List.of("-f", "lavfi", "-i", source + "=size=" + w + "x" + h + ":rate=30"));
    if (audio) {
      a.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
    }
    a.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
    if (audio) {
      a.addAll(List.of("-c:a", "aac", "-b:a", "64k"));
    }
    a.addAll(List.of("-t", Double.toString(seconds), out.toString()));
    ffmpeg(a.toArray(String[]::new));
    return out;
  }

  /** Video width and height of the first video stream of a file. */
  public static int[] videoSize(Path file) throws IOException, InterruptedException {
    String line =
        ffprobe(
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=width,height",
                "-of",
                "csv=p=0",
                file.toString())
            .get(0);
    String[] p = line.split(",");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
  }

  /** A file's duration in seconds, from its container. */
  public static double seconds(Path file) throws IOException, InterruptedException {
    return Double.parseDouble(
        ffprobe("-show_entries", "format=duration", "-of", "csv=p=0", file.toString()).get(0));
  }

  /**
   * A clip of the lavfi picture {@code video} with a sine tone of {@code hz} (AAC), H.264
   * ultrafast; with {@code rotated}, rotation metadata of 90° as a phone writes it.
   */
  public static Path tone(Path out, String video, int hz, double seconds, boolean rotated)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-f",
                "lavfi",
                "-i",
                video,
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=" + hz + ":sample_rate=44100",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "96k",
                "-t",
                Double.toString(seconds)));
    Path coded = rotated ? out.resolveSibling("coded-" + out.getFileName()) : out;
    args.add(coded.toString());
    ffmpeg(args.toArray(String[]::new));
    if (rotated) {
      // rotation metadata is set when remuxing (as a phone writes it)
      ffmpeg("-i", coded.toString(), "-c", "copy", "-metadata:s:v", "rotate=90", out.toString());
    }
    return out;
  }

  private static final Pattern MEAN = Pattern.compile("mean_volume: (-?[0-9.]+|-inf) dB");

  /** Mean level (dB) of the {@code hz} band between {@code from} and {@code to} seconds. */
  public static double band(Path media, double from, double to, int hz) throws Exception {
    String q = "bandpass=f=" + hz + ":width_type=q:w=5";
    Process p =
        new ProcessBuilder(
                Media.PATHS.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-ss",
                Double.toString(from),
                "-t",
                Double.toString(to - from),
                "-i",
                media.toString(),
                "-vn",
                "-af",
                q + "," + q + ",volumedetect",
                "-f",
                "null",
                "-")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(false)
            .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = MEAN.matcher(err);
    assertThat(m.find()).as(err).isTrue();
    return m.group(1).equals("-inf") ? -200 : Double.parseDouble(m.group(1));
  }

  /** codec_type of every stream in a file (MPEG-TS lists streams under programs too). */
  static List<String> streamTypes(Path file) throws IOException, InterruptedException {
    return ffprobe("-show_entries", "stream=index,codec_type", "-of", "csv=p=0", file.toString())
        .stream()
        .distinct()
        .map(l -> l.substring(l.indexOf(',') + 1))
        .toList();
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile("media-test", ".out");
    Path err = Files.createTempFile("media-test", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
