package io.flick.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.api.RouteTemplates;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Finding 1: /metrics took the raw request path as a label when an id was not of the expected
 * shape. Labels now come only from the route templates and fixed sets, whatever the path.
 */
class BoundedMetricsTest {
  private static final String[] SHAPES = {
    "/api/v1/videos/%s",
    "/api/v1/videos/%s/comments",
    "/api/v1/videos/%s/views",
    "/api/v1/users/%s",
    "/api/v1/users/%s/follow",
    "/api/v1/hashtags/%s/videos",
    "/api/v1/%s",
    "/api/v1/videos/%s/%s",
    "/%s",
    "/webjars/%s/%s.js",
    "/media/%s/%s/%s",
    "/api/v1/comments/%s",
    "/%s/%s/%s/%s/%s/%s/%s/%s",
  };
  private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "BREW", "PROPFIND"};
  private static final int[] STATUSES = {200, 202, 400, 401, 404, 405, 429};

  @Test
  void hammeringRandomPathsAndIdsAddsNoSeries() {
    Metrics metrics = new Metrics();
    Random random = new Random(18);
    // every template, method and status once: the most series there can be
    for (int round = 0; round < 2; round++) {
      for (String shape : SHAPES) {
        for (String method : METHODS) {
          for (int status : STATUSES) {
            metrics.recordHttp(method, path(shape, random), status, 1_000);
          }
        }
      }
    }
    long before = series(metrics);

    for (int i = 0; i < 20_000; i++) {
      String shape = SHAPES[random.nextInt(SHAPES.length)];
      metrics.recordHttp(
          METHODS[random.nextInt(METHODS.length)],
          path(shape, random),
          STATUSES[random.nextInt(STATUSES.length)],
          1_000);
    }

    assertThat(series(metrics)).isEqualTo(before);
    String scrape = new String(metrics.scrape(), StandardCharsets.UTF_8);
    assertThat(scrape).doesNotContain("made-up").doesNotContain("BREW");
  }

  @Test
  void pathsAreNamedByTheirTemplate() {
    assertThat(RouteTemplates.of("/api/v1/videos/made-up!!/comments"))
        .isEqualTo("/api/v1/videos/{id}/comments");
    assertThat(RouteTemplates.of("/api/v1/hashtags/dance/videos"))
        .isEqualTo("/api/v1/hashtags/{name}/videos");
    assertThat(RouteTemplates.of("/api/v1/nothing/here")).isEqualTo(RouteTemplates.UNMATCHED);
    assertThat(RouteTemplates.of("/media/1/abc/videos/x/master.m3u8"))
        .isEqualTo(RouteTemplates.MEDIA);
    assertThat(RouteTemplates.of("/app.js")).isEqualTo(RouteTemplates.WEB);
    assertThat(RouteTemplates.of("/metrics")).isEqualTo("/metrics");
    assertThat(RouteTemplates.method("BREW")).isEqualTo("OTHER");
  }

  private static String path(String shape, Random random) {
    Object[] ids = new Object[8];
    for (int i = 0; i < ids.length; i++) {
      ids[i] =
          random.nextBoolean()
              ? "made-up-" + UUID.randomUUID()
              : Long.toString(random.nextLong() & Long.MAX_VALUE);
    }
    return String.format(shape, ids);
  }

  private static long series(Metrics metrics) {
    return metrics.registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().startsWith("flick_http"))
        .mapToLong(m -> m.getDataPoints().size())
        .sum();
  }
}
