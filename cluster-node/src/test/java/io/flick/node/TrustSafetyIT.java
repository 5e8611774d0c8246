package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.api.HttpApi;
import io.flick.api.auth.TokenService;
import io.flick.api.limits.BucketRateLimiter;
import io.flick.api.limits.RateLimitSettings;
import io.flick.api.limits.RateLimitSettings.Kind;
import io.flick.api.limits.RateLimits;
import io.flick.api.social.ViewGuard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/**
 * Issue 18's findings over real HTTP on the embedded infra: bounded /metrics labels, strict JSON
 * that stores nothing, an upload larger than declared never becoming a video, rate limits shared by
 * two ActorSystems through Redis, and the view repeat guard shared the same way.
 */
@Timeout(300)
class TrustSafetyIT {
  private final TestCluster cluster = TestCluster.get();
  private final ApiClient anonymous = new ApiClient(cluster.baseUrl());

  @Test
  void hammeringRandomPathsAndIdsAddsNoMetricSeries() throws Exception {
    Random random = new Random();
    // every shape once (a new route/status pair is a new series, legitimately), then many more
    hammer(random, 1);
    httpSeries(); // GET /metrics itself is counted once it has answered
    long before = httpSeries();
    hammer(random, 10);
    assertThat(httpSeries()).isEqualTo(before);
    assertThat(anonymous.get("/metrics").body()).doesNotContain("made-up");
  }

  private void hammer(Random random, int rounds) throws Exception {
    for (int i = 0; i < rounds; i++) {
      String id = "made-up-" + UUID.randomUUID() + "-" + random.nextInt(1000);
      anonymous.get("/api/v1/videos/" + id);
      anonymous.get("/api/v1/videos/" + id + "/comments");
      anonymous.get("/api/v1/users/" + id);
      anonymous.get("/api/v1/users/" + id + "/videos");
      anonymous.get("/api/v1/" + id);
      anonymous.get("/" + id);
      anonymous.get("/media/" + id + "/" + id + "/x.m3u8");
      anonymous.post("/api/v1/videos/" + id + "/views", "{\"watchMs\":1}");
      anonymous.delete("/api/v1/comments/" + id);
    }
  }

  private long httpSeries() throws Exception {
    return anonymous
        .get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith("flick_http_"))
        .count();
  }

  @Test
  void strictJsonRefusesAndStoresNothing() throws Exception {
    String first = "dup_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    String second = first + "x";
    var duplicate =
        anonymous.post(
            "/api/v1/accounts",
            "{\"handle\":\""
                + first
                + "\",\"handle\":\""
                + second
                + "\",\"password\":\""
                + ApiClient.PASSWORD
                + "\"}");
    assertProblem(duplicate, 400, "duplicate field 'handle'");
    var trailing =
        anonymous.post(
            "/api/v1/accounts",
            "{\"handle\":\"" + first + "\",\"password\":\"" + ApiClient.PASSWORD + "\"} trailing");
    assertProblem(trailing, 400, "malformed");
    var number =
        anonymous.post(
            "/api/v1/accounts", "{\"handle\":12345,\"password\":\"" + ApiClient.PASSWORD + "\"}");
    assertProblem(number, 400, "field 'handle' must be a string");

    // nothing was created under either handle
    for (String handle : List.of(first, second)) {
      var login =
          anonymous.post(
              "/api/v1/sessions",
              "{\"handle\":\"" + handle + "\",\"password\":\"" + ApiClient.PASSWORD + "\"}");
      assertThat(login.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void anUploadLargerThanDeclaredNeverBecomesAVideo() throws Exception {
    ApiClient creator = ApiClient.signedUp(cluster, "liar");
    var started =
        creator.post(
            "/api/v1/uploads",
            "{\"caption\":\"lie\",\"sizeBytes\":1024,\"contentType\":\"video/mp4\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    JsonNode body = creator.json(started);
    String videoId = body.get("videoId").asText();
    JsonNode part = body.get("upload").get("parts").get(0);
    byte[] bigger = new byte[256 * 1024];
    new Random(18).nextBytes(bigger);

    var put =
        creator.http.send(
            HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bigger))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    // part URLs are not length-bound in the test config (see TestCluster): storage takes the
    // bytes, and complete must refuse them
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

    var completed = creator.post("/api/v1/uploads/" + videoId + "/complete", "");
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(202);
    JsonNode video = creator.json(completed);
    assertThat(video.get("status").asText()).isEqualTo("FAILED");
    assertThat(video.get("failureReason").asText())
        .contains("262144 bytes")
        .contains("declared 1024 bytes");
    // FAILED is final, and nothing was announced to the transcoder
    JsonNode later = creator.json(creator.get("/api/v1/videos/" + videoId));
    assertThat(later.get("status").asText()).isEqualTo("FAILED");
    assertThat(later.has("hls")).isFalse();
  }

  @Test
  void limitsHoldAcrossTwoActorSystemsSharingRedis() throws Exception {
    RateLimitSettings narrow =
        new RateLimitSettings(
                true, true, RateLimitSettings.uniform(1000, Duration.ofMinutes(1)).limits())
            .with(Kind.SIGNUP, 5, Duration.ofHours(1));
    TokenService tokens =
        new TokenService(TestCluster.JWT_SECRET, Duration.ofHours(1), Clock.systemUTC());
    // a made-up client address per run (the proxies' X-Forwarded-For): a bucket of its own
    String address =
        "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255) + "-" + UUID.randomUUID();
    List<ActorSystem> systems = new ArrayList<>();
    List<ServerBinding> bindings = new ArrayList<>();
    try (RedisClient redis =
        RedisClient.create(cluster.endpoints().redisHost(), cluster.endpoints().redisPort())) {
      for (int i = 0; i < 2; i++) {
        ActorSystem system =
            ActorSystem.create(
                "limits-" + i,
                com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local")
                    .withFallback(com.typesafe.config.ConfigFactory.load()));
        systems.add(system);
        RateLimits limits =
            new RateLimits(narrow, BucketRateLimiter.redis(redis, system.dispatcher()), tokens);
        Route route = HttpApi.problems(limits.limited(() -> Directives.complete("created")));
        bindings.add(
            Http.get(system)
                .newServerAt("127.0.0.1", 0)
                .bind(route)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
      }
      List<Integer> statuses = new ArrayList<>();
      HttpResponse<String> refused = null;
      for (int i = 0; i < 8; i++) {
        ServerBinding node = bindings.get(i % 2);
        var response =
            anonymous.http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + node.localAddress().getPort()
                                + "/api/v1/accounts"))
                    .header("X-Forwarded-For", "203.0.113.7, " + address)
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        statuses.add(response.statusCode());
        if (response.statusCode() == 429 && refused == null) {
          refused = response;
        }
      }
      // five sign-ups in all, wherever they landed; the rest refused on both systems
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
      assertProblem(refused, 429, "sign-ups");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();

      // the view repeat guard: a view counted through one system is a repeat through the other
      ViewGuard first =
          ViewGuard.redis(
              redis, new ViewGuard.Settings(Duration.ofMinutes(5), 2), systems.get(0).dispatcher());
      ViewGuard second =
          ViewGuard.redis(
              redis, new ViewGuard.Settings(Duration.ofMinutes(5), 2), systems.get(1).dispatcher());
      String video = "v-" + UUID.randomUUID();
      assertThat(first.counts(video, "u:ann", address, false).toCompletableFuture().get()).isTrue();
      assertThat(second.counts(video, "u:ann", address, false).toCompletableFuture().get())
          .isFalse();
      assertThat(second.counts(video, "u:bob", address, false).toCompletableFuture().get())
          .isTrue();
    } finally {
      for (ServerBinding binding : bindings) {
        binding.unbind();
      }
      systems.forEach(TestKit::shutdownActorSystem);
    }
  }

  @Test
  void theWebAppCarriesItsBrowserPolicy() throws Exception {
    var page = anonymous.get("/");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .get()
        .asString()
        .contains("frame-ancestors 'none'")
        .contains("script-src 'self' 'sha256-")
        .contains(cluster.endpoints().s3Endpoint().replaceAll("/+$", ""));
    assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(page.headers().firstValue("Permissions-Policy")).isPresent();
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    assertThat(ApiClient.JSON.readTree(response.body()).get("detail").asText()).contains(detail);
  }
}
