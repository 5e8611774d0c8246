package io.flick.transcode.media;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes HLS master playlists. ffmpeg 5.1 writes only a nominal BANDWIDTH, so Flick writes its own
 * from measured segment sizes: BANDWIDTH is the peak bit rate of any run of segments lasting
 * 0.5–1.5 target durations (RFC 8216 §4.3.4.2), AVERAGE-BANDWIDTH the whole rung's size over its
 * duration, both including container overhead and audio.
 */
public final class MasterPlaylist {

  /** Container (MPEG-TS) and rate-control headroom added to nominal bandwidths. */
  static final double NOMINAL_OVERHEAD = 1.10;

  /**
   * One EXT-X-STREAM-INF entry.
   *
   * @param uri the media playlist, relative to the master playlist
   * @param bandwidth peak bits/s
   * @param averageBandwidth average bits/s
   * @param width RESOLUTION width
   * @param height RESOLUTION height
   * @param frameRate FRAME-RATE
   * @param codecs CODECS, e.g. {@code avc1.64001f,mp4a.40.2}
   */
  public record Variant(
      String uri,
      long bandwidth,
      long averageBandwidth,
      int width,
      int height,
      double frameRate,
      String codecs) {

    public Variant {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(codecs, "codecs");
      if (bandwidth <= 0 || averageBandwidth <= 0 || averageBandwidth > bandwidth) {
        throw new IllegalArgumentException("need 0 < averageBandwidth <= bandwidth");
      }
    }

    /** A variant from a rung's bitrate caps, for publishing before the rung is measured. */
    public static Variant nominal(Rung rung, double frameRate, String codecs, String uri) {
      boolean audio = codecs.contains("mp4a");
      long bps =
          Math.round(
              (rung.videoMaxrateKbps() + (audio ? rung.audioKbps() : 0))
                  * 1000.0
                  * NOMINAL_OVERHEAD);
      return new Variant(uri, bps, bps, rung.width(), rung.height(), frameRate, codecs);
    }

    /** A variant from a finished rung's measurements. */
    public static Variant measured(RungOutput out, String uri) {
      return new Variant(
          uri,
          out.peakBitrate(),
          out.averageBitrate(),
          out.rung().width(),
          out.rung().height(),
          out.frameRate(),
          out.codecs());
    }
  }

  private MasterPlaylist() {}

  /** The playlist text; variants in the given order (a player starts with the first). */
  public static String render(List<Variant> variants) {
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("a master playlist needs at least one variant");
    }
    StringBuilder sb = new StringBuilder();
    sb.append("#EXTM3U\n");
    sb.append("#EXT-X-VERSION:3\n");
    sb.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (Variant v : variants) {
      sb.append(
          String.format(
              Locale.ROOT,
              "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,FRAME-RATE=%.3f,CODECS=\"%s\"%n",
              v.bandwidth(),
              v.averageBandwidth(),
              v.width(),
              v.height(),
              v.frameRate(),
              v.codecs()));
      sb.append(v.uri()).append('\n');
    }
    return sb.toString().replace("\r\n", "\n");
  }
}
