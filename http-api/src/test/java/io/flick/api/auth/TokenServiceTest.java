package io.flick.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private TokenService at(Instant instant) {
    return new TokenService(SECRET, Duration.ofHours(1), Clock.fixed(instant, ZoneOffset.UTC));
  }

  @Test
  void issuedTokenVerifies() {
    var issued = at(NOW).issue("u1", "ada");
    assertThat(issued.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(at(NOW.plusSeconds(60)).verify(issued.token()))
        .isEqualTo(new TokenService.Caller("u1", "ada", "ZZ"));
  }

  @Test
  void expiredTokenIsRefused() {
    var issued = at(NOW).issue("u1", "ada");
    assertThatThrownBy(() -> at(NOW.plus(Duration.ofHours(2))).verify(issued.token()))
        .isInstanceOf(TokenService.InvalidTokenException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void aRememberedTokenIsStillRefusedOnceExpired() {
    Instant[] now = {NOW};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    TokenService tokens = new TokenService(SECRET, Duration.ofHours(1), clock);
    var issued = tokens.issue("u1", "ada", "DE");
    var caller = new TokenService.Caller("u1", "ada", "DE");
    assertThat(tokens.verify(issued.token())).isEqualTo(caller);
    assertThat(tokens.verify(issued.token())).isEqualTo(caller); // remembered
    now[0] = NOW.plus(Duration.ofHours(1)).plusSeconds(1);
    assertThatThrownBy(() -> tokens.verify(issued.token()))
        .isInstanceOf(TokenService.InvalidTokenException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void forgedTokenIsRefused() {
    var forged =
        new TokenService(
                "another-secret-that-is-long-enough-for-hs256",
                Duration.ofHours(1),
                Clock.fixed(NOW, ZoneOffset.UTC))
            .issue("u1", "ada");
    assertThatThrownBy(() -> at(NOW).verify(forged.token()))
        .isInstanceOf(TokenService.InvalidTokenException.class);
    assertThatThrownBy(() -> at(NOW).verify("not.a.jwt"))
        .isInstanceOf(TokenService.InvalidTokenException.class);
  }

  @Test
  void shortSecretIsRejected() {
    assertThatThrownBy(() -> new TokenService("short", Duration.ofHours(1), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
