package io.flick.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flick.api.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchRoutesTest {

  @Test
  void aQueryIsTrimmedAndMustHoldSomethingShortAndPrintable() {
    assertThat(SearchRoutes.query(Optional.of("  cats on skates "))).isEqualTo("cats on skates");
    assertThat(SearchRoutes.query(Optional.of("title:* OR 1=1"))).isEqualTo("title:* OR 1=1");
    for (Optional<String> bad :
        java.util.List.of(
            Optional.<String>empty(),
            Optional.of(""),
            Optional.of("   "),
            Optional.of("x".repeat(101)),
            Optional.of("a\u0000b"))) {
      assertThatThrownBy(() -> SearchRoutes.query(bad))
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }
    // 100 characters, counted as characters, not UTF-16 units
    assertThat(SearchRoutes.query(Optional.of("😀".repeat(100)))).hasSize(200);
  }

  @Test
  void theTypeIsOneOfFiveAndTopByDefault() {
    assertThat(SearchRoutes.type(Optional.empty())).isEqualTo("top");
    assertThat(SearchRoutes.type(Optional.of("Users"))).isEqualTo("users");
    assertThatThrownBy(() -> SearchRoutes.type(Optional.of("movies")))
        .hasMessageContaining("top, videos, users, hashtags, sounds");
  }

  @Test
  void aCursorIsAnOffsetThisRouteHandedOut() {
    assertThat(SearchRoutes.offset(Optional.empty())).isZero();
    assertThat(SearchRoutes.offset(Optional.of("40"))).isEqualTo(40);
    for (String bad : new String[] {"-1", "abc", "1e3", "1000", "99999", "40 OR 1"}) {
      assertThatThrownBy(() -> SearchRoutes.offset(Optional.of(bad)))
          .as(bad)
          .hasMessage("not a search cursor");
    }
  }
}
