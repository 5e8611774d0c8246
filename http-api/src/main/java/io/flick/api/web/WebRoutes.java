package io.flick.api.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web app: {@code /} is {@code web/index.html}, the app's own files sit next to it ({@code
 * /app.js}, {@code /app.css}…), and front-end libraries come from their WebJars under {@code
 * /webjars/<name>/<version>/…}. Everything is read from the classpath, so the jar alone serves the
 * app, offline. index.html and the app's files are revalidated on every load ({@code no-cache});
 * WebJar files carry their version in the path and are cached for a year as immutable.
 *
 * <p>Only names made of {@code [A-Za-z0-9._-]} segments that do not start with a dot are served, so
 * {@code ..}, encoded slashes and hidden files never reach the class loader.
 */
public final class WebRoutes extends AllDirectives {
  /** Where the app's files live on the classpath. */
  public static final String WEB_ROOT = "web/";

  private static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private static final ContentType JS =
      MediaTypes.applicationWithOpenCharset("javascript").toContentType(HttpCharsets.UTF_8);
  private static final Map<String, ContentType> TYPES =
      Map.of(
          "html",
          ContentTypes.TEXT_HTML_UTF8,
          "js",
          JS,
          "mjs",
          JS,
          "css",
          MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8),
          "svg",
          MediaTypes.IMAGE_SVG_XML.toContentType(),
          "json",
          ContentTypes.APPLICATION_JSON,
          "map",
          ContentTypes.APPLICATION_JSON,
          "webmanifest",
          MediaTypes.applicationWithFixedCharset("manifest+json", HttpCharsets.UTF_8)
              .toContentType(),
          "png",
          MediaTypes.IMAGE_PNG.toContentType(),
          "ico",
          MediaTypes.IMAGE_X_ICON.toContentType());

  private static final HttpHeader REVALIDATE = RawHeader.create("Cache-Control", "no-cache");
  private static final HttpHeader IMMUTABLE =
      RawHeader.create("Cache-Control", "public, max-age=31536000, immutable");

  public Route routes() {
    return get(
        () ->
            respondWithHeader(
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                () ->
                    concat(
                        pathSingleSlash(() -> resource(WEB_ROOT + "index.html", REVALIDATE)),
                        pathPrefix(
                            "webjars",
                            () ->
                                extractUnmatchedPath(
                                    rest ->
                                        safePath(rest.startsWith("/") ? rest.substring(1) : rest)
                                            .map(p -> resource(WEBJARS_ROOT + p, IMMUTABLE))
                                            .orElseGet(this::reject))),
                        path(
                            PathMatchers.segment(SAFE_SEGMENT),
                            file -> resource(WEB_ROOT + file, REVALIDATE)))));
  }

  private Route resource(String path, HttpHeader cache) {
    ContentType type = contentType(path);
    if (type == null) {
      return reject();
    }
    return respondWithHeader(cache, () -> getFromResource(path, type));
  }

  /** The path when every segment is safe, at most 8 deep; empty otherwise. */
  static java.util.Optional<String> safePath(String path) {
    List<String> segments = List.of(path.split("/", -1));
    if (segments.isEmpty() || segments.size() > 8) {
      return java.util.Optional.empty();
    }
    for (String segment : segments) {
      if (!SAFE_SEGMENT.matcher(segment).matches()) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.of(path);
  }

  static ContentType contentType(String path) {
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) {
      return null;
    }
    return TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
