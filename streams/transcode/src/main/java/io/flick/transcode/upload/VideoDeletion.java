package io.flick.transcode.upload;

import io.flick.creator.CreatorService;
import io.flick.feed.catalog.VideoCatalog;
import io.flick.transcode.MediaKeys;
import io.flick.video.VideoService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * A creator deletes a video: the entity first (from then on no list, feed or playback URL shows
 * it), then every object under the video's prefix. Idempotent, so a delete whose media removal
 * failed is simply repeated.
 */
public final class VideoDeletion {
  private final VideoService videos;
  private final CreatorService creators;
  private final S3AsyncClient s3;
  private final String bucket;
  private final VideoCatalog catalog;

  public VideoDeletion(
      VideoService videos,
      CreatorService creators,
      S3AsyncClient s3,
      String bucket,
      VideoCatalog catalog) {
    this.catalog = catalog;
    this.videos = videos;
    this.creators = creators;
    this.s3 = s3;
    this.bucket = bucket;
  }

  public CompletionStage<Void> delete(String videoId, String requesterId) {
    return videos
        .delete(videoId, requesterId)
        .thenCompose(done -> creators.removeVideo(requesterId, videoId))
        // gone from every node's feeds once Kafka has it
        .thenCompose(done -> catalog.removed(videoId))
        .thenCompose(done -> removeMedia(videoId));
  }

  /** Removes every object (and open multipart upload) under the video's prefix. */
  public CompletionStage<Void> removeMedia(String videoId) {
    String prefix = MediaKeys.videoPrefix(videoId);
    return abortUploads(prefix).thenCompose(done -> removePage(prefix, null));
  }

  private CompletionStage<Void> abortUploads(String prefix) {
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix))
        .thenCompose(
            listed ->
                CompletableFuture.allOf(
                    listed.uploads().stream()
                        .map(
                            u ->
                                s3.abortMultipartUpload(
                                        b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()))
                                    .toCompletableFuture())
                        .toArray(CompletableFuture[]::new)))
        // stores without multipart listing (some S3 clones) still get their objects removed
        .exceptionally(error -> null);
  }

  private CompletionStage<Void> removePage(String prefix, String token) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(token))
        .thenCompose(page -> deleteAll(page).thenCompose(done -> next(prefix, page)));
  }

  private CompletionStage<Void> deleteAll(ListObjectsV2Response page) {
    List<ObjectIdentifier> keys =
        page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)))
        .thenApply(response -> null);
  }

  private CompletionStage<Void> next(String prefix, ListObjectsV2Response page) {
    return Boolean.TRUE.equals(page.isTruncated())
        ? removePage(prefix, page.nextContinuationToken())
        : CompletableFuture.completedFuture(null);
  }
}
