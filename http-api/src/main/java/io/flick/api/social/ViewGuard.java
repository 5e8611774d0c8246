package io.flick.api.social;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Says whether a view is the viewer's first of a video within the repeat window; later ones are
 * still published (analytics and the recommender see them) but marked {@code repeat}, so the public
 * view count counts one per viewer per window. Anonymous viewers are keyed by their signed viewer
 * cookie and address; one address gets at most {@code perAddress} counted anonymous views of a
 * video per window however many cookies it mints.
 */
public interface ViewGuard {
  /** True when this view counts: the viewer's first of {@code videoId} within the window. */
  CompletionStage<Boolean> counts(String videoId, String viewer, String address, boolean anonymous);

  /** Every view counts (tests of other things; a window of 0). */
  ViewGuard EVERY_VIEW =
      (video, viewer, address, anonymous) -> CompletableFuture.completedFuture(true);

  /** The window and the per-address cap: {@code flick.http.views}. */
  record Settings(Duration window, long perAddress) {
    public static Settings from(com.typesafe.config.Config config) {
      com.typesafe.config.Config c = config.getConfig("flick.http.views");
      return new Settings(c.getDuration("repeat-window"), c.getLong("anonymous-per-address"));
    }
  }

  /**
   * Shared by every node: {@code SET NX PX} per (video, viewer), {@code INCR} per (video, address).
   */
  static ViewGuard redis(UnifiedJedis redis, Settings settings, Executor blocking) {
    if (settings.window().isZero()) {
      return EVERY_VIEW;
    }
    long px = settings.window().toMillis();
    return (video, viewer, address, anonymous) ->
        CompletableFuture.supplyAsync(
            () -> {
              String first =
                  redis.set(
                      "flick:view:" + video + ":" + viewer, "1", SetParams.setParams().nx().px(px));
              if (!"OK".equals(first)) {
                return false;
              }
              if (!anonymous) {
                return true;
              }
              String key = "flick:view-addr:" + video + ":" + address;
              long n = redis.incr(key);
              if (n == 1) {
                redis.pexpire(key, px);
              }
              return n <= settings.perAddress();
            },
            blocking);
  }

  /** In this JVM only (unit tests). */
  static ViewGuard local(Settings settings) {
    ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Long> perAddress = new ConcurrentHashMap<>();
    return (video, viewer, address, anonymous) -> {
      boolean first = seen.putIfAbsent(video + ":" + viewer, 1L) == null;
      if (!first || !anonymous) {
        return CompletableFuture.completedFuture(first);
      }
      long n = perAddress.merge(video + ":" + address, 1L, Long::sum);
      return CompletableFuture.completedFuture(n <= settings.perAddress());
    };
  }
}
