package io.flick.transcode.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Looks inside a file with ffprobe and says what it is. Nothing the client claimed (name,
 * extension, MIME type) is used. Blocking; run it on a dispatcher meant for blocking work.
 */
public final class MediaProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Video codecs that are pictures, not motion, when a file has a single frame of them. */
  private static final Set<String> IMAGE_CODECS =
      Set.of("png", "mjpeg", "jpegls", "bmp", "webp", "tiff", "gif", "jpeg2000", "jpegxl", "qoi");

  private static final int LOG_TAIL = 4000;

  private final Path ffprobe;
  private final Duration timeout;

  /** Uses a 60 s timeout per probe. */
  public MediaProbe(Path ffprobe) {
    this(ffprobe, Duration.ofSeconds(60));
  }

  public MediaProbe(Path ffprobe, Duration timeout) {
    this.ffprobe = Objects.requireNonNull(ffprobe, "ffprobe");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Probes and then checks the result against {@code limits}.
   *
   * @throws TranscodeException permanent with a {@link MediaRejection} when the file is not an
   *     acceptable video; transient when ffprobe could not run or was killed
   */
  public MediaInfo probeAndValidate(Path file, MediaLimits limits) throws TranscodeException {
    Optional<MediaRejection> size = limits.checkSize(sizeOf(file));
    if (size.isPresent()) {
      throw TranscodeException.rejected(size.get());
    }
    MediaInfo info = probe(file);
    Optional<MediaRejection> rejection = limits.check(info);
    if (rejection.isPresent()) {
      throw TranscodeException.rejected(rejection.get());
    }
    return info;
  }

  /**
   * Probes a file. Rejects (permanently) what is not a video at all: empty files, unreadable data,
   * incomplete MP4s, still images, audio-only files. Limits are not checked here.
   */
  public MediaInfo probe(Path file) throws TranscodeException {
    long size = sizeOf(file);
    if (size == 0) {
      throw TranscodeException.rejected(MediaLimits.defaults().checkSize(0).orElseThrow());
    }
    JsonNode root = runFfprobe(file);
    MediaInfo info = parse(root, size, file);
    // ffprobe reads an MP4 whose index is up front even when the media data after it was cut off
    if (info.formatName().contains("mp4") && IsoBmff.shape(file) == IsoBmff.Shape.INCOMPLETE) {
      throw TranscodeException.rejected(
          MediaRejection.of(
              MediaRejection.Reason.TRUNCATED,
              "The video file is incomplete: it ends before the end of its video data, which"
                  + " usually means the upload was cut off. Please upload the file again."));
    }
    return info;
  }

  private static long sizeOf(Path file) throws TranscodeException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw TranscodeException.transientFailure("source file does not exist: " + file, e);
    } catch (IOException e) {
      throw TranscodeException.transientFailure("cannot read source file " + file, e);
    }
  }

  private JsonNode runFfprobe(Path file) throws TranscodeException {
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile("flick-ffprobe", ".json");
      err = Files.createTempFile("flick-ffprobe", ".log");
      List<String> command =
          List.of(
              ffprobe.toString(),
              "-hide_banner",
              "-v",
              "error",
              "-print_format",
              "json",
              "-show_format",
              "-show_streams",
              "-show_error",
              file.toAbsolutePath().toString());
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        Processes.kill(process);
        throw TranscodeException.transientFailure(
            "ffprobe did not finish within " + timeout.toSeconds() + " s", null, null);
      }
      int exit = process.exitValue();
      String log = Processes.tail(err, LOG_TAIL);
      if (exit != 0) {
        if (Processes.diedBySignal(exit, log)) {
          throw TranscodeException.transientFailure(
              "ffprobe was killed (exit " + exit + ")", exit, log);
        }
        throw TranscodeException.rejected(unreadable(file), exit, log);
      }
      JsonNode root = JSON.readTree(out.toFile());
      if (root == null || !root.has("format")) {
        throw TranscodeException.rejected(unreadable(file), exit, log);
      }
      return root;
    } catch (IOException e) {
      throw TranscodeException.transientFailure("could not run ffprobe: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TranscodeException.transientFailure("interrupted while probing", e);
    } finally {
      Processes.kill(process);
      Processes.deleteQuietly(out);
      Processes.deleteQuietly(err);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static MediaRejection unreadable(Path file) {
    if (IsoBmff.shape(file) == IsoBmff.Shape.INCOMPLETE) {
      return MediaRejection.of(
          MediaRejection.Reason.TRUNCATED,
          "The video file is incomplete: its index (the MP4 'moov' atom) is missing, which"
              + " usually means the upload was cut off. Please upload the file again.");
    }
    return MediaRejection.of(
        MediaRejection.Reason.NOT_A_VIDEO,
        "The file is not a video Flick can read (unknown or damaged format).");
  }

  static MediaInfo parse(JsonNode root, long size, Path file) throws TranscodeException {
    JsonNode format = root.path("format");
    String formatName = format.path("format_name").asText("");
    JsonNode video = null;
    JsonNode audio = null;
    for (JsonNode s : root.path("streams")) {
      String type = s.path("codec_type").asText("");
      if ("video".equals(type) && video == null && !isCoverArt(s)) {
        video = s;
      } else if ("audio".equals(type) && audio == null) {
        audio = s;
      }
    }
    if (video == null) {
      if (audio != null) {
        throw TranscodeException.rejected(
            MediaRejection.of(
                MediaRejection.Reason.NO_VIDEO_STREAM,
                "The file contains only audio (%s); a video track is required.",
                audio.path("codec_name").asText("unknown codec")));
      }
      throw TranscodeException.rejected(unreadable(file));
    }
    String codec = video.path("codec_name").asText("");
    double duration = positive(format.path("duration").asText(""));
    if (duration == 0) {
      for (JsonNode s : root.path("streams")) {
        duration = Math.max(duration, positive(s.path("duration").asText("")));
      }
    }
    if (isStillImage(formatName, video, codec, duration)) {
      throw TranscodeException.rejected(
          MediaRejection.of(
              MediaRejection.Reason.STILL_IMAGE,
              "The file is a still image (%s), not a video.",
              codec.isEmpty() ? formatName : codec.toUpperCase(Locale.ROOT)));
    }
    int width = video.path("width").asInt(0);
    int height = video.path("height").asInt(0);
    int rotation = rotation(video);
    double sar = ratio(video.path("sample_aspect_ratio").asText(""));
    int displayWidth = width;
    int displayHeight = height;
    if (sar > 0 && Math.abs(sar - 1.0) > 1e-3) {
      displayWidth = (int) Math.round(width * sar);
    }
    if (rotation == 90 || rotation == 270) {
      int t = displayWidth;
      displayWidth = displayHeight;
      displayHeight = t;
    }
    double fps = ratio(video.path("avg_frame_rate").asText(""));
    if (!(fps > 0 && fps <= 1000)) {
      fps = ratio(video.path("r_frame_rate").asText(""));
    }
    if (!(fps > 0 && fps <= 1000)) {
      fps = 0;
    }
    Optional<MediaInfo.Audio> audioInfo =
        audio == null
            ? Optional.empty()
            : Optional.of(
                new MediaInfo.Audio(
                    audio.path("codec_name").asText(""),
                    audio.path("channels").asInt(0),
                    audio.path("sample_rate").asInt(0)));
    return new MediaInfo(
        size,
        formatName,
        duration,
        codec,
        width,
        height,
        rotation,
        displayWidth,
        displayHeight,
        fps,
        video.path("pix_fmt").asText(""),
        audioInfo);
  }

  private static boolean isCoverArt(JsonNode stream) {
    JsonNode d = stream.path("disposition");
    return d.path("attached_pic").asInt(0) == 1 || d.path("timed_thumbnails").asInt(0) == 1;
  }

  private static boolean isStillImage(
      String formatName, JsonNode video, String codec, double duration) {
    if (formatName.endsWith("_pipe") || formatName.equals("image2")) {
      return true;
    }
    if (video.path("disposition").path("still_image").asInt(0) == 1) {
      return true;
    }
    if (IMAGE_CODECS.contains(codec)) {
      String frames = video.path("nb_frames").asText("");
      return duration == 0 || "1".equals(frames);
    }
    return false;
  }

  /**
   * Clockwise rotation ffmpeg applies when it autorotates: from the display matrix side data
   * (ffprobe prints it counter-clockwise) or, in older files, the {@code rotate} tag (clockwise).
   */
  private static int rotation(JsonNode video) {
    for (JsonNode sd : video.path("side_data_list")) {
      if (sd.has("rotation")) {
        return normalize(-sd.path("rotation").asDouble(0));
      }
    }
    String tag = video.path("tags").path("rotate").asText("");
    if (!tag.isEmpty()) {
      try {
        return normalize(Double.parseDouble(tag));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static int normalize(double degrees) {
    long quarter = Math.round(degrees / 90.0);
    return (int) (((quarter % 4) + 4) % 4) * 90;
  }

  private static double positive(String s) {
    try {
      double v = Double.parseDouble(s);
      return v > 0 && Double.isFinite(v) ? v : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** "30000/1001" or "1:1" to a double; 0 when absent or degenerate. */
  static double ratio(String s) {
    String[] parts = s.split("[/:]");
    try {
      if (parts.length == 2) {
        double n = Double.parseDouble(parts[0]);
        double d = Double.parseDouble(parts[1]);
        return n > 0 && d > 0 ? n / d : 0;
      }
      return positive(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
