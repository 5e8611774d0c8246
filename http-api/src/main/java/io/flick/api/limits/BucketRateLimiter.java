package io.flick.api.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flick.api.limits.RateLimitSettings.Limit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Token buckets (bucket4j). {@link #redis} keeps every bucket in Redis (compare-and-swap through
 * jedis, keys {@code flick:rl:<kind>:<key>} that expire once the bucket would be full again), so a
 * limit holds across every node; {@link #local} keeps them in this JVM (tests, a node without
 * Redis). If Redis cannot be reached the call goes ahead: limits protect the service, they must not
 * take it down.
 */
public final class BucketRateLimiter implements RateLimiter {
  private static final Logger log = LoggerFactory.getLogger(BucketRateLimiter.class);

  private final ProxyManager<byte[]> redis;
  private final Cache<String, Bucket> local;
  private final Executor blocking;

  private BucketRateLimiter(ProxyManager<byte[]> redis, Executor blocking) {
    this.redis = redis;
    this.local = redis == null ? Caffeine.newBuilder().maximumSize(100_000).build() : null;
    this.blocking = blocking;
  }

  /** Buckets in Redis, shared by every node; jedis calls run on {@code blocking}. */
  public static BucketRateLimiter redis(UnifiedJedis jedis, Executor blocking) {
    ProxyManager<byte[]> proxies =
        Bucket4jJedis.casBasedBuilder(jedis)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .build();
    return new BucketRateLimiter(proxies, blocking);
  }

  /** Buckets in this JVM only. */
  public static BucketRateLimiter local() {
    return new BucketRateLimiter(null, Runnable::run);
  }

  private static BucketConfiguration configuration(Limit limit) {
    return BucketConfiguration.builder()
        .addLimit(b -> b.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
        .build();
  }

  @Override
  public CompletionStage<Optional<Duration>> tryAcquire(Limit limit, String key) {
    String bucketKey = "flick:rl:" + limit.kind().name().toLowerCase() + ":" + key;
    if (redis == null) {
      Bucket bucket =
          local.get(
              bucketKey,
              k ->
                  Bucket.builder()
                      .addLimit(
                          b ->
                              b.capacity(limit.capacity())
                                  .refillGreedy(limit.capacity(), limit.period()))
                      .build());
      return CompletableFuture.completedFuture(answer(bucket.tryConsumeAndReturnRemaining(1)));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            ConsumptionProbe probe =
                redis
                    .builder()
                    .build(bucketKey.getBytes(StandardCharsets.UTF_8), () -> configuration(limit))
                    .tryConsumeAndReturnRemaining(1);
            return answer(probe);
          } catch (RuntimeException e) {
            log.warn("rate limit {} not checked (Redis): {}", limit.kind(), e.toString());
            return Optional.<Duration>empty();
          }
        },
        blocking);
  }

  private static Optional<Duration> answer(ConsumptionProbe probe) {
    return probe.isConsumed()
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill())));
  }
}
