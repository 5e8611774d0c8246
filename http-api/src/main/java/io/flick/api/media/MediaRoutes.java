package io.flick.api.media;

import io.flick.api.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.coding.Coder;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code GET /media/<expiry>/<signature>/<key>}: media straight from S3, streamed, with range
 * requests, content types and cache headers; 403 for a missing, expired or forged signature and 400
 * for path tricks.
 */
public final class MediaRoutes extends AllDirectives {
  private static final ContentType M3U8 =
      MediaTypes.applicationWithOpenCharset("vnd.apple.mpegurl")
          .toContentType(org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);
  private static final ContentType TS =
      MediaTypes.customBinary("video", "mp2t", false).toContentType();
  private static final ContentType M4S =
      MediaTypes.customBinary("video", "iso.segment", false).toContentType();
  private static final ContentType MP4 =
      MediaTypes.customBinary("video", "mp4", false).toContentType();
  private static final ContentType JPEG = MediaTypes.IMAGE_JPEG.toContentType();

  private final MediaSigner signer;
  private final S3AsyncClient s3;
  private final String bucket;
  private final MediaCache cache;

  public MediaRoutes(MediaSigner signer, S3AsyncClient s3, String bucket) {
    this(signer, s3, bucket, MediaCache.defaults());
  }

  public MediaRoutes(MediaSigner signer, S3AsyncClient s3, String bucket, MediaCache cache) {
    this.signer = signer;
    this.s3 = s3;
    this.bucket = bucket;
    this.cache = cache;
  }

  public Route routes() {
    return pathPrefix(
        "media",
        () ->
            get(
                () ->
                    extractRequest(
                        request -> {
                          String raw = request.getUri().toString().toLowerCase(Locale.ROOT);
                          String rawPath =
                              raw.contains("?") ? raw.substring(0, raw.indexOf('?')) : raw;
                          if (rawPath.contains("%2f")
                              || rawPath.contains("%5c")
                              || rawPath.contains("%2e")
                              || rawPath.contains("/../")
                              || rawPath.contains("/./")
                              || rawPath.endsWith("/..")) {
                            throw ApiException.badRequest(
                                "media paths are plain: no '..' or encoded separators");
                          }
                          return pathPrefix(
                              expiry ->
                                  pathPrefix(
                                      signature ->
                                          extractUnmatchedPath(
                                              rest ->
                                                  serve(
                                                      expiry,
                                                      signature,
                                                      rest.startsWith("/")
                                                          ? rest.substring(1)
                                                          : rest))));
                        })));
  }

  private Route serve(String expiry, String signature, String key) {
    if (!MediaSigner.isSafeKey(key)) {
      throw ApiException.badRequest("media paths are plain: no '..' or empty segments");
    }
    Optional<String> verified = signer.verify(expiry, signature, key);
    if (verified.isEmpty()) {
      throw new ApiException(
          403, "Forbidden", "the media link is missing its signature, expired or forged");
    }
    long maxAge = signer.secondsLeft(expiry);
    return optionalHeaderValueByName(
        "Range",
        range -> {
          Optional<MediaCache.Entry> hit = range.isEmpty() ? cache.get(key) : Optional.empty();
          if (range.isEmpty() && MediaCache.isPlaylist(key)) {
            // playlists are small and their cache headers depend on their text: read them whole
            Supplier<Route> playlist =
                () ->
                    hit.isPresent()
                        ? complete(strict(key, hit.get().body(), maxAge))
                        : onSuccess(fetchPlaylist(key, maxAge), response -> complete(response));
            // gzip only when asked (without Accept-Encoding Pekko would pick its first coder)
            return optionalHeaderValueByName(
                "Accept-Encoding",
                accept ->
                    accept.filter(a -> a.toLowerCase(Locale.ROOT).contains("gzip")).isPresent()
                        ? encodeResponseWith(List.of(Coder.Gzip), playlist)
                        : playlist.get());
          }
          if (hit.isPresent()) {
            return complete(strict(key, hit.get().body(), maxAge));
          }
          return extractMaterializer(
              mat -> onSuccess(fetch(key, range, maxAge, mat), response -> complete(response)));
        });
  }

  private HttpResponse strict(String key, byte[] body, long maxAge) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(contentType(key), body))
        .addHeader(RawHeader.create("Accept-Ranges", "bytes"))
        .addHeader(
            RawHeader.create(
                "Cache-Control",
                MediaCache.cacheControl(key, MediaCache.isPlaylist(key) ? body : null, maxAge)));
  }

  private CompletionStage<HttpResponse> fetchPlaylist(String key, long maxAge) {
    GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(key).build();
    return s3.getObject(get, AsyncResponseTransformer.toBytes())
        .handle(
            (bytes, error) -> {
              if (error != null) {
                throw translate(key, error);
              }
              byte[] body = bytes.asByteArray();
              cache.offer(key, body);
              return strict(key, body, maxAge);
            });
  }

  private CompletionStage<HttpResponse> fetch(
      String key, Optional<String> range, long maxAge, Materializer mat) {
    GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
    range.ifPresent(get::range);
    return s3.getObject(get.build(), AsyncResponseTransformer.<GetObjectResponse>toPublisher())
        .handle(
            (ResponsePublisher<GetObjectResponse> publisher, Throwable error) -> {
              if (error != null) {
                throw translate(key, error);
              }
              GetObjectResponse object = publisher.response();
              Source<ByteString, ?> body =
                  Source.fromPublisher(publisher).map(ByteString::fromByteBuffer);
              long length = object.contentLength();
              if (range.isEmpty() && cache.mayCache(key, length)) {
                // small and immutable: read it whole, keep it for the next viewer
                return body.runWith(
                        Sink.fold(ByteString.emptyByteString(), ByteString::concat), mat)
                    .thenApply(
                        all -> {
                          byte[] bytes = all.toArray();
                          cache.offer(key, bytes);
                          return strict(key, bytes, maxAge);
                        });
              }
              HttpResponse response =
                  HttpResponse.create()
                      .withStatus(
                          object.contentRange() != null
                              ? StatusCodes.PARTIAL_CONTENT
                              : StatusCodes.OK)
                      .withEntity(HttpEntities.create(contentType(key), length, body))
                      .addHeader(RawHeader.create("Accept-Ranges", "bytes"))
                      .addHeader(
                          RawHeader.create(
                              "Cache-Control", MediaCache.cacheControl(key, null, maxAge)));
              if (object.contentRange() != null) {
                response =
                    response.addHeader(RawHeader.create("Content-Range", object.contentRange()));
              }
              return CompletableFuture.completedFuture(response);
            })
        .thenCompose(stage -> stage);
  }

  private static RuntimeException translate(String key, Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    if (cause instanceof NoSuchKeyException) {
      return ApiException.notFound("no media at " + key);
    }
    if (cause instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e
        && s3e.statusCode() == 416) {
      return new ApiException(416, "Range Not Satisfiable", "the range is outside the file");
    }
    return new CompletionException(cause);
  }

  static ContentType contentType(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".m3u8")) return M3U8;
    if (lower.endsWith(".ts")) return TS;
    if (lower.endsWith(".m4s")) return M4S;
    if (lower.endsWith(".mp4") || lower.endsWith(".m4a")) return MP4;
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) return JPEG;
    return ContentTypes.APPLICATION_OCTET_STREAM;
  }
}
