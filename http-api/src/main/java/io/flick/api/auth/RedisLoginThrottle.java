package io.flick.api.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/** {@link LoginThrottle} on Redis: a failure counter and a lock key whose TTL is the wait. */
public final class RedisLoginThrottle implements LoginThrottle {
  private static final Duration FAILURE_MEMORY = Duration.ofMinutes(30);

  private final UnifiedJedis redis;
  private final Executor blocking;

  public RedisLoginThrottle(UnifiedJedis redis, Executor blocking) {
    this.redis = redis;
    this.blocking = blocking;
  }

  private static String failures(String handle) {
    return "flick:login:failures:" + handle;
  }

  private static String lock(String handle) {
    return "flick:login:lock:" + handle;
  }

  @Override
  public CompletionStage<Optional<Duration>> waitBeforeAttempt(String handle) {
    return CompletableFuture.supplyAsync(
        () -> {
          long pttl = redis.pttl(lock(handle));
          return pttl > 0 ? Optional.of(Duration.ofMillis(pttl)) : Optional.<Duration>empty();
        },
        blocking);
  }

  @Override
  public CompletionStage<Void> recordFailure(String handle) {
    return CompletableFuture.runAsync(
        () -> {
          long count = redis.incr(failures(handle));
          redis.pexpire(failures(handle), FAILURE_MEMORY.toMillis());
          Duration wait = LoginThrottle.waitAfter(count);
          if (!wait.isZero()) {
            redis.set(lock(handle), "1", SetParams.setParams().px(wait.toMillis()));
          }
        },
        blocking);
  }

  @Override
  public CompletionStage<Void> recordSuccess(String handle) {
    return CompletableFuture.runAsync(() -> redis.del(failures(handle), lock(handle)), blocking);
  }
}
