package io.flick.transcode.media;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the ffmpeg and ffprobe executables are. The media classes take these paths in their
 * constructors and never search {@code PATH} themselves.
 *
 * @param ffmpeg the ffmpeg executable (absolute path, or a bare name resolved by the OS)
 * @param ffprobe the ffprobe executable
 */
public record FfmpegPaths(Path ffmpeg, Path ffprobe) {

  /** Environment variable naming the ffmpeg executable. */
  public static final String FFMPEG_ENV = "FLICK_FFMPEG";

  /** Environment variable naming the ffprobe executable. */
  public static final String FFPROBE_ENV = "FLICK_FFPROBE";

  public FfmpegPaths {
    Objects.requireNonNull(ffmpeg, "ffmpeg");
    Objects.requireNonNull(ffprobe, "ffprobe");
  }

  /**
   * Reads {@value #FFMPEG_ENV} and {@value #FFPROBE_ENV}; where one is unset, the bare name ({@code
   * ffmpeg} / {@code ffprobe}) is used and the operating system resolves it on PATH.
   */
  public static FfmpegPaths fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static FfmpegPaths fromEnvironment(Map<String, String> env) {
    return new FfmpegPaths(
        Path.of(nonBlank(env.get(FFMPEG_ENV), "ffmpeg")),
        Path.of(nonBlank(env.get(FFPROBE_ENV), "ffprobe")));
  }

  private static String nonBlank(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
