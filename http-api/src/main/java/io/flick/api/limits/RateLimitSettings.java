package io.flick.api.limits;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code flick.http.rate-limits} block: one token bucket per kind of call ({@code capacity}
 * requests, refilled evenly over {@code period}), whether limits are on, and whether the client's
 * address is taken from {@code X-Forwarded-For} (only behind a proxy that sets it).
 */
public record RateLimitSettings(
    boolean enabled, boolean trustForwardedFor, Map<Kind, Limit> limits) {

  /** What a bucket counts, and what it is keyed by. */
  public enum Kind {
    /** sign-ups, by client address */
    SIGNUP("signup"),
    /** log-in attempts, by client address */
    LOGIN("login"),
    /** any API call without a valid token, by client address */
    ANONYMOUS("anonymous"),
    /** upload starts, by user */
    UPLOAD("upload"),
    /** comments, by user */
    COMMENT("comment"),
    /** likes, unlikes, follows, unfollows, blocks and unblocks, by user */
    SOCIAL("social"),
    /** reports, by user */
    REPORT("report");

    final String configName;

    Kind(String configName) {
      this.configName = configName;
    }
  }

  /** {@code capacity} requests per {@code period}, refilled evenly. */
  public record Limit(Kind kind, long capacity, Duration period) {}

  public static RateLimitSettings from(Config config) {
    Config c = config.getConfig("flick.http.rate-limits");
    Map<Kind, Limit> limits = new java.util.EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      Config k = c.getConfig(kind.configName);
      limits.put(kind, new Limit(kind, k.getLong("capacity"), k.getDuration("period")));
    }
    return new RateLimitSettings(
        c.getBoolean("enabled"), c.getBoolean("trust-forwarded-for"), Map.copyOf(limits));
  }

  public Limit limit(Kind kind) {
    return limits.get(kind);
  }

  /** The same limits for every kind (tests). */
  public static RateLimitSettings uniform(long capacity, Duration period) {
    Map<Kind, Limit> limits = new java.util.EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      limits.put(kind, new Limit(kind, capacity, period));
    }
    return new RateLimitSettings(true, false, Map.copyOf(limits));
  }

  public RateLimitSettings with(Kind kind, long capacity, Duration period) {
    Map<Kind, Limit> changed = new java.util.EnumMap<>(limits);
    changed.put(kind, new Limit(kind, capacity, period));
    return new RateLimitSettings(enabled, trustForwardedFor, Map.copyOf(changed));
  }
}
