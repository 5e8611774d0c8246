package io.flick.transcode.media;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A media segment of one rung is complete on disk and will not change again.
 *
 * @param rungIndex index into {@link LadderPlan#rungs()} (0 = lowest)
 * @param rung the rung
 * @param sequence the segment's media sequence number within its rung, from 0
 * @param segment the segment file (MPEG-TS)
 * @param durationSeconds the segment's duration as written in the playlist
 * @param last true for the rung's final segment (its playlist now ends with ENDLIST)
 * @param codecs the rung's RFC 6381 CODECS value, read from the rung's first segment, e.g. {@code
 *     avc1.64001f,mp4a.40.2}
 * @param frameRate the output frame rate
 * @param mediaPlaylist the rung's media playlist listing exactly the segments up to and including
 *     this one: an EVENT playlist while the rung is growing, VOD with ENDLIST when {@code last}.
 *     Upload the segment first, then this text as the rung's {@code index.m3u8}, and a player never
 *     sees a segment that is not there yet.
 */
public record SegmentEvent(
    int rungIndex,
    Rung rung,
    int sequence,
    Path segment,
    double durationSeconds,
    boolean last,
    String codecs,
    double frameRate,
    String mediaPlaylist) {

  public SegmentEvent {
    Objects.requireNonNull(rung, "rung");
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(codecs, "codecs");
    Objects.requireNonNull(mediaPlaylist, "mediaPlaylist");
  }

  /** The segment's path relative to the output directory, e.g. {@code 360p/seg_00000.ts}. */
  public String relativeUri() {
    return rung.name() + "/" + segment.getFileName();
  }

  /** The rung's media playlist path relative to the output directory. */
  public String playlistUri() {
    return rung.name() + "/" + HlsLadderTranscoder.MEDIA_PLAYLIST;
  }

  /**
   * A master playlist listing only this event's rung, with nominal bandwidths (from the rung's
   * caps; measured ones exist only when the rung is complete). Publish it once the first segments
   * of the lowest rung are uploaded so the clip can play before the ladder is done; replace it with
   * {@link TranscodeResult#masterPlaylist()} at the end.
   */
  public String singleRungMasterPlaylist() {
    return MasterPlaylist.render(
        List.of(MasterPlaylist.Variant.nominal(rung, frameRate, codecs, playlistUri())));
  }
}
