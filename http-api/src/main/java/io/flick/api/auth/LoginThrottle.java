package io.flick.api.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Slows down password guessing per handle: after a few failures each further attempt has to wait,
 * twice as long after every failure. Shared by all nodes (Redis), so guessing on another node does
 * not help.
 */
public interface LoginThrottle {
  /** How long the caller must still wait before trying this handle again; empty = go ahead. */
  CompletionStage<Optional<Duration>> waitBeforeAttempt(String handle);

  CompletionStage<Void> recordFailure(String handle);

  CompletionStage<Void> recordSuccess(String handle);

  /** Failures allowed before any waiting, and the wait after the n-th failure past them. */
  int FREE_FAILURES = 4;

  static Duration waitAfter(long failures) {
    if (failures <= FREE_FAILURES) {
      return Duration.ZERO;
    }
    long exponent = Math.min(failures - FREE_FAILURES - 1, 8);
    return Duration.ofSeconds(1L << exponent); // 1 s, 2 s, 4 s ... capped at 256 s
  }
}
