package io.flick.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.api.JUnit5RouteTest;
import java.io.InputStream;
import java.util.Properties;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;

/** The web app's static files: content types, cache headers, 404s, no way out of the web root. */
class WebRoutesTest extends JUnit5RouteTest {
  private final Route route = new WebRoutes().routes();

  static String hlsVersion() throws Exception {
    try (InputStream in =
        WebRoutesTest.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/hls.js/pom.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }

  @Test
  void indexIsServedAtTheRootAndAlwaysRevalidated() throws Exception {
    TestRouteResult r = testRoute(route).run(HttpRequest.GET("/"));
    r.assertStatusCode(StatusCodes.OK)
        .assertMediaType("text/html")
        .assertHeaderExists("Cache-Control", "no-cache");
    String html = r.entityString();
    assertThat(html).contains("<title>Flick</title>");
    // the WebJar's version was filled in by the build, and no CDN is named
    assertThat(html).contains("/webjars/hls.js/" + hlsVersion() + "/dist/hls.light.min.js");
    assertThat(html).doesNotContain("${").doesNotContain("https://");
  }

  @Test
  void theOpsPageLivesWithTheAppsPolicyNoInlineScriptNoCdn() {
    TestRouteResult r = testRoute(route).run(HttpRequest.GET("/ops"));
    r.assertStatusCode(StatusCodes.OK).assertMediaType("text/html");
    String html = r.entityString();
    assertThat(html).contains("<title>Flick ops</title>", "src=\"/ops.js\"", "href=\"/ops.css\"");
    // index.html's boot script is the only inline script the policy allows: none here
    assertThat(html).doesNotContain("<script>").doesNotContain("style=").doesNotContain("https://");
    assertThat(r.response().getHeader("Content-Security-Policy").orElseThrow().value())
        .contains("script-src 'self'")
        .contains("connect-src 'self'");
    testRoute(route)
        .run(HttpRequest.GET("/ops.js"))
        .assertStatusCode(StatusCodes.OK)
        .assertContentType("application/javascript; charset=UTF-8");
  }

  @Test
  void appFilesHaveTheirContentTypes() {
    testRoute(route)
        .run(HttpRequest.GET("/app.js"))
        .assertStatusCode(StatusCodes.OK)
        .assertContentType("application/javascript; charset=UTF-8")
        .assertHeaderExists("Cache-Control", "no-cache")
        .assertHeaderExists("X-Content-Type-Options", "nosniff");
    testRoute(route)
        .run(HttpRequest.GET("/app.css"))
        .assertStatusCode(StatusCodes.OK)
        .assertContentType("text/css; charset=UTF-8");
    testRoute(route)
        .run(HttpRequest.GET("/favicon.svg"))
        .assertStatusCode(StatusCodes.OK)
        .assertMediaType("image/svg+xml");
  }

  @Test
  void webJarAssetsAreVersionedAndImmutable() throws Exception {
    TestRouteResult r =
        testRoute(route)
            .run(HttpRequest.GET("/webjars/hls.js/" + hlsVersion() + "/dist/hls.light.min.js"));
    r.assertStatusCode(StatusCodes.OK)
        .assertContentType("application/javascript; charset=UTF-8")
        .assertHeaderExists("Cache-Control", "public, max-age=31536000, immutable");
    assertThat(r.entityString()).contains("Hls");
  }

  @Test
  void missingAssetsAre404() throws Exception {
    testRoute(route)
        .run(HttpRequest.GET("/webjars/hls.js/" + hlsVersion() + "/dist/nope.js"))
        .assertStatusCode(StatusCodes.NOT_FOUND);
    testRoute(route).run(HttpRequest.GET("/nope.js")).assertStatusCode(StatusCodes.NOT_FOUND);
    // a folder is not a file
    testRoute(route)
        .run(HttpRequest.GET("/webjars/hls.js/" + hlsVersion() + "/dist"))
        .assertStatusCode(StatusCodes.NOT_FOUND);
    // the classpath outside web/ is not served, nor are files without a known type
    testRoute(route).run(HttpRequest.GET("/openapi.yaml")).assertStatusCode(StatusCodes.NOT_FOUND);
    testRoute(route)
        .run(HttpRequest.GET("/webjars/hls.js/" + hlsVersion() + "/LICENSE"))
        .assertStatusCode(StatusCodes.NOT_FOUND);
  }

  @Test
  void noPathTraversal() {
    for (String path :
        new String[] {
          "/../web/index.html",
          "/..%2Fweb%2Findex.html",
          "/%2e%2e/openapi.yaml",
          "/webjars/../web/app.js",
          "/webjars/hls.js/..%2F..%2F..%2F..%2Fio/flick/api/web/WebRoutes.class",
          "/webjars/%2e%2e/%2e%2e/%2e%2e/web/app.js",
          "/webjars/hls.js//dist/hls.js",
          "/.hidden.js",
          "/webjars/hls.js/1.0/.x.js",
          "/web/app.js",
          "/io/flick/api/web/WebRoutes.class"
        }) {
      TestRouteResult r = testRoute(route).run(HttpRequest.GET(path));
      assertThat(r.response().status().intValue()).as(path).isIn(400, 404);
    }
  }

  @Test
  void onlyGet() {
    testRoute(route)
        .run(HttpRequest.POST("/app.js"))
        .assertStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
  }
}
