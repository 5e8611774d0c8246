package io.flick.transcode.media;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Derives the HLS ladder from the source: rungs are sized by the source's SHORT display side
 * (360/720/1080 by default), keep the source's display aspect ratio (so a portrait source gets
 * 360x640, 720x1280, 1080x1920), and are never larger than the source.
 *
 * <p>A source smaller than a standard rung gets no such rung. When the source's short side sits
 * well between two standard rungs (e.g. 540), a native-size rung is added on top so the best
 * quality the source has is not thrown away; a source below the lowest standard rung gets a single
 * native-size rung.
 */
public final class LadderPlanner {

  /**
   * One standard rung size.
   *
   * @param shortSide the target short side in pixels (even)
   * @param videoMaxrateKbps the video bitrate cap at up to 30 fps
   * @param audioKbps the AAC bitrate
   */
  public record RungSpec(int shortSide, int videoMaxrateKbps, int audioKbps) {
    public RungSpec {
      if (shortSide <= 0 || shortSide % 2 != 0) {
        throw new IllegalArgumentException("shortSide must be positive and even");
      }
      if (videoMaxrateKbps <= 0 || audioKbps <= 0) {
        throw new IllegalArgumentException("bitrates must be positive");
      }
    }
  }

  /** 360 @ 800 kbps, 720 @ 2500 kbps, 1080 @ 4500 kbps video caps; 96/128/128 kbps AAC. */
  public static final List<RungSpec> DEFAULT_LADDER =
      List.of(
          new RungSpec(360, 800, 96), new RungSpec(720, 2500, 128), new RungSpec(1080, 4500, 128));

  /** A native rung is added when the source's short side is this much above the top rung. */
  private static final double NATIVE_RUNG_MARGIN = 1.2;

  private static final double[] STANDARD_RATES = {
    24000.0 / 1001, 24, 25, 30000.0 / 1001, 30, 48, 50, 60000.0 / 1001, 60
  };

  private final List<RungSpec> ladder;
  private final double maxFrameRate;
  private final double bufsizeFactor;

  /** The default ladder, frame rate capped at 30 fps, VBV buffer of 2× the cap. */
  public LadderPlanner() {
    this(DEFAULT_LADDER, 30, 2.0);
  }

  /**
   * @param ladder standard rung sizes, any order
   * @param maxFrameRate output frame rate cap; higher sources are reduced to it
   * @param bufsizeFactor VBV buffer size as a multiple of the bitrate cap
   */
  public LadderPlanner(List<RungSpec> ladder, double maxFrameRate, double bufsizeFactor) {
    this.ladder = ladder.stream().sorted(Comparator.comparingInt(RungSpec::shortSide)).toList();
    if (this.ladder.isEmpty()) {
      throw new IllegalArgumentException("ladder must not be empty");
    }
    if (!(maxFrameRate > 0)) {
      throw new IllegalArgumentException("maxFrameRate must be positive");
    }
    if (!(bufsizeFactor > 0)) {
      throw new IllegalArgumentException("bufsizeFactor must be positive");
    }
    this.maxFrameRate = maxFrameRate;
    this.bufsizeFactor = bufsizeFactor;
  }

  public LadderPlan plan(MediaInfo source) {
    Objects.requireNonNull(source, "source");
    int srcShort = source.shortSide();
    int srcLong = source.longSide();
    if (srcShort < 2) {
      throw new IllegalArgumentException(
          "source has no usable dimensions: " + source.displaySize());
    }
    double fps = outputFrameRate(source.frameRate());
    double fpsFactor = fps > 31 ? 1.5 : 1.0;
    List<Rung> rungs = new ArrayList<>();
    RungSpec top = null;
    for (RungSpec spec : ladder) {
      if (spec.shortSide() <= srcShort) {
        rungs.add(
            rung(
                source,
                spec.shortSide(),
                srcLong,
                spec.videoMaxrateKbps() * fpsFactor,
                spec.audioKbps()));
        top = spec;
      }
    }
    RungSpec largest = ladder.get(ladder.size() - 1);
    int nativeShort = even(srcShort);
    if (top == null) {
      // smaller than every standard rung: one rung at the source size, bitrate by pixel count
      RungSpec lowest = ladder.get(0);
      double area =
          (double) nativeShort * nativeShort / ((double) lowest.shortSide() * lowest.shortSide());
      double kbps = Math.max(150, lowest.videoMaxrateKbps() * area) * fpsFactor;
      rungs.add(rung(source, nativeShort, srcLong, kbps, lowest.audioKbps()));
    } else if (top != largest && srcShort >= top.shortSide() * NATIVE_RUNG_MARGIN) {
      RungSpec next = ladder.get(ladder.indexOf(top) + 1);
      double t = (double) (nativeShort - top.shortSide()) / (next.shortSide() - top.shortSide());
      double kbps =
          (top.videoMaxrateKbps() + t * (next.videoMaxrateKbps() - top.videoMaxrateKbps()))
              * fpsFactor;
      rungs.add(rung(source, nativeShort, srcLong, kbps, next.audioKbps()));
    }
    return new LadderPlan(source, rungs, fps);
  }

  private Rung rung(
      MediaInfo source, int shortSide, int srcLong, double maxrateKbps, int audioKbps) {
    int longSide = even((double) srcLong * shortSide / source.shortSide());
    longSide = Math.max(longSide, shortSide);
    int width = source.isPortrait() ? shortSide : longSide;
    int height = source.isPortrait() ? longSide : shortSide;
    int maxrate = (int) Math.round(maxrateKbps);
    return new Rung(
        shortSide + "p",
        width,
        height,
        maxrate,
        (int) Math.round(maxrate * bufsizeFactor),
        audioKbps);
  }

  /** The source rate snapped to the nearest standard rate within 1 %, capped; 30 when unknown. */
  double outputFrameRate(double sourceFps) {
    if (!(sourceFps > 0)) {
      return Math.min(30, maxFrameRate);
    }
    double fps = sourceFps;
    double closest = 0.01;
    for (double std : STANDARD_RATES) {
      double off = Math.abs(sourceFps - std) / std;
      if (off < closest) {
        closest = off;
        fps = std;
      }
    }
    return Math.min(fps, maxFrameRate);
  }

  private static int even(double v) {
    int r = (int) Math.round(v / 2.0) * 2;
    return Math.max(2, r);
  }
}
