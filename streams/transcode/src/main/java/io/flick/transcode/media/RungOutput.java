package io.flick.transcode.media;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A finished rung on disk, with its measured bit rates.
 *
 * @param rung what was planned
 * @param mediaPlaylist the rung's VOD media playlist ({@code <out>/<rung>/index.m3u8})
 * @param segments the segment files in order
 * @param segmentDurations each segment's duration in seconds
 * @param codecs RFC 6381 CODECS from the encoded stream, e.g. {@code avc1.64001f,mp4a.40.2}
 * @param frameRate output frame rate
 * @param peakBitrate peak bits/s over any 0.5–1.5 target-duration run of segments (HLS BANDWIDTH)
 * @param averageBitrate total bits / total duration (HLS AVERAGE-BANDWIDTH)
 * @param totalBytes bytes of all segments
 */
public record RungOutput(
    Rung rung,
    Path mediaPlaylist,
    List<Path> segments,
    List<Double> segmentDurations,
    String codecs,
    double frameRate,
    long peakBitrate,
    long averageBitrate,
    long totalBytes) {

  public RungOutput {
    Objects.requireNonNull(rung, "rung");
    Objects.requireNonNull(mediaPlaylist, "mediaPlaylist");
    segments = List.copyOf(segments);
    segmentDurations = List.copyOf(segmentDurations);
    Objects.requireNonNull(codecs, "codecs");
    if (segments.size() != segmentDurations.size()) {
      throw new IllegalArgumentException("one duration per segment");
    }
  }

  /** Sum of the segment durations. */
  public double durationSeconds() {
    return segmentDurations.stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * HLS peak segment bit rate: the largest bit rate of any contiguous run of segments whose total
   * duration is between 0.5 and 1.5 times the target duration (RFC 8216 §4.3.4.2). A clip shorter
   * than half a target duration uses its whole length.
   */
  static long peakBitrate(long[] bytes, double[] seconds, double targetDuration) {
    double best = 0;
    double total = 0;
    long totalBytes = 0;
    for (int i = 0; i < bytes.length; i++) {
      double d = 0;
      long b = 0;
      for (int j = i; j < bytes.length; j++) {
        d += seconds[j];
        b += bytes[j];
        if (d > 1.5 * targetDuration + 1e-6) {
          break;
        }
        if (d >= 0.5 * targetDuration - 1e-6 && d > 0) {
          best = Math.max(best, b * 8 / d);
        }
      }
      total += seconds[i];
      totalBytes += bytes[i];
    }
    if (best == 0 && total > 0) {
      best = totalBytes * 8 / total;
    }
    return (long) Math.ceil(best);
  }
}
