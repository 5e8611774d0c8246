package io.flick.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Finding 6: the OpenAPI document lists exactly the paths the node serves (RouteTemplates, the
 * table metrics and rate limits also use), and states the limits the routes enforce.
 */
class OpenApiAgreementTest {
  private static String document() throws Exception {
    try (InputStream in = OpenApiAgreementTest.class.getResourceAsStream("/openapi.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String shape(String path) {
    return path.replaceAll("\\{[^}]*}", "{}");
  }

  @Test
  void theDocumentListsEveryServedPathAndNoOther() throws Exception {
    Matcher m = Pattern.compile("(?m)^  (/[^:]*):\\s*$").matcher(document());
    Set<String> documented = new java.util.TreeSet<>();
    while (m.find()) {
      documented.add(shape(m.group(1)));
    }
    Set<String> served =
        RouteTemplates.API.stream()
            .filter(p -> !p.equals("/api/openapi.yaml"))
            .map(OpenApiAgreementTest::shape)
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    served.add("/media/{}/{}/{}");
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void theDocumentStatesTheLimitsTheRoutesEnforce() throws Exception {
    String doc = document();
    // social lists page up to 100, feeds up to 50 (SocialRoutes / FeedRoutes MAX_LIMIT)
    assertThat(doc)
        .contains(
            "Limit: {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 100");
    assertThat(doc)
        .contains(
            "FeedLimit: {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 50");
    assertThat(doc).contains("maxItems: 100"); // events per batch (InteractionRoutes.MAX_EVENTS)
    assertThat(doc).contains("Retry-After");
  }
}
