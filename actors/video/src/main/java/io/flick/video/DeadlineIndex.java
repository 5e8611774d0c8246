package io.flick.video;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Which videos must leave their current state (UPLOADING or PROCESSING) by when, so that {@link
 * DeadlineSweeper} can wake the overdue ones even when their entities are passivated. A sorted set
 * of video ids scored by deadline: on Redis, {@code remember} is ZADD, {@code forget} ZREM and
 * {@code due} ZRANGEBYSCORE with a limit.
 *
 * <p>Only a hint: the entity decides whether a video is overdue. An entry that is missing only
 * delays a failure until the video is next touched; a stale entry costs one {@link
 * VideoCommand.Get}. Every method may be called concurrently, from any thread, by every node; none
 * may block.
 */
public interface DeadlineIndex {

  /** Records (or moves) the deadline of {@code videoId}; one deadline per video. */
  CompletionStage<Void> remember(String videoId, Instant deadline);

  /** Drops {@code videoId}; nothing happens if it is not there. */
  CompletionStage<Void> forget(String videoId);

  /** At most {@code limit} videos whose deadline is at or before {@code now}, earliest first. */
  CompletionStage<List<String>> due(Instant now, int limit);
}
