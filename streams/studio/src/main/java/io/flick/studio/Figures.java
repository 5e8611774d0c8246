package io.flick.studio;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The figures of one studio row (a video or a creator, over a day, an hour or a lifetime), or of
 * several merged at query time. Views are the counted ones (a viewer's repeat within the repeat
 * window is left out, as in the public count); watch time, completion, retention, sources and
 * audience cover every play, repeats included, since a repeat is watched too. Unique viewers are
 * signed-in viewers in a HyperLogLog sketch (anonymous views carry no viewer id).
 */
public final class Figures {
  /**
   * HLL with 2^12 buckets: relative standard error 1.04/√4096 ≈ 1.6 % (≈ 3.3 % at 95 %), exact
   * below a few hundred viewers (the sketch keeps a list of coupons until it fills), at most ≈ 2.6
   * KB per row in HLL_4.
   */
  public static final int LG_K = 12;

  /** Retention points: 0 %, 5 %, … 100 % of the duration. */
  public static final int RETENTION_POINTS = 21;

  long views;
  long plays;
  long watchMs;
  long completed;
  long likes;
  long comments;
  long shares;
  HllSketch viewers;
  final long[] retention;
  final Map<String, Long> sources;
  final Map<String, Long> regions;
  final Map<String, Long> devices;
  // includes generated demo figures (dev mode's demo creators only; StudioDemoHistory)
  boolean demo;

  public Figures() {
    this(new HllSketch(LG_K, TgtHllType.HLL_4), new long[RETENTION_POINTS]);
  }

  private Figures(HllSketch viewers, long[] retention) {
    this.viewers = viewers;
    this.retention = retention;
    this.sources = new TreeMap<>();
    this.regions = new TreeMap<>();
    this.devices = new TreeMap<>();
  }

  /** Rebuilt from a stored row. */
  static Figures of(
      long views,
      long plays,
      long watchMs,
      long completed,
      long likes,
      long comments,
      long shares,
      byte[] viewers,
      long[] retention,
      Map<String, Long> sources,
      Map<String, Long> regions,
      Map<String, Long> devices) {
    Figures f =
        new Figures(
            viewers == null || viewers.length == 0
                ? new HllSketch(LG_K, TgtHllType.HLL_4)
                : HllSketch.heapify(viewers),
            Arrays.copyOf(retention, RETENTION_POINTS));
    f.views = views;
    f.plays = plays;
    f.watchMs = watchMs;
    f.completed = completed;
    f.likes = likes;
    f.comments = comments;
    f.shares = shares;
    f.sources.putAll(sources);
    f.regions.putAll(regions);
    f.devices.putAll(devices);
    return f;
  }

  /** The sum of {@code parts}, their viewers united. */
  public static Figures merged(Iterable<Figures> parts) {
    Figures sum = new Figures();
    Union union = new Union(LG_K);
    for (Figures f : parts) {
      sum.views += f.views;
      sum.plays += f.plays;
      sum.watchMs += f.watchMs;
      sum.completed += f.completed;
      sum.likes += f.likes;
      sum.comments += f.comments;
      sum.shares += f.shares;
      for (int i = 0; i < RETENTION_POINTS; i++) {
        sum.retention[i] += f.retention[i];
      }
      f.sources.forEach((k, v) -> sum.sources.merge(k, v, Long::sum));
      f.regions.forEach((k, v) -> sum.regions.merge(k, v, Long::sum));
      f.devices.forEach((k, v) -> sum.devices.merge(k, v, Long::sum));
      union.update(f.viewers);
      sum.demo |= f.demo;
    }
    sum.viewers = union.getResult(TgtHllType.HLL_4);
    return sum;
  }

  /** Adds one play (the aggregation's step; public for generated history and benchmarks). */
  public void addView(
      String viewerId,
      boolean repeat,
      long watch,
      boolean complete,
      long durationMs,
      String source,
      String region,
      String device) {
    addPlay(viewerId, repeat, watch, complete);
    long w = Math.max(0, watch);
    if (durationMs > 0) {
      for (int i = 0; i < RETENTION_POINTS; i++) {
        // still watching at i·5 % of the duration; a completed view was there at the end
        if (complete || w * (RETENTION_POINTS - 1) >= durationMs * i) {
          retention[i]++;
        }
      }
    }
    sources.merge(label(source, "other"), 1L, Long::sum);
    regions.merge(label(region, "ZZ"), 1L, Long::sum);
    devices.merge(label(device, "unknown"), 1L, Long::sum);
  }

  /**
   * Adds one play to the scalar figures and the viewers only: for rows that store no retention and
   * no breakdowns (a creator's day or hour, a video's lifetime; see {@link RowKey#detailed()}).
   */
  void addPlay(String viewerId, boolean repeat, long watch, boolean complete) {
    plays++;
    if (!repeat) {
      views++;
    }
    watchMs += Math.max(0, watch);
    if (complete) {
      completed++;
    }
    if (viewerId != null && !viewerId.isEmpty()) {
      viewers.update(viewerId);
    }
  }

  private static String label(String value, String missing) {
    return value == null || value.isBlank() ? missing : value;
  }

  /** Whether these figures include dev mode's generated demo history. */
  public boolean demo() {
    return demo;
  }

  public long views() {
    return views;
  }

  public long plays() {
    return plays;
  }

  public long watchMs() {
    return watchMs;
  }

  public long completed() {
    return completed;
  }

  public long likes() {
    return likes;
  }

  public long comments() {
    return comments;
  }

  public long shares() {
    return shares;
  }

  /** The HLL estimate, rounded. */
  public long uniqueViewers() {
    return Math.round(viewers.getEstimate());
  }

  public long averageWatchMs() {
    return plays == 0 ? 0 : watchMs / plays;
  }

  /** Completed plays over plays, 0 without plays. */
  public double completionRate() {
    return plays == 0 ? 0 : (double) completed / plays;
  }

  /** Views with a known duration still watching at each 5 %, as shares of those at 0 %. */
  public double[] retentionCurve() {
    double[] curve = new double[RETENTION_POINTS];
    if (retention[0] == 0) {
      return curve;
    }
    for (int i = 0; i < RETENTION_POINTS; i++) {
      curve[i] = (double) retention[i] / retention[0];
    }
    return curve;
  }

  public long[] retentionCounts() {
    return retention.clone();
  }

  public Map<String, Long> sources() {
    return new LinkedHashMap<>(sources);
  }

  public Map<String, Long> regions() {
    return new LinkedHashMap<>(regions);
  }

  public Map<String, Long> devices() {
    return new LinkedHashMap<>(devices);
  }

  byte[] viewersBytes() {
    return viewers.toCompactByteArray();
  }
}
