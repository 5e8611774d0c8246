package io.flick.video.fingerprint;

import java.util.Objects;

/**
 * Difference hashes of video frames, for near-duplicate detection. The transcoder samples one frame
 * per second, scaled to 9x8 grey pixels ({@code fps=1,scale=9:8,format=gray}), i.e. 72 bytes per
 * sampled second. Each frame gives a 64-bit hash: bit {@code row*8+col} is set when pixel {@code
 * (col, row)} is brighter than its right neighbour.
 *
 * <p>A re-encode of the same clip differs by a few bits per frame; unrelated clips by about 32.
 */
public final class DHash {

  /** Bytes of one sampled frame: 9 columns by 8 rows of 8-bit grey. */
  public static final int FRAME_BYTES = 72;

  private static final int WIDTH = 9;
  private static final int HEIGHT = 8;

  private DHash() {}

  /** The number of whole frames in the material. */
  public static int frameCount(byte[] material) {
    return material.length / FRAME_BYTES;
  }

  /** One hash per 72-byte frame; a trailing partial frame is ignored. */
  public static long[] hashes(byte[] material) {
    Objects.requireNonNull(material, "material");
    long[] out = new long[frameCount(material)];
    for (int i = 0; i < out.length; i++) {
      out[i] = hash(material, i * FRAME_BYTES);
    }
    return out;
  }

  /** The hash of the 72-byte frame starting at {@code offset}. */
  public static long hash(byte[] material, int offset) {
    if (offset < 0 || offset + FRAME_BYTES > material.length) {
      throw new IndexOutOfBoundsException("no whole frame at offset " + offset);
    }
    long h = 0;
    int bit = 0;
    for (int row = 0; row < HEIGHT; row++) {
      int base = offset + row * WIDTH;
      for (int col = 0; col < WIDTH - 1; col++) {
        int left = material[base + col] & 0xff;
        int right = material[base + col + 1] & 0xff;
        if (left > right) {
          h |= 1L << bit;
        }
        bit++;
      }
    }
    return h;
  }

  /** Number of differing bits, 0..64. */
  public static int hamming(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  /**
   * Mean Hamming distance of frames at the same second, over the shorter sequence; 64 when either
   * is empty (nothing in common).
   */
  public static double meanDistance(long[] a, long[] b) {
    int n = Math.min(a.length, b.length);
    if (n == 0) {
      return 64;
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += hamming(a[i], b[i]);
    }
    return (double) sum / n;
  }

  /** The hash as 16 hex digits. */
  public static String toHex(long hash) {
    return String.format("%016x", hash);
  }
}
