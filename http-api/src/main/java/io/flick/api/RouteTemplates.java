package io.flick.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's route templates ({@code /api/v1/videos/{id}/comments}), matched segment by segment
 * against a request path. What a path is called on /metrics and which rate limit it falls under
 * come from here, so the set of names is fixed by this table and never grows with what clients ask
 * for: a path that matches no template is {@link #UNMATCHED}, media paths are {@code /media/…}, and
 * the web app's files are {@code /web}.
 */
public final class RouteTemplates {
  public static final String UNMATCHED = "unmatched";
  public static final String WEB = "/web";
  public static final String MEDIA = "/media/…";

  /** Every API path the node serves; {@code {…}} matches any one segment. */
  static final List<String> API =
      List.of(
          "/api/openapi.yaml",
          "/api/v1/accounts",
          "/api/v1/sessions",
          "/api/v1/me",
          "/api/v1/events",
          "/api/v1/uploads",
          "/api/v1/uploads/{id}/complete",
          "/api/v1/videos/{id}",
          "/api/v1/videos/{id}/like",
          "/api/v1/videos/{id}/share",
          "/api/v1/videos/{id}/views",
          "/api/v1/videos/{id}/comments",
          "/api/v1/comments/{id}",
          // before /users/{id}: templates of one length match in this order
          "/api/v1/users/suggested",
          "/api/v1/users/{id}",
          "/api/v1/users/{id}/follow",
          "/api/v1/users/{id}/block",
          "/api/v1/users/{id}/videos",
          "/api/v1/users/{id}/followers",
          "/api/v1/users/{id}/following",
          "/api/v1/feed/foryou",
          "/api/v1/feed/following",
          "/api/v1/feed/trending",
          "/api/v1/hashtags/{name}/videos",
          "/api/v1/sounds/{name}",
          "/api/v1/sounds/{name}/videos",
          "/api/v1/search",
          "/api/v1/search/suggest",
          "/api/v1/trending/hashtags",
          "/api/v1/trending/sounds",
          "/api/v1/reports",
          "/api/v1/moderation/reports",
          "/api/v1/moderation/audit",
          "/api/v1/moderation/videos/{id}/hold",
          "/api/v1/moderation/videos/{id}/release",
          "/api/v1/moderation/videos/{id}/remove",
          "/api/v1/moderation/comments/{id}/remove",
          "/api/v1/studio/overview",
          "/api/v1/studio/videos",
          "/api/v1/studio/videos/{id}",
          "/api/v1/studio/followers",
          "/health",
          "/ready",
          "/metrics");

  /** The methods a label may carry; anything else is {@code OTHER}. */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private record Template(String name, String[] segments) {}

  private static final Map<Integer, List<Template>> BY_LENGTH = index(API);

  private RouteTemplates() {}

  private static Map<Integer, List<Template>> index(List<String> templates) {
    Map<Integer, List<Template>> byLength = new java.util.HashMap<>();
    for (String t : templates) {
      String[] segments = t.substring(1).split("/");
      byLength
          .computeIfAbsent(segments.length, n -> new ArrayList<>())
          .add(new Template(t, segments));
    }
    return Map.copyOf(byLength);
  }

  /** The template {@code path} falls under: one of {@link #API}, media, web or unmatched. */
  public static String of(String path) {
    if (path.startsWith("/media/")) {
      return MEDIA;
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    String[] segments = trimmed.split("/", -1);
    List<Template> candidates = BY_LENGTH.get(segments.length);
    if (candidates != null) {
      for (Template template : candidates) {
        if (matches(template.segments(), segments)) {
          return template.name();
        }
      }
    }
    if (path.startsWith("/api/")) {
      return UNMATCHED;
    }
    // the web app: "/", its own files and WebJars (or a 404 for a made-up name)
    return WEB;
  }

  private static boolean matches(String[] template, String[] segments) {
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{")) {
        if (segments[i].isEmpty()) {
          return false;
        }
      } else if (!t.equals(segments[i])) {
        return false;
      }
    }
    return true;
  }

  /** The request method as a bounded label. */
  public static String method(String method) {
    return METHODS.contains(method) ? method : "OTHER";
  }
}
