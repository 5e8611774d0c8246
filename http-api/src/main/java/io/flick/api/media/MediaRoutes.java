package io.flick.api.media;

import io.flick.api.ApiException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
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

  public MediaRoutes(MediaSigner signer, S3AsyncClient s3, String bucket) {
    this.signer = signer;
    this.s3 = s3;
    this.bucket = bucket;
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
    return optionalHeaderValueByName(
        "Range", range -> onSuccess(fetch(key, range), response -> complete(response)));
  }

  private CompletionStage<HttpResponse> fetch(String key, Optional<String> range) {
    GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(bucket).key(key);
    range.ifPresent(get::range);
    return s3.getObject(get.build(), AsyncResponseTransformer.<GetObjectResponse>toPublisher())
        .handle(
            (ResponsePublisher<GetObjectResponse> publisher, Throwable error) -> {
              if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (cause instanceof NoSuchKeyException) {
                  throw ApiException.notFound("no media at " + key);
                }
                if (cause instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e
                    && s3e.statusCode() == 416) {
                  throw new ApiException(
                      416, "Range Not Satisfiable", "the range is outside the file");
                }
                throw new java.util.concurrent.CompletionException(cause);
              }
              GetObjectResponse object = publisher.response();
              Source<ByteString, ?> body =
                  Source.fromPublisher(publisher).map(ByteString::fromByteBuffer);
              long length = object.contentLength();
              HttpResponse response =
                  HttpResponse.create()
                      .withStatus(
                          object.contentRange() != null
                              ? StatusCodes.PARTIAL_CONTENT
                              : StatusCodes.OK)
                      .withEntity(HttpEntities.create(contentType(key), length, body))
                      .addHeader(RawHeader.create("Accept-Ranges", "bytes"))
                      .addHeader(cacheControl(key));
              if (object.contentRange() != null) {
                response =
                    response.addHeader(RawHeader.create("Content-Range", object.contentRange()));
              }
              return response;
            });
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

  /**
   * Segments and posters never change; playlists may (the ladder completes after the first rung).
   */
  private static HttpHeader cacheControl(String key) {
    return RawHeader.create(
        "Cache-Control",
        key.endsWith(".m3u8") ? "public, max-age=2" : "public, max-age=31536000, immutable");
  }
}
