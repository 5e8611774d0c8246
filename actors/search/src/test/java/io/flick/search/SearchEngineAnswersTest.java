package io.flick.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How the engine's answers become outcomes: what is the engine's state, what is a bug. */
class SearchEngineAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMissingIndexIsTheEngineNotReadyNotABadRequest() throws Exception {
    var missing =
        new SearchEngine.Answer(
            404,
            JSON.readTree(
                "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index"
                    + " [flick-videos]\"},\"status\":404}"));
    assertThatThrownBy(() -> SearchEngine.ok(missing, "searching"))
        .isInstanceOf(SearchUnavailableException.class)
        .hasMessageContaining("do not exist yet");
  }

  @Test
  void anotherRefusalIsAnErrorAndA2xxPasses() throws Exception {
    var refused =
        new SearchEngine.Answer(
            400, JSON.readTree("{\"error\":{\"type\":\"parsing_exception\"},\"status\":400}"));
    assertThatThrownBy(() -> SearchEngine.ok(refused, "searching"))
        .isInstanceOf(IllegalStateException.class);
    var fine = new SearchEngine.Answer(200, JSON.readTree("{\"hits\":{}}"));
    assertThat(SearchEngine.ok(fine, "searching")).isSameAs(fine);
  }
}
