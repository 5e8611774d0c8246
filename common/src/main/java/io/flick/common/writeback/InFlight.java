package io.flick.common.writeback;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream incarnation's latest batch per entity and partition (the key), and its outcome. The
 * interactions streams keep several batches in flight and send each batch's asks at once, in offset
 * order, so an entity gets its batches in order. A later batch carries the end of the earlier one
 * while that is unanswered ({@code previousThrough}), so the entity can tell when the earlier one
 * was lost in an incarnation that stopped before writing it; and when the entity says it has not
 * got the earlier one <em>yet</em> (a redelivered batch was refused as overlapping and its rest is
 * on its way behind this one), the stream sends the later batch again once the earlier one is
 * answered. A restarted stream starts from its committed offsets with a new, empty one.
 */
public final class InFlight {
  private static final Logger log = LoggerFactory.getLogger(InFlight.class);

  /** A batch sent and not yet counted: where it ends, and its outcome. */
  public record Sent(long through, CompletableFuture<Done> outcome) {}

  private final Map<String, Sent> latest = new ConcurrentHashMap<>();

  /**
   * Records a batch ending at {@code through} as the latest for {@code key}, its {@code outcome}
   * completed by its answer; returns the one before it unless that one is written. A failed one is
   * kept: no batch after it may be written past it (the stream fails and redelivers them all).
   */
  public Optional<Sent> sent(String key, long through, CompletableFuture<Done> outcome) {
    Sent sent = new Sent(through, outcome);
    Optional<Sent> previous = Optional.ofNullable(latest.put(key, sent));
    outcome.thenRun(() -> latest.remove(key, sent));
    return previous.filter(p -> !p.outcome().isDone() || p.outcome().isCompletedExceptionally());
  }

  /**
   * The ask made once more after a gap refusal ({@code cause}), once every earlier batch it follows
   * ({@code previous}) is answered; empty when {@code cause} is not a gap or the batch may not wait
   * (it already did once, or it follows no batch of this incarnation). If an earlier batch fails,
   * so does this one, and the stream redelivers them all.
   */
  public static Optional<CompletionStage<Done>> retryAfterGap(
      Throwable cause,
      Collection<Sent> previous,
      boolean mayWait,
      Supplier<CompletionStage<Done>> again) {
    if (!(cause instanceof WriteBackGapException) || !mayWait || previous.isEmpty()) {
      return Optional.empty();
    }
    log.info("{}; sent again once that batch is answered", cause.getMessage());
    return Optional.of(
        CompletableFuture.allOf(
                previous.stream().map(Sent::outcome).toArray(CompletableFuture[]::new))
            .thenCompose(done -> again.get()));
  }

  /** The failure inside a {@link CompletionException}. */
  public static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /** Completes {@code outcome} as {@code stage} does. */
  public static CompletableFuture<Done> completing(
      CompletableFuture<Done> outcome, CompletionStage<Done> stage) {
    stage.whenComplete(
        (done, error) -> {
          if (error == null) {
            outcome.complete(done);
          } else {
            outcome.completeExceptionally(error);
          }
        });
    return outcome;
  }
}
