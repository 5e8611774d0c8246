package io.flick.user;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * Where a {@link UserActor} gets its next For You videos and keeps its queue while passivated. The
 * feed module implements it (candidates → ranker → mixer; Redis for stashes); the actor only holds
 * the queue and the seen-filter. Calls must not block: they run from the actor.
 */
public interface ForYouSource {

  /**
   * @param seen the viewer's seen-filter: candidates it answers true for must be left out
   * @param previousVideo the last video queued or served, so no creator appears twice in a row
   * @param size how many videos to build
   */
  record Request(
      String userId,
      String region,
      Profile profile,
      Predicate<String> seen,
      Optional<String> previousVideo,
      int size) {}

  /** A passivated user's unserved queue and serialized seen-filter. */
  record Stash(List<String> queue, byte[] seenFilter) {
    public Stash {
      queue = List.copyOf(queue);
    }
  }

  /** The next videos for this viewer, ranked and mixed; never fails (it falls back to trending). */
  CompletionStage<List<String>> next(Request request);

  /** Keeps a passivating user's queue (best effort: a lost stash only costs a rebuild). */
  void stash(String userId, Stash stash);

  CompletionStage<Optional<Stash>> restore(String userId);

  /** No feed (unit tests of the rest of the actor). */
  ForYouSource NONE =
      new ForYouSource() {
        @Override
        public CompletionStage<List<String>> next(Request request) {
          return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public void stash(String userId, Stash stash) {}

        @Override
        public CompletionStage<Optional<Stash>> restore(String userId) {
          return CompletableFuture.completedFuture(Optional.empty());
        }
      };
}
