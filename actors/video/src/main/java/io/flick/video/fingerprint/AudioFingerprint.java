package io.flick.video.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A Chromaprint fingerprint of an audio track: one 32-bit sub-fingerprint per {@value
 * #FRAME_SECONDS} s of audio (ffmpeg's {@code chromaprint} muxer with {@code -fp_format raw}, or
 * {@code fpcalc -raw}), and the rule that says two tracks are the same sound.
 *
 * <p><b>Matching rule.</b> Slide one fingerprint over the other by up to {@value
 * #MAX_OFFSET_FRAMES} frames (about 5 s) either way; at each offset count the differing bits of the
 * overlapping sub-fingerprints. Two tracks are the same sound when, at the best offset, the overlap
 * covers at least {@value #MIN_OVERLAP_FRAMES} frames (about 4 s, or the whole shorter track if it
 * is shorter) and the bit error rate is at most {@value #MAX_BIT_ERROR_RATE}. A re-encode of the
 * same audio at another bitrate, trimmed by under a second or 6 dB quieter, sits near 0.05;
 * unrelated audio from 0.30 on the synthetic test corpus (independent random bits would be 0.5).
 *
 * <p>Featureless audio ({@link #isFeatureless}: silence, a steady tone) matches nothing.
 *
 * <p>Candidates are found through {@link #keys}: the top {@value #KEY_BITS} bits of each
 * sub-fingerprint, which survive a re-encode in about a third of the frames.
 */
public final class AudioFingerprint {

  /** Seconds of audio per sub-fingerprint (Chromaprint's default algorithm). */
  public static final double FRAME_SECONDS = 0.1238;

  /** Best-offset bit error rate at or below which two tracks are the same sound. */
  public static final double MAX_BIT_ERROR_RATE = 0.15;

  /** Offsets tried either way, in sub-fingerprints (~5 s). */
  public static final int MAX_OFFSET_FRAMES = 40;

  /** Overlap needed for a verdict, in sub-fingerprints (~4 s). */
  public static final int MIN_OVERLAP_FRAMES = 32;

  /** Bits of a sub-fingerprint used as a lookup key. */
  public static final int KEY_BITS = 16;

  private final int[] frames;

  private AudioFingerprint(int[] frames) {
    this.frames = frames;
  }

  /** The raw muxer output: little-endian 32-bit words; a trailing partial word is ignored. */
  public static AudioFingerprint fromRaw(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[raw.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getInt();
    }
    return new AudioFingerprint(out);
  }

  /** From {@link #toBase64()}. */
  public static AudioFingerprint fromBase64(String base64) {
    return fromRaw(Base64.getDecoder().decode(base64));
  }

  public static AudioFingerprint of(int... frames) {
    return new AudioFingerprint(frames.clone());
  }

  public int length() {
    return frames.length;
  }

  /** Seconds of audio the sub-fingerprints start in (Chromaprint leaves out the last ~3 s). */
  public double seconds() {
    return frames.length * FRAME_SECONDS;
  }

  public boolean isEmpty() {
    return frames.length == 0;
  }

  /** The raw little-endian words, base64: how the fingerprint travels in events and tables. */
  public String toBase64() {
    ByteBuffer b = ByteBuffer.allocate(frames.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int f : frames) {
      b.putInt(f);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** Distinct lookup keys of the first {@code maxFrames} sub-fingerprints, in order. */
  public Set<Integer> keys(int maxFrames) {
    Set<Integer> out = new LinkedHashSet<>();
    for (int i = 0; i < Math.min(maxFrames, frames.length); i++) {
      out.add(frames[i] >>> (32 - KEY_BITS));
    }
    return out;
  }

  /**
   * The lowest bit error rate over the offsets tried with enough overlap; 1.0 when no offset
   * overlaps enough.
   */
  public double bitErrorRate(AudioFingerprint other) {
    int[] a = frames;
    int[] b = other.frames;
    int minOverlap = Math.max(1, Math.min(MIN_OVERLAP_FRAMES, Math.min(a.length, b.length)));
    double best = 1.0;
    for (int off = -MAX_OFFSET_FRAMES; off <= MAX_OFFSET_FRAMES; off++) {
      int from = Math.max(0, -off);
      int to = Math.min(a.length, b.length - off);
      int n = to - from;
      if (n < minOverlap) {
        continue;
      }
      long bits = 0;
      for (int i = from; i < to; i++) {
        bits += Integer.bitCount(a[i] ^ b[i + off]);
      }
      best = Math.min(best, bits / (32.0 * n));
    }
    return best;
  }

  /**
   * True when the audio has too little variation to tell it from other audio: silence and steady
   * tones give the same sub-fingerprint frame after frame (and two different tones are within the
   * matching rule of each other). Such audio is never matched to a sound.
   */
  public boolean isFeatureless() {
    return Arrays.stream(frames).distinct().count() * 10 < Math.max(frames.length, 10);
  }

  /** True when the two are the same sound by the rule above; never for featureless audio. */
  public boolean matches(AudioFingerprint other) {
    return !isFeatureless() && !other.isFeatureless() && bitErrorRate(other) <= MAX_BIT_ERROR_RATE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioFingerprint f && Arrays.equals(frames, f.frames);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(frames);
  }

  @Override
  public String toString() {
    return "AudioFingerprint[" + frames.length + " frames]";
  }
}
