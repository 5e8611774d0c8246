package io.flick.api.video;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flick.api.ApiException;
import io.flick.common.Ids;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * READY videos, kept on this node for a moment and shared by the routes: a warm feed page is then
 * one UserActor ask instead of one ask per video, and a view, share or like of a hot video carries
 * its creator, hashtags, sound and duration without asking its VideoActor each time (what an
 * interaction event carries does not change once a video is READY). Counts may lag by the TTL; a
 * deletion is caught by the feed's availability check (the catalogue withdrawal reaches every node
 * within a batch window), and interactions may still be accepted for a just-deleted video for at
 * most the TTL.
 */
public final class ReadyVideoCache {
  /** Where videos come from when this node has not cached them: the VideoActors. */
  public interface Videos {
    CompletionStage<Optional<VideoSummary>> get(String id);

    CompletionStage<List<VideoSummary>> getAll(List<String> ids);
  }

  private final Videos videos;
  private final Cache<String, VideoSummary> cache;

  public ReadyVideoCache(VideoService videos, Duration ttl) {
    this(
        new Videos() {
          @Override
          public CompletionStage<Optional<VideoSummary>> get(String id) {
            return videos.get(id);
          }

          @Override
          public CompletionStage<List<VideoSummary>> getAll(List<String> ids) {
            return videos.getAll(ids);
          }
        },
        ttl);
  }

  public ReadyVideoCache(Videos videos, Duration ttl) {
    this.videos = videos;
    this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
  }

  /** The READY ones among {@code ids}, in that order. */
  public CompletionStage<List<VideoSummary>> ready(List<String> ids) {
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

  /**
   * The video from this node's cache when it is READY there, else as its VideoActor has it now (any
   * status; a READY answer is cached). Empty when there is no such video.
   */
  public CompletionStage<Optional<VideoSummary>> get(String id) {
    VideoSummary cached = cache.getIfPresent(id);
    if (cached != null) {
      return CompletableFuture.completedFuture(Optional.of(cached));
    }
    return videos
        .get(id)
        .thenApply(
            found -> {
              found
                  .filter(video -> video.status() == Status.READY)
                  .ifPresent(video -> cache.put(video.id(), video));
              return found;
            });
  }

  /**
   * The video an interaction is about: it must exist and be watchable (READY, or its first rung
   * already published). Fails with a 404 or 409 {@link ApiException} saying which.
   */
  public CompletionStage<VideoSummary> playable(String id) {
    if (!Ids.isWellFormed(id)) {
      return CompletableFuture.failedFuture(ApiException.notFound("no video with id " + id));
    }
    return get(id)
        .thenApply(
            found -> {
              VideoSummary video =
                  found.orElseThrow(() -> ApiException.notFound("no video with id " + id));
              if (video.status() != Status.READY && !video.playable()) {
                throw ApiException.conflict("video " + id + " is not playable yet");
              }
              return video;
            });
  }
}
