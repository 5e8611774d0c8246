package io.flick.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreWellFormedAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = Ids.newId();
      assertThat(Ids.isWellFormed(id)).as(id).isTrue();
      assertThat(seen.add(id)).isTrue();
    }
  }

  @Test
  void rejectsForeignShapes() {
    assertThat(Ids.isWellFormed(null)).isFalse();
    assertThat(Ids.isWellFormed("")).isFalse();
    assertThat(Ids.isWellFormed("../../etc/passwd")).isFalse();
    assertThat(Ids.isWellFormed("ABCDEFGHIJKLMNOPQRSTUVWXYZ")).isFalse();
  }
}
