package io.flick.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  @Test
  void firstFailuresAreFreeThenTheWaitDoubles() {
    for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
      assertThat(LoginThrottle.waitAfter(i)).isZero();
    }
    assertThat(LoginThrottle.waitAfter(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(LoginThrottle.waitAfter(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(LoginThrottle.waitAfter(7)).isEqualTo(Duration.ofSeconds(4));
    assertThat(LoginThrottle.waitAfter(1000)).isEqualTo(Duration.ofSeconds(256));
  }
}
