package io.flick.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A request whose entity lives on a node that just died (the ask to its shard times out) is told to
 * come back: a 503 problem with Retry-After, which clients retry, never a 500 or a hang.
 */
class ClusterUnavailableTest extends JUnit5RouteTest {
  private final Route route =
      HttpApi.problems(
          concat(
              path(
                  "thrown",
                  () ->
                      get(
                          () -> {
                            throw new CompletionException(
                                new AskTimeoutException("Ask timed out on [sharding/Video]"));
                          })),
              path(
                  "async",
                  () ->
                      get(
                          () ->
                              onSuccess(
                                  CompletableFuture.<String>failedFuture(
                                      new CompletionException(
                                          new AskTimeoutException("Ask timed out"))),
                                  this::complete)))));

  @Test
  void aTimedOutAskIsARetryable503WithRetryAfter() throws Exception {
    for (String path : new String[] {"/thrown", "/async"}) {
      TestRouteResult r = testRoute(route).run(HttpRequest.GET(path));

      r.assertStatusCode(503).assertMediaType("application/problem+json");
      r.assertHeaderExists("Retry-After", String.valueOf(HttpApi.RETRY_AFTER_SECONDS));
      JsonNode problem = Json.MAPPER.readTree(r.entityString());
      assertThat(problem.get("detail").asText()).contains("retry").doesNotContain("sharding");
    }
  }
}
