package io.flick.transcode.media;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A duet or stitch, composed in the ladder's single ffmpeg run: the new clip is input 0, the source
 * video's stored original input 1, and this builds the part of the filter graph that makes one
 * picture ({@code [composed]}) and one audio track out of the two, which the ladder then scales to
 * every rung like any clip's picture.
 *
 * <ul>
 *   <li><b>Duet</b>: a portrait 9:16 canvas, the new clip on the left half and the source on the
 *       right, each scaled to fit its half (letterboxed, never stretched), both at the ladder's
 *       frame rate; as long as the new clip (a shorter source holds its last frame); both audio
 *       tracks mixed ({@code amix}, each at half level so together they cannot clip).
 *   <li><b>Stitch</b>: {@code fromMs..toMs} of the source, then the new clip, in the new clip's
 *       frame size (the source letterboxed into it), joined by the {@code concat} filter into one
 *       continuous picture and audio track.
 * </ul>
 *
 * Sizes are display sizes: ffmpeg autorotates both inputs, and non-square pixels are made square
 * first. A side without audio contributes silence; when neither has audio the remix has none.
 *
 * @param kind duet or stitch
 * @param clip what ffprobe found in the new clip (input 0)
 * @param source the source video's original (input 1)
 * @param sourceInfo what ffprobe found in it
 * @param fromMs start of a stitch's part of the source (0 for a duet)
 * @param toMs end of a stitch's part of the source (0 for a duet)
 */
public record Remix(
    Kind kind, MediaInfo clip, Path source, MediaInfo sourceInfo, long fromMs, long toMs) {

  public enum Kind {
    DUET,
    STITCH
  }

  /** The audio format both sides are brought to before they are mixed or joined. */
  static final String AUDIO_FORMAT =
      "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo";

  /** Label of the composed picture, which the ladder's graph starts from. */
  static final String COMPOSED = "composed";

  public Remix {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(clip, "clip");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sourceInfo, "sourceInfo");
    if (kind == Kind.STITCH && (fromMs < 0 || toMs <= fromMs)) {
      throw new IllegalArgumentException("a stitch needs 0 <= fromMs < toMs");
    }
  }

  public static Remix duet(MediaInfo clip, Path source, MediaInfo sourceInfo) {
    return new Remix(Kind.DUET, clip, source, sourceInfo, 0, 0);
  }

  public static Remix stitch(
      MediaInfo clip, Path source, MediaInfo sourceInfo, long fromMs, long toMs) {
    return new Remix(Kind.STITCH, clip, source, sourceInfo, fromMs, toMs);
  }

  /** Seconds of the source a stitch starts with. */
  double stitchSeconds() {
    return (toMs - fromMs) / 1000.0;
  }

  /**
   * The composed video as the ladder planner sees it: the canvas's size, the new clip's frame rate,
   * the remix's duration (a duet's is the new clip's; a stitch's the part plus the clip), stereo
   * audio when either side has audio.
   */
  public MediaInfo output() {
    int[] canvas = canvas();
    double duration =
        kind == Kind.DUET ? clip.durationSeconds() : stitchSeconds() + clip.durationSeconds();
    Optional<MediaInfo.Audio> audio =
        clip.hasAudio() || sourceInfo.hasAudio()
            ? Optional.of(new MediaInfo.Audio("aac", 2, 48000))
            : Optional.empty();
    return new MediaInfo(
        clip.sizeBytes(),
        clip.formatName(),
        duration,
        clip.videoCodec(),
        canvas[0],
        canvas[1],
        0,
        canvas[0],
        canvas[1],
        clip.frameRate(),
        "yuv420p",
        audio);
  }

  /**
   * The composed frame: for a duet a 9:16 canvas as tall as the new clip's long side (at most
   * 1920), its width a multiple of 4 so each half is even; for a stitch the new clip's own size.
   */
  int[] canvas() {
    if (kind == Kind.STITCH) {
      return new int[] {even(clip.displayWidth()), even(clip.displayHeight())};
    }
    int height = even(Math.min(1920, clip.longSide()));
    int width = (int) Math.round(height * 9.0 / 16 / 4) * 4;
    return new int[] {width, height};
  }

  /** The options that open the source as input 1: only the part a remix needs is decoded. */
  List<String> inputArgs() {
    List<String> args = new ArrayList<>();
    if (kind == Kind.STITCH) {
      args.addAll(List.of("-ss", seconds(fromMs / 1000.0), "-t", seconds(stitchSeconds())));
    } else {
      args.addAll(List.of("-t", seconds(clip.durationSeconds())));
    }
    args.addAll(List.of("-i", source.toAbsolutePath().toString()));
    return args;
  }

  /**
   * The composition: {@code [composed]} (the picture at {@code fps}) and, when the output has
   * audio, {@code audioOutputs} copies of the audio as {@code [ra0]}, {@code [ra1]}…; ends with
   * {@code ;}.
   */
  String filterGraph(String fps, int audioOutputs) {
    int[] canvas = canvas();
    boolean audio = clip.hasAudio() || sourceInfo.hasAudio();
    StringBuilder g = new StringBuilder();
    if (kind == Kind.DUET) {
      int half = canvas[0] / 2;
      double d = clip.durationSeconds();
      g.append(fit("0:v", fps, half, canvas[1])).append("[rmx_nv];");
      g.append(fit("1:v", fps, half, canvas[1])).append("[rmx_sv];");
      g.append("[rmx_nv][rmx_sv]hstack=inputs=2,trim=duration=")
          .append(seconds(d))
          .append('[')
          .append(COMPOSED)
          .append("];");
      if (audio) {
        // both padded with silence and mixed, then cut at the new clip's end
        g.append(audioSide(clip.hasAudio(), "0:a", "")).append("[rmx_na];");
        g.append(audioSide(sourceInfo.hasAudio(), "1:a", "")).append("[rmx_sa];");
        g.append("[rmx_na][rmx_sa]amix=inputs=2:duration=longest:dropout_transition=0")
            .append(",atrim=duration=")
            .append(seconds(d))
            .append(split(audioOutputs));
      }
    } else {
      g.append(fit("1:v", fps, canvas[0], canvas[1]))
          .append(",trim=duration=")
          .append(seconds(stitchSeconds()))
          .append(",setpts=PTS-STARTPTS[rmx_sv];");
      g.append(fit("0:v", fps, canvas[0], canvas[1])).append(",setpts=PTS-STARTPTS[rmx_nv];");
      if (audio) {
        // each side exactly as long as its picture, so the clip's sound starts with its picture
        g.append(
                audioSide(
                    sourceInfo.hasAudio(), "1:a", ",atrim=duration=" + seconds(stitchSeconds())))
            .append("[rmx_sa];");
        g.append(
                audioSide(
                    clip.hasAudio(), "0:a", ",atrim=duration=" + seconds(clip.durationSeconds())))
            .append("[rmx_na];");
        g.append("[rmx_sv][rmx_sa][rmx_nv][rmx_na]concat=n=2:v=1:a=1[")
            .append(COMPOSED)
            .append("][rmx_a];[rmx_a]")
            .append(split(audioOutputs).substring(1));
      } else {
        g.append("[rmx_sv][rmx_nv]concat=n=2:v=1:a=0[").append(COMPOSED).append("];");
      }
    }
    return g.toString();
  }

  /**
   * One input's picture: square pixels, the ladder's frame rate, scaled to fit {@code w}x{@code h}
   * without distortion and centred on black.
   */
  static String fit(String input, String fps, int w, int h) {
    return "["
        + input
        + "]scale=trunc(iw*sar/2)*2:ih,setsar=1,fps="
        + fps
        + ",scale="
        + w
        + ':'
        + h
        + ":force_original_aspect_ratio=decrease:force_divisible_by=2:flags=bicubic"
        + ",pad="
        + w
        + ':'
        + h
        + ":(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p";
  }

  /** One side's audio in the common format, padded with silence; silence when it has none. */
  static String audioSide(boolean has, String input, String then) {
    String side =
        has
            ? "[" + input + "]" + AUDIO_FORMAT + ",asetpts=PTS-STARTPTS,apad"
            : "anullsrc=r=48000:cl=stereo," + AUDIO_FORMAT;
    return side + then;
  }

  /** {@code ,asplit=n[ra0]…;} (or {@code [ra0];} for one). */
  private static String split(int outputs) {
    StringBuilder s = new StringBuilder();
    if (outputs > 1) {
      s.append(",asplit=").append(outputs);
    }
    for (int i = 0; i < outputs; i++) {
      s.append("[ra").append(i).append(']');
    }
    if (outputs <= 1) {
      // a single output needs a no-op filter to carry the label
      s.insert(0, ",anull");
    }
    return s.append(';').toString();
  }

  private static int even(int v) {
    return v - (v % 2);
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }
}
