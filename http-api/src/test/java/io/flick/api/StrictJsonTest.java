package io.flick.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Finding 5: bodies with duplicate keys, trailing content or values of the wrong type are refused
 * with a 400 naming the field, and nothing reaches the route; a 413 names no internal setting.
 */
class StrictJsonTest extends JUnit5RouteTest {
  record Body(String handle, Long watchMs, Boolean completed, List<String> hashtags) {}

  private final AtomicInteger handled = new AtomicInteger();

  private final Route route =
      HttpApi.problems(
          path(
              "things",
              () ->
                  post(
                      () ->
                          withSizeLimit(
                              1024,
                              () ->
                                  entity(
                                      Json.unmarshaller(Body.class),
                                      body -> {
                                        handled.incrementAndGet();
                                        return complete("ok");
                                      })))));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"handle\":\"ann\",\"handle\":\"bob\"}                  | duplicate field 'handle'",
        "{\"handle\":\"ann\"} {\"handle\":\"bob\"}                | more after it",
        "{\"handle\":\"ann\"}garbage                              | not valid JSON",
        "{\"handle\":12}                                          | field 'handle' must be a string",
        "{\"watchMs\":1.5}                                        | field 'watchMs' must be an integer",
        "{\"watchMs\":\"1000\"}                                   | field 'watchMs' must be an integer",
        "{\"completed\":\"yes\"}                                  | field 'completed' must be true or false",
        "{\"completed\":1}                                        | field 'completed' must be true or false",
        "{\"hashtags\":\"dance\"}                                 | field 'hashtags' must be an array",
        "{\"hashtags\":[1]}                                       | field 'hashtags[0]' must be a string",
        "[1,2]                                                    | must be an object",
      })
  void aBadBodyIsA400NamingWhatIsWrongAndReachesNothing(String body, String detail)
      throws Exception {
    TestRouteResult r = post(body.strip());

    r.assertStatusCode(400).assertMediaType("application/problem+json");
    JsonNode problem = Json.MAPPER.readTree(r.entityString());
    assertThat(problem.get("detail").asText()).contains(detail);
    assertThat(problem.get("detail").asText()).doesNotContain("io.flick", "java.", "Jackson");
    assertThat(handled).hasValue(0);
  }

  @Test
  void aGoodBodyPasses() {
    post("{\"handle\":\"ann\",\"watchMs\":10,\"completed\":true,\"hashtags\":[\"a\"],\"x\":1}")
        .assertStatusCode(200);
    assertThat(handled).hasValue(1);
  }

  @Test
  void aTooLargeBodyIsA413NamingNoSetting() throws Exception {
    TestRouteResult r = post("{\"handle\":\"" + "a".repeat(2000) + "\"}");

    r.assertStatusCode(413).assertMediaType("application/problem+json");
    String detail = Json.MAPPER.readTree(r.entityString()).get("detail").asText();
    assertThat(detail)
        .contains("1024 bytes")
        .doesNotContain("pekko", "max-content-length", "withSizeLimit");
    assertThat(handled).hasValue(0);
  }

  private TestRouteResult post(String body) {
    return testRoute(route)
        .run(HttpRequest.POST("/things").withEntity(ContentTypes.APPLICATION_JSON, body));
  }
}
