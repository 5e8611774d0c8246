package io.flick.transcode.media;

import io.flick.video.fingerprint.DHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one transcode produced. Paths are inside {@link #outputDir()}; upload them keeping
 * their paths relative to it ({@link #files()}), and the playlists' relative URIs stay valid.
 *
 * @param outputDir where everything was written
 * @param masterPlaylist {@code <out>/master.m3u8}, all rungs, measured bandwidths, lowest first
 * @param rungs the finished rungs, lowest first
 * @param poster {@code <out>/poster.jpg}, display-oriented
 * @param posterWidth poster width in pixels
 * @param posterHeight poster height in pixels
 * @param dhashMaterial 9x8 grey frames, one per second, 72 bytes each (see {@link DHash})
 * @param durationSeconds duration of the output (sum of the top rung's segments)
 * @param width source display width (after rotation)
 * @param height source display height (after rotation)
 * @param frameRate output frame rate
 * @param hasAudio whether the rungs carry audio
 * @param elapsed wall time of the transcode
 * @param firstSegmentReady wall time until the lowest rung's first segment was complete
 * @param audioFingerprint the raw Chromaprint fingerprint of the first audio track (see {@code
 *     AudioFingerprint}); empty without audio
 */
public record TranscodeResult(
    Path outputDir,
    Path masterPlaylist,
    List<RungOutput> rungs,
    Path poster,
    int posterWidth,
    int posterHeight,
    byte[] dhashMaterial,
    double durationSeconds,
    int width,
    int height,
    double frameRate,
    boolean hasAudio,
    Duration elapsed,
    Duration firstSegmentReady,
    byte[] audioFingerprint) {

  public TranscodeResult {
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(masterPlaylist, "masterPlaylist");
    rungs = List.copyOf(rungs);
    Objects.requireNonNull(poster, "poster");
    Objects.requireNonNull(dhashMaterial, "dhashMaterial");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(firstSegmentReady, "firstSegmentReady");
    audioFingerprint = audioFingerprint == null ? new byte[0] : audioFingerprint;
  }

  /** One 64-bit dHash per sampled second. */
  public long[] dhashes() {
    return DHash.hashes(dhashMaterial);
  }

  /** The files to publish: master playlist, poster, and every rung's playlist and segments. */
  public List<Path> files() {
    List<Path> out = new ArrayList<>();
    out.add(masterPlaylist);
    out.add(poster);
    for (RungOutput r : rungs) {
      out.addAll(r.segments());
      out.add(r.mediaPlaylist());
    }
    return out;
  }
}
