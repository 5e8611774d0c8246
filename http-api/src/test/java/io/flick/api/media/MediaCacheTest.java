package io.flick.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-node media cache: what it keeps, its byte bound, and the cache headers it implies. */
class MediaCacheTest {
  private static final byte[] MASTER =
      "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n"
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] COMPLETE =
      "#EXTM3U\n#EXTINF:2.0,\nseg_000.ts\n#EXT-X-ENDLIST\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] GROWING =
      "#EXTM3U\n#EXTINF:2.0,\nseg_000.ts\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void keepsSegmentsAndCompletePlaylistsButNotMastersOrGrowingPlaylists() {
    MediaCache cache = new MediaCache(1 << 20, 1024, Duration.ofMinutes(1));
    assertThat(cache.offer("videos/v/360p/seg_000.ts", new byte[512])).isTrue();
    assertThat(cache.offer("videos/v/360p/index.m3u8", COMPLETE)).isTrue();
    assertThat(cache.offer("videos/v/master.m3u8", MASTER)).isFalse();
    assertThat(cache.offer("videos/w/360p/index.m3u8", GROWING)).isFalse();
    assertThat(cache.get("videos/v/360p/seg_000.ts"))
        .get()
        .extracting(e -> e.body().length)
        .isEqualTo(512);
    assertThat(cache.get("videos/v/360p/index.m3u8"))
        .get()
        .extracting(MediaCache.Entry::body)
        .isEqualTo(COMPLETE);
    assertThat(cache.get("videos/v/master.m3u8")).isEmpty();
    assertThat(cache.get("videos/w/360p/index.m3u8")).isEmpty();
  }

  @Test
  void refusesObjectsAboveTheObjectLimit() {
    MediaCache cache = new MediaCache(1 << 20, 1024, Duration.ofMinutes(1));
    assertThat(cache.mayCache("videos/v/720p/seg_000.ts", 1024)).isTrue();
    assertThat(cache.mayCache("videos/v/720p/seg_000.ts", 1025)).isFalse();
    assertThat(cache.mayCache("videos/v/720p/seg_000.ts", -1)).isFalse();
    assertThat(cache.mayCache("videos/v/master.m3u8", 10)).isFalse(); // read whole, judged by text
    assertThat(cache.offer("videos/v/720p/seg_000.ts", new byte[1025])).isFalse();
    assertThat(cache.get("videos/v/720p/seg_000.ts")).isEmpty();
  }

  @Test
  void staysWithinItsByteBound() {
    MediaCache cache = new MediaCache(64 * 1024, 8 * 1024, Duration.ofMinutes(1));
    for (int i = 0; i < 100; i++) {
      cache.offer("videos/v" + i + "/360p/seg_000.ts", new byte[8 * 1024]);
    }
    assertThat(cache.weightedSize()).isLessThanOrEqualTo(64 * 1024);
    assertThat(cache.weightedSize()).isGreaterThan(0);
  }

  @Test
  void cacheHeadersFollowMutabilityAndTheSignaturesLifetime() {
    assertThat(MediaCache.cacheControl("v/360p/seg_000.ts", null, 3600))
        .isEqualTo("public, max-age=3600, immutable");
    assertThat(MediaCache.cacheControl("v/poster.jpg", null, 400_000_000L))
        .isEqualTo("public, max-age=31536000, immutable");
    assertThat(MediaCache.cacheControl("v/master.m3u8", MASTER, 3600))
        .isEqualTo("public, max-age=3600, immutable");
    assertThat(MediaCache.cacheControl("v/360p/index.m3u8", COMPLETE, 3600))
        .isEqualTo("public, max-age=3600, immutable");
    assertThat(MediaCache.cacheControl("v/360p/index.m3u8", GROWING, 3600))
        .isEqualTo("public, max-age=2");
    assertThat(MediaCache.cacheControl("v/360p/index.m3u8", null, 3600))
        .isEqualTo("public, max-age=2");
  }
}
