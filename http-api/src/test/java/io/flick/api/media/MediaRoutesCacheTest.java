package io.flick.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.api.JUnit5RouteTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** MediaRoutes with its node cache, against an in-memory S3 that counts its reads. */
class MediaRoutesCacheTest extends JUnit5RouteTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final MediaSigner SIGNER =
      new MediaSigner(
          "media-secret-that-is-at-least-32-characters",
          Duration.ofHours(1),
          Clock.fixed(NOW, ZoneOffset.UTC));
  private static final String MASTER =
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n";
  private static final String LEVEL = "#EXTM3U\n#EXTINF:2.0,\nseg_000.ts\n#EXT-X-ENDLIST\n";
  private static final String GROWING = "#EXTM3U\n#EXTINF:2.0,\nseg_000.ts\n";

  /** Reads of a key ("key" or "key range"), in order. */
  private final List<String> reads = new CopyOnWriteArrayList<>();

  private final Map<String, byte[]> objects =
      Map.of(
          "videos/v/master.m3u8", MASTER.getBytes(StandardCharsets.UTF_8),
          "videos/v/360p/index.m3u8", LEVEL.getBytes(StandardCharsets.UTF_8),
          "videos/v/720p/index.m3u8", GROWING.getBytes(StandardCharsets.UTF_8),
          "videos/v/360p/seg_000.ts", segment(4000),
          "videos/v/720p/seg_000.ts", segment(9000));

  private final S3AsyncClient s3 =
      new S3AsyncClient() {
        @Override
        public String serviceName() {
          return "s3";
        }

        @Override
        public void close() {}

        @Override
        public <T> CompletableFuture<T> getObject(
            GetObjectRequest request, AsyncResponseTransformer<GetObjectResponse, T> transformer) {
          reads.add(request.key() + (request.range() == null ? "" : " " + request.range()));
          byte[] body = objects.get(request.key());
          if (body == null) {
            return CompletableFuture.failedFuture(
                NoSuchKeyException.builder().message("no such key").build());
          }
          GetObjectResponse.Builder response = GetObjectResponse.builder();
          if (request.range() != null) {
            String[] r = request.range().substring("bytes=".length()).split("-");
            int from = Integer.parseInt(r[0]);
            int to = Integer.parseInt(r[1]);
            response.contentRange("bytes " + from + "-" + to + "/" + body.length);
            body = java.util.Arrays.copyOfRange(body, from, to + 1);
          }
          CompletableFuture<T> result = transformer.prepare();
          transformer.onResponse(response.contentLength((long) body.length).build());
          transformer.onStream(AsyncRequestBody.fromBytes(body));
          return result;
        }
      };

  private final Route route =
      new MediaRoutes(SIGNER, s3, "bucket", new MediaCache(1 << 20, 8000, Duration.ofMinutes(1)))
          .routes();

  private static byte[] segment(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i += 188) {
      b[i] = 0x47;
    }
    return b;
  }

  private static String url(String key) {
    return SIGNER.sign("videos/v/", key);
  }

  private TestRouteResult get(String key, String... header) {
    HttpRequest request = HttpRequest.GET(url(key));
    if (header.length == 2) {
      request = request.addHeader(RawHeader.create(header[0], header[1]));
    }
    return testRoute(route).run(request);
  }

  @Test
  void segmentsAndCompletePlaylistsAreReadFromS3Once() {
    for (int i = 0; i < 3; i++) {
      TestRouteResult seg = get("videos/v/360p/seg_000.ts");
      seg.assertStatusCode(StatusCodes.OK)
          .assertMediaType("video/mp2t")
          .assertHeaderExists("Cache-Control", "public, max-age=3600, immutable");
      assertThat(seg.entityBytes().toArray()).isEqualTo(segment(4000));
      TestRouteResult level = get("videos/v/360p/index.m3u8");
      level
          .assertStatusCode(StatusCodes.OK)
          .assertHeaderExists("Cache-Control", "public, max-age=3600, immutable");
      assertThat(level.entityString()).isEqualTo(LEVEL);
    }
    assertThat(reads).containsExactly("videos/v/360p/seg_000.ts", "videos/v/360p/index.m3u8");
  }

  @Test
  void mastersGrowingPlaylistsAndLargeObjectsAlwaysComeFromS3() {
    for (int i = 0; i < 2; i++) {
      TestRouteResult master = get("videos/v/master.m3u8");
      master
          .assertStatusCode(StatusCodes.OK)
          .assertHeaderExists("Cache-Control", "public, max-age=3600, immutable");
      assertThat(master.entityString()).isEqualTo(MASTER);
      get("videos/v/720p/index.m3u8")
          .assertStatusCode(StatusCodes.OK)
          .assertHeaderExists("Cache-Control", "public, max-age=2");
      TestRouteResult big = get("videos/v/720p/seg_000.ts");
      big.assertStatusCode(StatusCodes.OK);
      assertThat(big.entityBytes().toArray()).hasSize(9000);
    }
    assertThat(reads)
        .containsExactly(
            "videos/v/master.m3u8",
            "videos/v/720p/index.m3u8",
            "videos/v/720p/seg_000.ts",
            "videos/v/master.m3u8",
            "videos/v/720p/index.m3u8",
            "videos/v/720p/seg_000.ts");
  }

  @Test
  void rangeRequestsGoToS3AndAnswer206() {
    get("videos/v/360p/seg_000.ts").assertStatusCode(StatusCodes.OK); // now cached
    TestRouteResult ranged = get("videos/v/360p/seg_000.ts", "Range", "bytes=0-187");
    ranged
        .assertStatusCode(StatusCodes.PARTIAL_CONTENT)
        .assertHeaderExists("Content-Range", "bytes 0-187/4000");
    assertThat(ranged.entityBytes().toArray()).hasSize(188);
    assertThat(reads)
        .containsExactly("videos/v/360p/seg_000.ts", "videos/v/360p/seg_000.ts bytes=0-187");
  }

  @Test
  void playlistsAreGzippedWhenAsked() {
    TestRouteResult r = get("videos/v/master.m3u8", "Accept-Encoding", "gzip");
    r.assertStatusCode(StatusCodes.OK).assertHeaderExists("Content-Encoding", "gzip");
  }
}
