package io.flick.api.limits;

import io.flick.api.Json;
import io.flick.api.Problem;
import io.flick.api.RouteTemplates;
import io.flick.api.auth.TokenService;
import io.flick.api.limits.RateLimitSettings.Kind;
import io.flick.api.limits.RateLimitSettings.Limit;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Which rate limits a request falls under, in one table (by route template and method), checked
 * before any route runs. Keys are chosen so that one abuser does not lock out others:
 *
 * <ul>
 *   <li>calls with a valid token are limited <b>per user</b> (uploads, comments, like/follow/block
 *       churn, reports) and never by address, so people behind a shared address (an office, a
 *       carrier's NAT) do not share buckets with an abuser among them;
 *   <li>calls without a token are limited <b>per client address</b> (sign-up, log-in, and every
 *       anonymous call); an IPv6 client is keyed by its /64, which one subscriber usually holds
 *       whole, so rotating addresses inside it does not help.
 * </ul>
 *
 * Authenticated reads and views are not limited here: they are the hot path, and a token costs a
 * sign-up, which is limited.
 */
public final class RateLimits extends AllDirectives {
  private record Check(Limit limit, String key, String who) {}

  private final RateLimitSettings settings;
  private final RateLimiter limiter;
  private final TokenService tokens;

  public RateLimits(RateLimitSettings settings, RateLimiter limiter, TokenService tokens) {
    this.settings = settings;
    this.limiter = limiter;
    this.tokens = tokens;
  }

  /** No limits (tests of other things). */
  public static RateLimits off(TokenService tokens) {
    return new RateLimits(
        new RateLimitSettings(false, false, java.util.Map.of()), RateLimiter.NONE, tokens);
  }

  public Route limited(Supplier<Route> inner) {
    if (!settings.enabled()) {
      return inner.get();
    }
    return extractRequest(
        request -> {
          List<Check> checks = checks(request);
          if (checks.isEmpty()) {
            return inner.get();
          }
          return onSuccess(
              acquire(checks, 0), refused -> refused.map(this::tooMany).orElseGet(inner));
        });
  }

  private List<Check> checks(HttpRequest request) {
    String template = RouteTemplates.of(request.getUri().path());
    if (!template.startsWith("/api/")) {
      return List.of();
    }
    String method = request.method().name();
    Optional<String> user = caller(request);
    List<Check> checks = new ArrayList<>(2);
    if (user.isEmpty()) {
      String address = clientAddress(request);
      checks.add(check(Kind.ANONYMOUS, address, "this address"));
      if (method.equals("POST") && template.equals("/api/v1/accounts")) {
        checks.add(check(Kind.SIGNUP, address, "this address"));
      } else if (method.equals("POST") && template.equals("/api/v1/sessions")) {
        checks.add(check(Kind.LOGIN, address, "this address"));
      }
      return checks;
    }
    String id = user.get();
    boolean write = method.equals("POST") || method.equals("DELETE");
    Kind kind =
        switch (template) {
          case "/api/v1/uploads" -> method.equals("POST") ? Kind.UPLOAD : null;
          case "/api/v1/videos/{id}/comments" -> method.equals("POST") ? Kind.COMMENT : null;
          case "/api/v1/videos/{id}/like",
              "/api/v1/users/{id}/follow",
              "/api/v1/users/{id}/block" ->
              write ? Kind.SOCIAL : null;
          case "/api/v1/reports" -> method.equals("POST") ? Kind.REPORT : null;
          // a name change is journaled and re-indexed: limited as the other profile writes
          case "/api/v1/me" -> method.equals("PATCH") ? Kind.SOCIAL : null;
          default -> null;
        };
    if (kind != null) {
      checks.add(check(kind, id, "this account"));
    }
    return checks;
  }

  private Check check(Kind kind, String key, String who) {
    return new Check(settings.limit(kind), key, who);
  }

  /** The first check that refuses, with its wait; later checks then take no token. */
  private CompletionStage<Optional<Refusal>> acquire(List<Check> checks, int from) {
    if (from >= checks.size()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Check check = checks.get(from);
    return limiter
        .tryAcquire(check.limit(), check.key())
        .thenCompose(
            wait ->
                wait.isPresent()
                    ? CompletableFuture.completedFuture(Optional.of(new Refusal(check, wait.get())))
                    : acquire(checks, from + 1));
  }

  private record Refusal(Check check, Duration retryIn) {}

  private Route tooMany(Refusal refusal) {
    return complete(
        tooManyRequests(refusal.check().limit(), refusal.check().who(), refusal.retryIn()));
  }

  /** The 429 answer: problem+json and Retry-After in whole seconds (at least 1). */
  public static HttpResponse tooManyRequests(Limit limit, String who, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    String what =
        switch (limit.kind()) {
          case SIGNUP -> "sign-ups";
          case LOGIN -> "log-in attempts";
          case ANONYMOUS -> "requests without a token";
          case UPLOAD -> "uploads";
          case COMMENT -> "comments";
          case SOCIAL -> "likes, follows, blocks and name changes";
          case REPORT -> "reports";
        };
    return HttpResponse.create()
        .withStatus(StatusCodes.TOO_MANY_REQUESTS)
        .addHeader(RetryAfter.create(seconds))
        .withEntity(
            Json.problemEntity(
                Problem.of(
                    429,
                    "Too Many Requests",
                    "too many "
                        + what
                        + " from "
                        + who
                        + " (at most "
                        + limit.capacity()
                        + " per "
                        + human(limit.period())
                        + "); try again in "
                        + seconds
                        + " s")));
  }

  private static String human(Duration period) {
    if (period.toHours() > 0 && period.toMinutesPart() == 0 && period.toSecondsPart() == 0) {
      return period.toHours() == 1 ? "hour" : period.toHours() + " hours";
    }
    if (period.toMinutes() > 0 && period.toSecondsPart() == 0) {
      return period.toMinutes() == 1 ? "minute" : period.toMinutes() + " minutes";
    }
    return period.toSeconds() + " s";
  }

  private Optional<String> caller(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(h -> h.value())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .flatMap(
            v -> {
              try {
                return Optional.of(tokens.verify(v.substring(7).strip()).userId());
              } catch (TokenService.InvalidTokenException e) {
                return Optional.empty(); // the route answers 401; meanwhile it is anonymous
              }
            });
  }

  /**
   * The address the request came from: the connection's peer, or (only with {@code
   * trust-forwarded-for}, behind a proxy that appends it) the last X-Forwarded-For entry. IPv6
   * addresses are cut to their /64.
   */
  public String clientAddress(HttpRequest request) {
    if (settings.trustForwardedFor()) {
      Optional<String> forwarded =
          request
              .getHeader("X-Forwarded-For")
              .map(h -> h.value())
              .map(v -> v.substring(v.lastIndexOf(',') + 1).strip())
              .filter(v -> !v.isEmpty());
      if (forwarded.isPresent()) {
        return forwarded.get();
      }
    }
    return request
        .getAttribute(AttributeKeys.remoteAddress)
        .flatMap(remote -> remote.getAddress())
        .map(RateLimits::keyOf)
        .orElse("unknown");
  }

  static String keyOf(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] bytes = v6.getAddress();
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
        prefix.append(':');
      }
      return prefix.append(":/64").toString();
    }
    return address.getHostAddress();
  }
}
