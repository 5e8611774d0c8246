package io.flick.transcode.media;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link HlsLadderTranscoder} encodes. {@link #defaults()} is what the pipeline runs.
 *
 * @param preset the libx264 preset for every rung but the lowest
 * @param x264Params extra {@code -x264-params} for every rung but the lowest, on top of {@code
 *     preset}; empty for none
 * @param lowestRungPreset the libx264 preset for the lowest rung: it is cheap to encode, so it can
 *     afford a slower preset, and it is the rung viewers on weak networks and early playback see
 * @param crf constant rate factor; each rung's bitrate cap ({@link Rung#videoMaxrateKbps()}) limits
 *     it from above
 * @param threads {@code -threads} for the encoders; 0 leaves it to ffmpeg/x264
 * @param segmentSeconds segment length and keyframe interval
 * @param posterAtSeconds when to take the poster; clips shorter than twice this use their middle
 * @param posterMaxShortSide the poster is the top rung's size, scaled down to this short side
 * @param timeout ffmpeg is killed (transient failure) when it runs longer
 */
public record TranscodeOptions(
    String preset,
    String x264Params,
    String lowestRungPreset,
    int crf,
    int threads,
    double segmentSeconds,
    double posterAtSeconds,
    int posterMaxShortSide,
    Duration timeout) {

  /** libx264's presets, fastest first. */
  public static final Set<String> PRESETS =
      Set.of(
          "ultrafast",
          "superfast",
          "veryfast",
          "faster",
          "fast",
          "medium",
          "slow",
          "slower",
          "veryslow",
          "placebo");

  /**
   * The default upper-rung encoder: x264's ultrafast with the features that buy the most quality
   * per CPU second switched back on: CABAC, the deblocking filter, the 8x8 transform and adaptive
   * quantisation. Measured with bench/transcode on 2 cores (30 s 1080x1920 source, the ladder
   * 360/720/1080 with the lowest rung at veryfast): 25 CPU-s vs 31 with superfast and 20 with plain
   * ultrafast on every rung; 1080p rung PSNR 41.4 dB vs 41.9 (superfast) and 41.0 (ultrafast) at
   * the same bitrate cap.
   */
  public static final String FAST_X264_PARAMS = "cabac=1:deblock=1:8x8dct=1:aq-mode=1";

  public TranscodeOptions {
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(x264Params, "x264Params");
    Objects.requireNonNull(lowestRungPreset, "lowestRungPreset");
    Objects.requireNonNull(timeout, "timeout");
    if (!PRESETS.contains(preset) || !PRESETS.contains(lowestRungPreset)) {
      throw new IllegalArgumentException("unknown x264 preset: " + preset + "/" + lowestRungPreset);
    }
    if (!x264Params.matches("[A-Za-z0-9_.,:=+-]*")) {
      throw new IllegalArgumentException("x264Params must be key=value pairs joined by ':'");
    }
    if (crf < 0 || crf > 51) {
      throw new IllegalArgumentException("crf must be 0..51");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0");
    }
    if (!(segmentSeconds >= 1)) {
      throw new IllegalArgumentException("segmentSeconds must be >= 1");
    }
    if (!(posterAtSeconds >= 0)) {
      throw new IllegalArgumentException("posterAtSeconds must be >= 0");
    }
    if (posterMaxShortSide < 16 || posterMaxShortSide % 2 != 0) {
      throw new IllegalArgumentException("posterMaxShortSide must be even and >= 16");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /**
   * Upper rungs: ultrafast + {@link #FAST_X264_PARAMS}; lowest rung: veryfast; CRF 23 under each
   * rung's cap; 2 s segments; poster at 1 s, at most 720 px on its short side; 15 min timeout.
   */
  public static TranscodeOptions defaults() {
    return new TranscodeOptions(
        "ultrafast", FAST_X264_PARAMS, "veryfast", 23, 0, 2.0, 1.0, 720, Duration.ofMinutes(15));
  }

  /** One plain x264 preset for every rung (no extra x264 parameters). */
  public TranscodeOptions withPreset(String p) {
    return withPresets(p, "", p);
  }

  /** Same presets, other extra x264 parameters for the upper rungs ("" for none). */
  public TranscodeOptions withX264Params(String params) {
    return withPresets(preset, params, lowestRungPreset);
  }

  /** Plain presets (no extra x264 parameters) for the upper rungs and for the lowest rung. */
  public TranscodeOptions withPresets(String upper, String lowest) {
    return withPresets(upper, "", lowest);
  }

  /** The upper rungs' preset and extra x264 parameters, and the lowest rung's preset. */
  public TranscodeOptions withPresets(String upper, String upperX264Params, String lowest) {
    return new TranscodeOptions(
        upper,
        upperX264Params,
        lowest,
        crf,
        threads,
        segmentSeconds,
        posterAtSeconds,
        posterMaxShortSide,
        timeout);
  }

  public TranscodeOptions withCrf(int value) {
    return new TranscodeOptions(
        preset,
        x264Params,
        lowestRungPreset,
        value,
        threads,
        segmentSeconds,
        posterAtSeconds,
        posterMaxShortSide,
        timeout);
  }

  public TranscodeOptions withThreads(int n) {
    return new TranscodeOptions(
        preset,
        x264Params,
        lowestRungPreset,
        crf,
        n,
        segmentSeconds,
        posterAtSeconds,
        posterMaxShortSide,
        timeout);
  }

  public TranscodeOptions withTimeout(Duration t) {
    return new TranscodeOptions(
        preset,
        x264Params,
        lowestRungPreset,
        crf,
        threads,
        segmentSeconds,
        posterAtSeconds,
        posterMaxShortSide,
        t);
  }
}
