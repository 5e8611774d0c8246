package io.flick.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** FLICK_INFRA_START_TIMEOUT raises the servers' start timeouts, never lowers them. */
class StartTimeoutTest {
  private static final Duration OWN = Duration.ofSeconds(120);

  @Test
  void unsetLeavesEachServersOwnTimeout() {
    assertThat(DevInfra.startTimeout(OWN, null)).isEqualTo(OWN);
    assertThat(DevInfra.startTimeout(OWN, " ")).isEqualTo(OWN);
  }

  @Test
  void aLongerTimeoutRaisesItAndAShorterOneDoesNot() {
    assertThat(DevInfra.startTimeout(OWN, "300")).isEqualTo(Duration.ofSeconds(300));
    assertThat(DevInfra.startTimeout(OWN, "30")).isEqualTo(OWN);
  }

  @Test
  void aValueThatIsNoNumberOfSecondsIsRefusedSayingWhich() {
    assertThatThrownBy(() -> DevInfra.startTimeout(OWN, "5m"))
        .isInstanceOf(DevInfraException.class)
        .hasMessageContaining("FLICK_INFRA_START_TIMEOUT")
        .hasMessageContaining("5m");
  }
}
