package io.flick.video;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DeadlineIndex} in this JVM's memory, for tests and a single dev node; it does not
 * survive a restart and is not shared between nodes.
 */
public final class InMemoryDeadlineIndex implements DeadlineIndex {
  private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> remember(String videoId, Instant deadline) {
    deadlines.put(videoId, deadline);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> forget(String videoId) {
    deadlines.remove(videoId);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<String>> due(Instant now, int limit) {
    List<String> due =
        deadlines.entrySet().stream()
            .filter(e -> !e.getValue().isAfter(now))
            .sorted(
                Map.Entry.<String, Instant>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(limit)
            .map(Map.Entry::getKey)
            .toList();
    return CompletableFuture.completedFuture(due);
  }

  /** The deadline remembered for {@code videoId}, if any. */
  public Optional<Instant> deadlineOf(String videoId) {
    return Optional.ofNullable(deadlines.get(videoId));
  }

  /** Every remembered video and its deadline. */
  public Map<String, Instant> snapshot() {
    return Map.copyOf(deadlines);
  }
}
