package io.flick.api.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A small per-node memory cache of immutable media objects, keyed by S3 key and bounded by bytes:
 * the level playlists and segments a first frame waits on, served without an S3 round trip.
 *
 * <p>What is cached: complete media playlists (with {@code #EXT-X-ENDLIST}; a playlist still
 * growing while the ladder is made is not) and segments, posters and init segments up to {@link
 * #maxObjectBytes}. Master playlists are never cached here: they are a video's entry point, so a
 * deleted video answers 404 at once on every node; the objects below them leave this cache at the
 * latest {@link #ttl} after they were read from S3.
 */
public final class MediaCache {
  /** A cached object: its bytes and content type. */
  public record Entry(byte[] body) {}

  private final Cache<String, Entry> cache;
  private final long maxObjectBytes;
  private final Duration ttl;

  public MediaCache(long maxBytes, long maxObjectBytes, Duration ttl) {
    this.maxObjectBytes = maxObjectBytes;
    this.ttl = ttl;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String k, Entry e) -> e.body().length + k.length() + 64)
            .expireAfterWrite(ttl)
            .build();
  }

  /** 64 MiB in all, objects up to 2 MiB, for at most 10 minutes. */
  public static MediaCache defaults() {
    return new MediaCache(64L << 20, 2L << 20, Duration.ofMinutes(10));
  }

  public Optional<Entry> get(String key) {
    return Optional.ofNullable(cache.getIfPresent(key));
  }

  /** Keeps {@code body} when the object may be cached (see the class comment). */
  public boolean offer(String key, byte[] body) {
    if (!cacheable(key, body)) {
      return false;
    }
    cache.put(key, new Entry(body));
    return true;
  }

  /** Whether an object of this size may be cached, judged before its body is read. */
  public boolean mayCache(String key, long length) {
    return length >= 0 && length <= maxObjectBytes && !isPlaylist(key);
  }

  boolean cacheable(String key, byte[] body) {
    if (body.length > maxObjectBytes) {
      return false;
    }
    if (isPlaylist(key)) {
      return !isMaster(body) && isComplete(body);
    }
    return true;
  }

  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  public Duration ttl() {
    return ttl;
  }

  /** Bytes held (approximate, after pending evictions). */
  long weightedSize() {
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }

  static boolean isPlaylist(String key) {
    return key.toLowerCase(Locale.ROOT).endsWith(".m3u8");
  }

  static boolean isMaster(byte[] playlist) {
    return new String(playlist, StandardCharsets.UTF_8).contains("#EXT-X-STREAM-INF");
  }

  static boolean isComplete(byte[] playlist) {
    return new String(playlist, StandardCharsets.UTF_8).contains("#EXT-X-ENDLIST");
  }

  /**
   * Cache-Control for an object: segments, posters, master playlists (written once) and complete
   * media playlists never change, so browsers may keep them as long as the signed URL is valid
   * ({@code maxAgeSeconds}, at most a year); a media playlist still growing is fresh for 2 s.
   */
  public static String cacheControl(String key, byte[] playlistOrNull, long maxAgeSeconds) {
    long maxAge = Math.max(0, Math.min(31_536_000L, maxAgeSeconds));
    if (isPlaylist(key)
        && (playlistOrNull == null || (!isMaster(playlistOrNull) && !isComplete(playlistOrNull)))) {
      return "public, max-age=2";
    }
    return "public, max-age=" + maxAge + ", immutable";
  }
}
