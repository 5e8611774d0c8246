package io.flick.node.infra;

import io.flick.video.DeadlineIndex;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import redis.clients.jedis.UnifiedJedis;

/**
 * Video deadlines (upload, processing) in one Redis sorted set scored by epoch millis, shared by
 * every node's sweeper. A lost entry only delays a FAILED until the video is next read: the entity
 * itself enforces its deadlines.
 */
public final class RedisDeadlineIndex implements DeadlineIndex {
  public static final String KEY = "flick:video-deadlines";

  private final UnifiedJedis redis;
  private final Executor blocking;

  public RedisDeadlineIndex(UnifiedJedis redis, Executor blocking) {
    this.redis = redis;
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<Void> remember(String videoId, Instant deadline) {
    return CompletableFuture.runAsync(
        () -> redis.zadd(KEY, deadline.toEpochMilli(), videoId), blocking);
  }

  @Override
  public CompletionStage<Void> forget(String videoId) {
    return CompletableFuture.runAsync(() -> redis.zrem(KEY, videoId), blocking);
  }

  @Override
  public CompletionStage<List<String>> due(Instant now, int limit) {
    return CompletableFuture.supplyAsync(
        () -> List.copyOf(redis.zrangeByScore(KEY, 0, now.toEpochMilli(), 0, limit)), blocking);
  }
}
