package io.flick.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.api.JUnit5RouteTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;

/** Finding 4: the web app's pages and files carry a CSP, frame-ancestors and a referrer policy. */
class WebSecurityHeadersTest extends JUnit5RouteTest {
  private final WebRoutes web =
      new WebRoutes(WebRoutes.Settings.of("http://127.0.0.1:9000/", "", "https://cdn.example/x"));

  @Test
  void everyPageAndFileCarriesTheBrowserPolicy() {
    for (String path : new String[] {"/", "/app.js", "/app.css"}) {
      TestRouteResult r = testRoute(web.routes()).run(HttpRequest.GET(path));
      r.assertStatusCode(200);
      String csp = r.response().getHeader("Content-Security-Policy").orElseThrow().value();
      assertThat(csp)
          .contains("default-src 'self'")
          .contains("frame-ancestors 'none'")
          .contains("object-src 'none'")
          .contains("style-src 'self';")
          .contains("media-src 'self' blob: http://127.0.0.1:9000 https://cdn.example")
          .contains("connect-src 'self' http://127.0.0.1:9000 https://cdn.example")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval");
      r.assertHeaderExists("Referrer-Policy", "no-referrer");
      r.assertHeaderExists("X-Content-Type-Options", "nosniff");
      r.assertHeaderExists("X-Frame-Options", "DENY");
      assertThat(r.response().getHeader("Permissions-Policy").orElseThrow().value())
          .contains("camera=()");
    }
  }

  @Test
  void theInlineBootScriptIsAllowedByItsHashOnly() throws Exception {
    TestRouteResult r = testRoute(web.routes()).run(HttpRequest.GET("/"));
    String html = r.entityString();
    Matcher m = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).isTrue();
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(m.group(1).getBytes(StandardCharsets.UTF_8)));
    String csp = r.response().getHeader("Content-Security-Policy").orElseThrow().value();
    assertThat(csp).contains("script-src 'self' 'sha256-" + hash + "'");
    // no inline event handlers or style attributes in the page
    assertThat(html).doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=");
  }
}
