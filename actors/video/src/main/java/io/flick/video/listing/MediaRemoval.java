package io.flick.video.listing;

import io.flick.video.MediaKeys;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Removes a deleted video's objects from the bucket: every object and open multipart upload under
 * the video's prefix. Idempotent (a removal that failed half-way is simply repeated), as the
 * listing projection that calls it after a {@code Deleted} event may run it more than once.
 */
public final class MediaRemoval {
  private final S3AsyncClient s3;
  private final String bucket;

  public MediaRemoval(S3AsyncClient s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Removes every object (and open multipart upload) under the video's prefix. */
  public CompletionStage<Void> remove(String videoId) {
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
