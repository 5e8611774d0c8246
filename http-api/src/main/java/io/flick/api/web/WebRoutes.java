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

  /**
   * What the browser policy needs to know of the deployment: the origins besides the node's own
   * that the app talks to (the S3 endpoint presigned uploads go to; a CDN serving media).
   */
  public record Settings(List<String> origins) {
    public static final Settings DEFAULT = new Settings(List.of());

    /** The origins of these URLs (scheme://host:port); empty or unparsable ones are skipped. */
    public static Settings of(String... urls) {
      List<String> origins = new java.util.ArrayList<>();
      for (String url : urls) {
        origin(url).filter(o -> !origins.contains(o)).ifPresent(origins::add);
      }
      return new Settings(List.copyOf(origins));
    }

    static java.util.Optional<String> origin(String url) {
      if (url == null || url.isBlank()) {
        return java.util.Optional.empty();
      }
      try {
        java.net.URI uri = java.net.URI.create(url.strip());
        if (uri.getScheme() == null || uri.getHost() == null) {
          return java.util.Optional.empty();
        }
        String origin = uri.getScheme() + "://" + uri.getHost();
        return java.util.Optional.of(uri.getPort() < 0 ? origin : origin + ":" + uri.getPort());
      } catch (IllegalArgumentException e) {
        return java.util.Optional.empty();
      }
    }
  }

  private final List<HttpHeader> browserPolicy;

  public WebRoutes() {
    this(Settings.DEFAULT);
  }

  public WebRoutes(Settings settings) {
    this.browserPolicy = browserPolicy(settings, inlineScriptHashes());
  }

  /**
   * The headers every page and file of the app carries: a Content-Security-Policy that allows only
   * the app's own files, index.html's inline boot script by its hash, media and blobs (hls.js feeds
   * the video element through Media Source blobs) and the configured origins; no framing; no
   * referrer; no powerful features.
   */
  static List<HttpHeader> browserPolicy(Settings settings, List<String> scriptHashes) {
    String others = settings.origins().isEmpty() ? "" : " " + String.join(" ", settings.origins());
    String scripts =
        scriptHashes.stream().map(h -> " 'sha256-" + h + "'").reduce("", String::concat);
    String csp =
        "default-src 'self'; script-src 'self'"
            + scripts
            + "; style-src 'self'; img-src 'self' data: blob:"
            + others
            + "; media-src 'self' blob:"
            + others
            + "; connect-src 'self'"
            + others
            + "; worker-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";
    return List.of(
        RawHeader.create("Content-Security-Policy", csp),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("X-Frame-Options", "DENY"),
        RawHeader.create("Referrer-Policy", "no-referrer"),
        RawHeader.create(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(),"
                + " bluetooth=(), interest-cohort=()"),
        RawHeader.create("Cross-Origin-Opener-Policy", "same-origin"));
  }

  /** SHA-256 (base64) of each inline script of index.html as served (after resource filtering). */
  static List<String> inlineScriptHashes() {
    String html;
    try (java.io.InputStream in =
        WebRoutes.class.getClassLoader().getResourceAsStream(WEB_ROOT + "index.html")) {
      if (in == null) {
        return List.of();
      }
      html = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> hashes = new java.util.ArrayList<>();
    java.util.regex.Matcher m =
        Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    while (m.find()) {
      try {
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(m.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        hashes.add(java.util.Base64.getEncoder().encodeToString(digest));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return List.copyOf(hashes);
  }

  public Route routes() {
    return get(
        () ->
            respondWithHeaders(
                browserPolicy,
                () ->
                    concat(
                        pathSingleSlash(() -> resource(WEB_ROOT + "index.html", REVALIDATE)),
                        // the operators' page: cluster, shards, stream rates and lags (ops.js)
                        path("ops", () -> resource(WEB_ROOT + "ops.html", REVALIDATE)),
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
