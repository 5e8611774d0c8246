package io.flick.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.api.HttpApi;
import io.flick.api.JUnit5RouteTest;
import io.flick.api.Json;
import io.flick.api.auth.TokenService;
import io.flick.api.limits.RateLimitSettings.Kind;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 (limits): which bucket a call takes from and how a refusal reads, on in-JVM buckets
 * (the Redis buckets are the same bucket4j code; LimitsIT shows them shared by two nodes).
 */
class RateLimitsTest extends JUnit5RouteTest {
  private static final String SECRET = "rate-limits-test-secret-of-at-least-32-bytes";
  private final TokenService tokens =
      new TokenService(SECRET, Duration.ofHours(1), Clock.systemUTC());
  private final AtomicInteger handled = new AtomicInteger();
  private final RateLimitSettings settings =
      RateLimitSettings.uniform(1000, Duration.ofMinutes(1))
          .with(Kind.SIGNUP, 3, Duration.ofHours(1))
          .with(Kind.ANONYMOUS, 5, Duration.ofMinutes(1))
          .with(Kind.COMMENT, 2, Duration.ofMinutes(1));
  private final Route route =
      HttpApi.problems(
          new RateLimits(settings, BucketRateLimiter.local(), tokens)
              .limited(
                  () ->
                      extractRequest(
                          r -> {
                            handled.incrementAndGet();
                            return complete("ok");
                          })));

  @Test
  void signUpsAreLimitedPerAddressWithA429ProblemAndRetryAfter() throws Exception {
    for (int i = 0; i < 3; i++) {
      call("POST", "/api/v1/accounts", "10.0.0.1", null).assertStatusCode(200);
    }
    TestRouteResult refused = call("POST", "/api/v1/accounts", "10.0.0.1", null);

    refused.assertStatusCode(429).assertMediaType("application/problem+json");
    long retryAfter =
        Long.parseLong(refused.response().getHeader("Retry-After").orElseThrow().value());
    assertThat(retryAfter).isBetween(1L, 3600L);
    JsonNode problem = Json.MAPPER.readTree(refused.entityString());
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("detail").asText()).contains("sign-ups").contains("this address");
    assertThat(handled).hasValue(3);

    // another address is not affected
    call("POST", "/api/v1/accounts", "10.0.0.2", null).assertStatusCode(200);
  }

  @Test
  void anIpv6ClientIsKeyedByItsSlash64() {
    for (int i = 0; i < 3; i++) {
      call("POST", "/api/v1/accounts", "2001:db8:1:2::" + (i + 1), null).assertStatusCode(200);
    }
    call("POST", "/api/v1/accounts", "2001:db8:1:2::ffff", null).assertStatusCode(429);
    call("POST", "/api/v1/accounts", "2001:db8:1:3::1", null).assertStatusCode(200);
  }

  @Test
  void oneAbuserBehindASharedAddressDoesNotLockOutTheOthers() {
    String abuser = "Bearer " + tokens.issue("abuser", "abuser").token();
    String other = "Bearer " + tokens.issue("other", "other").token();
    String path = "/api/v1/videos/v1/comments";
    call("POST", path, "10.0.0.9", abuser).assertStatusCode(200);
    call("POST", path, "10.0.0.9", abuser).assertStatusCode(200);
    call("POST", path, "10.0.0.9", abuser).assertStatusCode(429);

    // same address, another account: its own bucket
    call("POST", path, "10.0.0.9", other).assertStatusCode(200);
    // anonymous callers at that address exhaust theirs; the signed-in users are not counted there
    for (int i = 0; i < 5; i++) {
      call("GET", "/api/v1/feed/trending", "10.0.0.9", null).assertStatusCode(200);
    }
    call("GET", "/api/v1/feed/trending", "10.0.0.9", null).assertStatusCode(429);
    call("GET", "/api/v1/feed/trending", "10.0.0.9", other).assertStatusCode(200);
    call("POST", path, "10.0.0.9", other).assertStatusCode(200);
  }

  @Test
  void aForgedTokenCountsAsAnonymous() {
    for (int i = 0; i < 5; i++) {
      call("GET", "/api/v1/feed/trending", "10.0.0.7", "Bearer forged." + i).assertStatusCode(200);
    }
    call("GET", "/api/v1/feed/trending", "10.0.0.7", "Bearer forged.x").assertStatusCode(429);
  }

  @Test
  void theWebAppMediaAndHealthAreNotLimited() {
    for (int i = 0; i < 10; i++) {
      call("GET", "/app.js", "10.0.0.8", null).assertStatusCode(200);
      call("GET", "/health", "10.0.0.8", null).assertStatusCode(200);
    }
  }

  private TestRouteResult call(String method, String path, String address, String bearer) {
    HttpRequest request =
        HttpRequest.create(path)
            .withMethod(HttpMethods.lookup(method).orElseThrow())
            .addAttribute(AttributeKeys.remoteAddress, remote(address));
    if (bearer != null) {
      request = request.addHeader(RawHeader.create("Authorization", bearer));
    }
    return testRoute(route).run(request);
  }

  private static RemoteAddress remote(String address) {
    try {
      return RemoteAddress.create(InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
