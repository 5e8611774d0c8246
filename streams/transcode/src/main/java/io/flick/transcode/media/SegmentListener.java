package io.flick.transcode.media;

/**
 * Told about the transcode as it happens, on the thread that called {@link
 * HlsLadderTranscoder#transcode}. Callbacks run while ffmpeg keeps encoding (it does not wait for
 * them), but a slow callback delays later notifications; hand long work (uploads) to another
 * executor. A callback that throws aborts the transcode: ffmpeg is killed and {@code transcode}
 * throws a transient {@link TranscodeException} with the callback's exception as its cause.
 */
public interface SegmentListener {

  /** Does nothing. */
  SegmentListener NONE = event -> {};

  /**
   * A segment is complete. Per rung, segments arrive in order; across rungs they interleave (all
   * rungs advance together, one decode feeds them all). Every segment of every rung is reported
   * before {@code transcode} returns successfully.
   */
  void onSegment(SegmentEvent event) throws Exception;

  /**
   * ffmpeg has started. Useful for metrics, and for tests that kill the process to simulate a
   * crash. Default: nothing.
   */
  default void onStart(ProcessHandle ffmpeg) throws Exception {}
}
