package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.api.auth.TokenService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sign-up, log-in and /me over real HTTP against a node on the embedded infra. */
@Timeout(300)
class AccountsHttpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery staple";

  private final TestCluster cluster = TestCluster.get();
  private final HttpClient http = HttpClient.newHttpClient();

  private static String uniqueHandle(String prefix) {
    return prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(cluster.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.baseUrl() + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> patch(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(cluster.baseUrl() + path))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String signUpBody(String handle, String password) {
    return "{\"handle\":\"" + handle + "\",\"password\":\"" + password + "\",\"region\":\"DE\"}";
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detailPart)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).containsIgnoringCase(detailPart);
  }

  @Test
  void signUpLogInAndAskWhoIAm() throws Exception {
    String handle = uniqueHandle("ada");
    var created = post("/api/v1/accounts", signUpBody(handle, PASSWORD));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode account = JSON.readTree(created.body());
    assertThat(account.get("handle").asText()).isEqualTo(handle);
    String id = account.get("id").asText();
    assertThat(created.headers().firstValue("Location")).contains("/api/v1/users/" + id);

    var login =
        post(
            "/api/v1/sessions",
            "{\"handle\":\"" + handle.toUpperCase() + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    JsonNode session = JSON.readTree(login.body());
    String token = session.get("token").asText();
    assertThat(Instant.parse(session.get("expiresAt").asText())).isAfter(Instant.now());

    var me = get("/api/v1/me", "Authorization", "Bearer " + token);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(JSON.readTree(me.body()).get("id").asText()).isEqualTo(id);
    assertThat(JSON.readTree(me.body()).get("region").asText()).isEqualTo("DE");
  }

  @Test
  void aHandleIsTakenOnceEvenUnderConcurrentSignUps() throws Exception {
    String handle = uniqueHandle("race");
    List<CompletableFuture<HttpResponse<String>>> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String variant = i % 2 == 0 ? handle : handle.toUpperCase();
      attempts.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(cluster.baseUrl() + "/api/v1/accounts"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(signUpBody(variant, PASSWORD)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = attempts.stream().map(f -> f.join().statusCode()).toList();
    assertThat(statuses).containsOnly(201, 409);
    assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
    assertProblem(post("/api/v1/accounts", signUpBody(handle, PASSWORD)), 409, "taken");
  }

  @Test
  void badSignUpsAreRefusedWithAReason() throws Exception {
    assertProblem(
        post("/api/v1/accounts", signUpBody(uniqueHandle("w"), "")), 400, "password is required");
    assertProblem(
        post("/api/v1/accounts", signUpBody(uniqueHandle("w"), "short")), 400, "at least");
    assertProblem(
        post("/api/v1/accounts", signUpBody(uniqueHandle("w"), "1234567890")), 400, "easy");
    assertProblem(
        post("/api/v1/accounts", signUpBody("no spaces allowed", PASSWORD)), 400, "handle");
    assertProblem(post("/api/v1/accounts", signUpBody("", PASSWORD)), 400, "handle is required");
    assertProblem(post("/api/v1/accounts", "{\"handle\": \"x\""), 400, "malformed");
    assertProblem(
        post(
            "/api/v1/accounts",
            "{\"handle\":\""
                + uniqueHandle("r")
                + "\",\"password\":\""
                + PASSWORD
                + "\",\"region\":\"Germany\"}"),
        400,
        "region");
  }

  @Test
  void aDisplayNameIsSetShownClearedAndRefusedWithAReason() throws Exception {
    String handle = uniqueHandle("ada");
    String id =
        JSON.readTree(post("/api/v1/accounts", signUpBody(handle, PASSWORD)).body())
            .get("id")
            .asText();
    String token =
        JSON.readTree(
                post(
                        "/api/v1/sessions",
                        "{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD + "\"}")
                    .body())
            .get("token")
            .asText();
    String[] auth = {"Authorization", "Bearer " + token};

    var set = patch("/api/v1/me", "{\"displayName\":\"  Ada \\t  Lovelace \"}", auth);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(JSON.readTree(set.body()).get("displayName").asText()).isEqualTo("Ada Lovelace");
    assertThat(JSON.readTree(get("/api/v1/me", auth).body()).get("displayName").asText())
        .isEqualTo("Ada Lovelace");
    JsonNode profile = JSON.readTree(get("/api/v1/users/" + id).body());
    assertThat(profile.get("displayName").asText()).isEqualTo("Ada Lovelace");
    assertThat(profile.get("handle").asText()).isEqualTo(handle);

    // refused with a reason, and nothing changed
    assertProblem(patch("/api/v1/me", "{}", auth), 400, "displayName is required");
    assertProblem(
        patch("/api/v1/me", "{\"displayName\":\"" + "x".repeat(31) + "\"}", auth), 400, "30");
    assertProblem(patch("/api/v1/me", "{\"displayName\":\"a\\u0000b\"}", auth), 400, "control");
    assertProblem(patch("/api/v1/me", "{\"displayName\":5}", auth), 400, "displayName");
    assertProblem(patch("/api/v1/me", "{\"displayName\":", auth), 400, "");
    assertProblem(patch("/api/v1/me", "{\"displayName\":\"Eve\"}"), 401, "Bearer");
    String gone =
        new TokenService(TestCluster.JWT_SECRET, Duration.ofHours(1), Clock.systemUTC())
            .issue("nobody", handle)
            .token();
    assertProblem(
        patch("/api/v1/me", "{\"displayName\":\"Eve\"}", "Authorization", "Bearer " + gone),
        401,
        "no longer exists");
    assertThat(JSON.readTree(get("/api/v1/me", auth).body()).get("displayName").asText())
        .isEqualTo("Ada Lovelace");

    var cleared = patch("/api/v1/me", "{\"displayName\":\"\"}", auth);
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    assertThat(JSON.readTree(get("/api/v1/users/" + id).body()).path("displayName").isNull())
        .isTrue();
  }

  @Test
  void wrongCredentialsAndBadTokensAre401() throws Exception {
    String handle = uniqueHandle("bob");
    assertThat(post("/api/v1/accounts", signUpBody(handle, PASSWORD)).statusCode()).isEqualTo(201);
    assertProblem(
        post(
            "/api/v1/sessions",
            "{\"handle\":\"" + handle + "\",\"password\":\"wrong password!!\"}"),
        401,
        "wrong");
    assertProblem(
        post(
            "/api/v1/sessions",
            "{\"handle\":\"" + uniqueHandle("nobody") + "\",\"password\":\"" + PASSWORD + "\"}"),
        401,
        "wrong");
    assertProblem(post("/api/v1/sessions", "{\"handle\":\"" + handle + "\"}"), 400, "required");

    assertProblem(get("/api/v1/me"), 401, "Bearer");
    assertProblem(get("/api/v1/me", "Authorization", "Basic abc"), 401, "Bearer");
    assertProblem(get("/api/v1/me", "Authorization", "Bearer not-a-token"), 401, "not valid");
    String forged =
        new TokenService(
                "a-different-secret-that-is-also-32-bytes-long",
                Duration.ofHours(1),
                Clock.systemUTC())
            .issue("someone", handle)
            .token();
    assertProblem(get("/api/v1/me", "Authorization", "Bearer " + forged), 401, "not valid");
    String expired =
        new TokenService(
                TestCluster.JWT_SECRET,
                Duration.ofMinutes(1),
                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC))
            .issue("someone", handle)
            .token();
    assertProblem(get("/api/v1/me", "Authorization", "Bearer " + expired), 401, "expired");
  }

  @Test
  void repeatedFailedLoginsAreSlowedDown() throws Exception {
    String handle = uniqueHandle("guess");
    assertThat(post("/api/v1/accounts", signUpBody(handle, PASSWORD)).statusCode()).isEqualTo(201);
    String wrong = "{\"handle\":\"" + handle + "\",\"password\":\"not the password\"}";
    HttpResponse<String> last = null;
    for (int i = 0; i < 6 && (last == null || last.statusCode() != 429); i++) {
      last = post("/api/v1/sessions", wrong);
    }
    assertProblem(last, 429, "try again");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void healthReadinessMetricsAndOpenApi() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    var ready = get("/ready");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    JsonNode checks = JSON.readTree(ready.body()).get("checks");
    for (String name : List.of("cluster", "cassandra", "kafka", "s3", "redis", "search")) {
      assertThat(checks.get(name).asText()).as(name).isEqualTo("UP");
    }
    get("/api/v1/me");
    var metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("jvm_memory_used_bytes")
        .contains("flick_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"}")
        .contains("flick_sharding_entities")
        .contains("flick_kafka_consumer_lag")
        .contains("flick_transcode_in_flight");
    var openapi = get("/api/openapi.yaml");
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body()).contains("/api/v1/accounts:", "/api/v1/sessions:", "/api/v1/me:");
    assertProblem(get("/api/v1/nothing-here"), 404, "");
  }
}
