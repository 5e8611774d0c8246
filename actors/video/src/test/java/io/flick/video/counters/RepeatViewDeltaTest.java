package io.flick.video.counters;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.proto.events.Interaction;
import org.junit.jupiter.api.Test;

/** A view marked repeat (same viewer, same video, within the window) adds nothing to the counts. */
class RepeatViewDeltaTest {
  @Test
  void aRepeatedViewIsNotCounted() {
    Interaction.Builder view =
        Interaction.newBuilder().setKind(Interaction.Kind.VIEW).setWatchMs(1000).setCompleted(true);

    assertThat(VideoCounterStream.deltaOf(view.build()).views()).isEqualTo(1);
    assertThat(VideoCounterStream.deltaOf(view.setRepeat(true).build()))
        .isEqualTo(io.flick.video.CountDeltas.ZERO);
  }
}
