package io.flick.feed.rank;

import java.util.Arrays;

/**
 * Exponentially decayed counts per item (a sliding window without buckets). Each count is stored
 * scaled to a reference time, so an update is one multiply-add and ranking by "count now" needs no
 * pass over the items: the decay factor from the reference to now is common to all of them. The
 * reference moves forward (rescaling every count once) before the scale could overflow.
 */
final class DecayedCounts {
  private static final double MAX_EXPONENT = 60;

  private final double halfLifeMs;
  private double[] scaled = new double[1024];
  private long referenceMs = Long.MIN_VALUE;
  private double maxScaled;

  DecayedCounts(double halfLifeHours) {
    this.halfLifeMs = halfLifeHours * 3_600_000d;
  }

  void add(int item, double weight, long atMs) {
    if (referenceMs == Long.MIN_VALUE) {
      referenceMs = atMs;
    }
    double exponent = (atMs - referenceMs) / halfLifeMs;
    if (exponent > MAX_EXPONENT) {
      rebase(atMs);
      exponent = 0;
    }
    if (item >= scaled.length) {
      scaled = Arrays.copyOf(scaled, Math.max(item + 1, scaled.length * 2));
    }
    scaled[item] += weight * Math.pow(2, exponent);
    maxScaled = Math.max(maxScaled, scaled[item]);
  }

  /** The factor turning a stored count into the count as of {@code nowMs}. */
  double factorAt(long nowMs) {
    if (referenceMs == Long.MIN_VALUE) {
      return 0;
    }
    return Math.pow(2, -(nowMs - referenceMs) / halfLifeMs);
  }

  /** The stored (scaled) count; multiply by {@link #factorAt} for the count now. */
  double scaled(int item) {
    return item < scaled.length ? scaled[item] : 0;
  }

  /** The highest stored count (an upper bound once counts decay; exact for the hottest). */
  double maxScaled() {
    return maxScaled;
  }

  private void rebase(long newReferenceMs) {
    double factor = Math.pow(2, -(newReferenceMs - referenceMs) / halfLifeMs);
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= factor;
    }
    maxScaled *= factor;
    referenceMs = newReferenceMs;
  }
}
