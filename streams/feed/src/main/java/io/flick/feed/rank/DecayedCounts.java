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
  private long updates;
  private volatile Ranking ranking;

  /** The items with a count, hottest first, as of {@code updates}. */
  private record Ranking(int[] items, long updates, long atNanos) {}

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
    updates++;
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

  /**
   * Up to {@code depth} items, hottest first (ties: lower item first). Recomputed at most once per
   * {@code maxAgeNanos} while counts change: a hot list a second old is as good as a fresh one, and
   * sorting the catalogue per request is what made builds slow. Callers hold the owner's read lock.
   */
  int[] hottest(int depth, int itemCount, long maxAgeNanos) {
    Ranking current = ranking;
    long now = System.nanoTime();
    if (current != null
        && (current.updates() == updates || now - current.atNanos() < maxAgeNanos)) {
      return current.items();
    }
    synchronized (this) {
      current = ranking;
      if (current != null
          && (current.updates() == updates || now - current.atNanos() < maxAgeNanos)) {
        return current.items();
      }
      int limit = Math.min(itemCount, scaled.length);
      Integer[] order = new Integer[limit];
      int n = 0;
      for (int item = 0; item < limit; item++) {
        if (scaled[item] > 0) {
          order[n++] = item;
        }
      }
      Arrays.sort(
          order,
          0,
          n,
          (a, b) -> {
            int byCount = Double.compare(scaled[b], scaled[a]);
            return byCount != 0 ? byCount : Integer.compare(a, b);
          });
      int[] items = new int[Math.min(depth, n)];
      for (int i = 0; i < items.length; i++) {
        items[i] = order[i];
      }
      ranking = new Ranking(items, updates, now);
      return items;
    }
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
