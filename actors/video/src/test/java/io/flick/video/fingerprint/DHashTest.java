package io.flick.video.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DHashTest {

  @Test
  void brighterLeftPixelSetsTheBit() {
    byte[] falling = new byte[72];
    byte[] rising = new byte[72];
    for (int row = 0; row < 8; row++) {
      for (int col = 0; col < 9; col++) {
        falling[row * 9 + col] = (byte) (250 - col * 20);
        rising[row * 9 + col] = (byte) (10 + col * 20);
      }
    }
    assertThat(DHash.hash(falling, 0)).isEqualTo(-1L);
    assertThat(DHash.hash(rising, 0)).isZero();
    assertThat(DHash.hamming(DHash.hash(falling, 0), DHash.hash(rising, 0))).isEqualTo(64);
  }

  @Test
  void oneHashPerWholeFrame() {
    byte[] material = new byte[72 * 3 + 10];
    material[72] = (byte) 200; // frame 1, pixel (0,0) brighter than (1,0)
    long[] h = DHash.hashes(material);
    assertThat(h).hasSize(3);
    assertThat(h[0]).isZero();
    assertThat(h[1]).isEqualTo(1L);
    assertThat(DHash.meanDistance(h, new long[] {0, 0, 0})).isEqualTo(1.0 / 3);
    assertThat(DHash.meanDistance(h, new long[0])).isEqualTo(64);
    assertThat(DHash.toHex(1L)).isEqualTo("0000000000000001");
    assertThatThrownBy(() -> DHash.hash(material, 72 * 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
