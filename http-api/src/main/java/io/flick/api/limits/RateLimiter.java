package io.flick.api.limits;

import io.flick.api.limits.RateLimitSettings.Limit;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Takes one token from the bucket of {@code limit} and {@code key}. */
public interface RateLimiter {
  /** Empty when the call may go ahead; otherwise how long until a token is back. */
  CompletionStage<Optional<Duration>> tryAcquire(Limit limit, String key);

  /** No limits at all. */
  RateLimiter NONE = (limit, key) -> CompletableFuture.completedFuture(Optional.empty());
}
