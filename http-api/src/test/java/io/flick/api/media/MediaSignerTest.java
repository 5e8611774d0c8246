package io.flick.api.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MediaSignerTest {
  private static final String SECRET = "media-secret-that-is-at-least-32-characters";
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static MediaSigner at(Instant now) {
    return new MediaSigner(SECRET, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
  }

  /** Splits /media/<exp>/<sig>/<key> as the route does. */
  private static String[] parts(String path) {
    String rest = path.substring("/media/".length());
    int a = rest.indexOf('/');
    int b = rest.indexOf('/', a + 1);
    return new String[] {rest.substring(0, a), rest.substring(a + 1, b), rest.substring(b + 1)};
  }

  @Test
  void aSignedPathCoversEveryKeyUnderItsPrefix() {
    String path = at(NOW).sign("videos/abc/", "videos/abc/master.m3u8");
    String[] p = parts(path);
    assertThat(at(NOW).verify(p[0], p[1], p[2])).contains("videos/abc/master.m3u8");
    // a segment referenced relatively from the playlist resolves under the same signed prefix
    assertThat(at(NOW).verify(p[0], p[1], "videos/abc/360p/seg_000.ts")).isPresent();
    // another video's files are not covered
    assertThat(at(NOW).verify(p[0], p[1], "videos/xyz/master.m3u8")).isEmpty();
  }

  @Test
  void expiredForgedOrMalformedSignaturesAreRefused() {
    String[] p = parts(at(NOW).sign("videos/abc/", "videos/abc/master.m3u8"));
    assertThat(at(NOW.plus(Duration.ofHours(2))).verify(p[0], p[1], p[2])).isEmpty();
    assertThat(at(NOW).verify(p[0], "A" + p[1].substring(1), p[2])).isEmpty();
    String longerExpiry = (Long.parseLong(p[0].split("\\.")[0]) + 3600) + ".2";
    assertThat(at(NOW).verify(longerExpiry, p[1], p[2])).isEmpty();
    assertThat(at(NOW).verify("1.0", p[1], p[2])).isEmpty();
    assertThat(at(NOW).verify("garbage", p[1], p[2])).isEmpty();
    assertThat(at(NOW).verify(p[0].split("\\.")[0] + ".1", p[1], p[2])).isEmpty();
  }

  @Test
  void pathTricksAreNotSafeKeys() {
    assertThat(MediaSigner.isSafeKey("videos/abc/360p/seg_000.ts")).isTrue();
    assertThat(MediaSigner.isSafeKey("videos/abc/../xyz/master.m3u8")).isFalse();
    assertThat(MediaSigner.isSafeKey("videos/abc/%2e%2e/x")).isFalse();
    assertThat(MediaSigner.isSafeKey("videos//abc")).isFalse();
    assertThat(MediaSigner.isSafeKey("/etc/passwd")).isFalse();
    assertThat(MediaSigner.isSafeKey("videos\\abc")).isFalse();
  }
}
