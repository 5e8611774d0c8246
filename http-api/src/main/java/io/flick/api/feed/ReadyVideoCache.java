package io.flick.api.feed;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flick.video.VideoActor.Status;
import io.flick.video.VideoActor.VideoSummary;
import io.flick.video.VideoService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * READY videos for feed pages, kept on this node for a moment: a warm page is then one UserActor
 * ask instead of one ask per video. Counts may lag by the TTL; a deletion is caught by the caller's
 * availability check (the catalogue withdrawal reaches every node within a batch window).
 */
final class ReadyVideoCache {
  private final VideoService videos;
  private final Cache<String, VideoSummary> cache;

  ReadyVideoCache(VideoService videos, Duration ttl) {
    this.videos = videos;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
  }

  /** The READY ones among {@code ids}, in that order. */
  CompletionStage<List<VideoSummary>> ready(List<String> ids) {
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      if (cache.getIfPresent(id) == null) {
        missing.add(id);
      }
    }
    CompletionStage<List<VideoSummary>> fetched =
        missing.isEmpty() ? CompletableFuture.completedFuture(List.of()) : videos.getAll(missing);
    return fetched.thenApply(
        found -> {
          for (VideoSummary video : found) {
            if (video.status() == Status.READY) {
              cache.put(video.id(), video);
            }
          }
          List<VideoSummary> ordered = new ArrayList<>(ids.size());
          for (String id : ids) {
            VideoSummary video = cache.getIfPresent(id);
            if (video != null) {
              ordered.add(video);
            }
          }
          return ordered;
        });
  }
}
