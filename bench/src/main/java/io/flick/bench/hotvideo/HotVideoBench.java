package io.flick.bench.hotvideo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.api.auth.TokenService;
import io.flick.bench.BenchHttp;
import io.flick.bench.BenchNode;
import io.flick.bench.WrkRun;
import io.flick.common.Ids;
import io.flick.user.Account;
import io.flick.user.UserActor;
import io.flick.user.UserCommand;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * bench/hotvideo: one viral video takes every interaction. Flick (HTTP → Kafka → batched write-back
 * counters on one VideoActor) against the seed design's naive way (one Cassandra counter write per
 * interaction), in one run on the same embedded Cassandra, both driven by wrk (C, outside the JVM)
 * with the same Lua script, next to the same node's {@code GET /health} (the HTTP stack's ceiling).
 *
 * <p>Exactness with wrk: the script sends interactions for {@code seconds}, then only {@code GET
 * /health} for a short tail, so every interaction's response is read before wrk stops; a {@code
 * response} hook counts the 2xx answers by their body ({@code counted}, {@code shared}, {@code
 * liked ... changed:true}) and every non-2xx by status.
 */
public final class HotVideoBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JWT_SECRET = "benchmark-secret-of-at-least-32-bytes-long";
  // after the interaction phase wrk only asks /health this long: every interaction is answered
  private static final int TAIL_SECONDS = 3;

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(System.getProperty("seconds", "20"));
    int users = Integer.parseInt(System.getProperty("users", "1000"));
    int connections = Integer.parseInt(System.getProperty("connections", "64"));
    int threads = Integer.parseInt(System.getProperty("wrkThreads", "1"));
    boolean profiles = Boolean.getBoolean("profiles");
    int batch = Integer.parseInt(System.getProperty("batch", "10"));
    List<String> phases =
        List.of(System.getProperty("phases", "health,flick,batch,naive").split(","));
    System.out.println("[bench] profile learning from views: " + (profiles ? "on" : "off"));
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();

    try (BenchNode bench =
        BenchNode.start(
            home,
            "hotvideo",
            Map.of(
                "flick.interactions.learn-profiles",
                profiles,
                "flick.auth.jwt-secret",
                JWT_SECRET))) {
      var infra = bench.infra;
      var node = bench.node;
      String base = bench.baseUrl();
      HttpClient http = HttpClient.newHttpClient();

      String creatorToken =
          BenchHttp.signUp(http, base, "creator_" + System.nanoTime() % 100000)[0];
      String videoId = uploadClip(http, base, creatorToken);
      System.out.println("[bench] video " + videoId + " READY; registering " + users + " users");
      List<String> tokens = register(node.system(), users);
      Path script = Files.createTempFile("hotvideo", ".lua");
      Files.writeString(script, wrkScript(tokens, seconds, videoId, 1));
      Path batchScript = Files.createTempFile("hotvideo-batch", ".lua");
      Files.writeString(batchScript, wrkScript(tokens, seconds, videoId, batch));

      String pid = "Video|" + videoId;
      var endpoints = infra.endpoints();
      try (CqlSession cql =
          CqlSession.builder()
              .addContactPoint(
                  new InetSocketAddress(endpoints.cassandraHost(), endpoints.cassandraPort()))
              .withLocalDatacenter(endpoints.cassandraDatacenter())
              .build()) {
        Wrk health = null;
        if (phases.contains("health")) {
          System.out.println("[bench] GET /health: " + seconds + " s, " + connections + " conns");
          health = wrk(base + "/health", null, seconds, connections, threads);
        }
        Flick flick = null;
        if (phases.contains("flick")) {
          System.out.println("[bench] Flick, one interaction per request");
          flick = flick(http, cql, base, videoId, pid, script, seconds, connections, threads);
        }
        Flick batched = null;
        if (phases.contains("batch")) {
          System.out.println(
              "[bench] Flick, views and shares in batches of " + batch + " (POST /api/v1/events)");
          batched =
              flick(http, cql, base, videoId, pid, batchScript, seconds, connections, threads);
        }
        Wrk naive = null;
        if (phases.contains("naive")) {
          naive = naive(node.system(), cql, videoId, script, seconds, connections, threads);
        }
        Wrk naiveBatched = null;
        if (phases.contains("batch") && phases.contains("naive")) {
          naiveBatched =
              naive(node.system(), cql, videoId, batchScript, seconds, connections, threads);
        }

        System.out.println();
        System.out.printf(
            "%-56s %12s %10s %10s %9s %9s%n",
            "wrk -t" + threads + " -c" + connections + ", " + seconds + " s, ONE video",
            "acknowledged",
            "per second",
            "Cassandra",
            "p50 ms",
            "p99 ms");
        if (health != null) {
          System.out.printf(
              "%-56s %12s %10.0f %10s %9.2f %9.2f%n",
              "GET /health (the HTTP stack's ceiling here)",
              "-",
              health.rps,
              "-",
              health.p50,
              health.p99);
        }
        if (flick != null) {
          row("Flick: HTTP -> Kafka -> write-back VideoActor", flick.load, seconds, flick);
        }
        if (batched != null) {
          row(
              "Flick, " + batch + " per POST /api/v1/events (likes single)",
              batched.load,
              seconds,
              batched);
        }
        if (naive != null) {
          naiveRow("baseline (naive): HTTP -> one Cassandra counter UPDATE", naive, seconds);
        }
        if (naiveBatched != null) {
          naiveRow("baseline (naive), same batches: one UPDATE per event", naiveBatched, seconds);
        }
        System.out.println("(latency columns include the /health tail of the interaction runs)");
        if (flick != null) {
          report(flick, "one interaction per request", seconds, health, naive);
        }
        if (batched != null) {
          report(batched, batch + " per batch", seconds, health, naiveBatched);
        }
        if (naive != null) {
          var row =
              cql.execute(
                      "SELECT views, shares, likes FROM flick.naive_video_counts WHERE video_id ="
                          + " ?",
                      videoId)
                  .one();
          long naiveCount = row.getLong(0) + row.getLong(1) + row.getLong(2);
          long naiveAcknowledged =
              naive.acknowledged() + (naiveBatched == null ? 0 : naiveBatched.acknowledged());
          System.out.printf(
              "naive counter check: %d/%d acknowledged; non-2xx %d, socket errors %s%n",
              naiveCount,
              naiveAcknowledged,
              naive.non2xx + (naiveBatched == null ? 0 : naiveBatched.non2xx),
              naive.socketErrors);
        }
      }
    }
    System.exit(0);
  }

  /** One Flick phase: what wrk got acknowledged and how the video's counts and journal moved. */
  private record Flick(
      Wrk load, JsonNode before, JsonNode counts, long journalWrites, double drainSeconds) {
    long delta(String field) {
      return counts.get(field).asLong() - before.get(field).asLong();
    }
  }

  private static void row(String name, Wrk w, int seconds, Flick phase) {
    System.out.printf(
        "%-56s %12d %10.0f %10d %9.2f %9.2f%n",
        name,
        w.acknowledged(),
        w.acknowledged() / (double) seconds,
        phase.journalWrites,
        w.p50,
        w.p99);
  }

  private static void naiveRow(String name, Wrk w, int seconds) {
    System.out.printf(
        "%-56s %12d %10.0f %10d %9.2f %9.2f%n",
        name,
        w.acknowledged(),
        w.acknowledged() / (double) seconds,
        w.acknowledged(),
        w.p50,
        w.p99);
  }

  private static void report(Flick phase, String name, int seconds, Wrk health, Wrk naive) {
    Wrk w = phase.load;
    System.out.println("-- Flick, " + name + ":");
    if (health != null) {
      System.out.printf(
          "   interactions/s / health requests/s: %.2f%n",
          w.acknowledged() / (double) seconds / health.rps);
    }
    if (naive != null) {
      System.out.printf(
          "   throughput Flick/naive: %.2f%n",
          w.acknowledged() / (double) Math.max(1, naive.acknowledged()));
    }
    System.out.printf(
        "   video journal writes: %d over %d s of load + %.1f s drain = %.2f writes/s (flush"
            + " interval 1 s); Cassandra writes per interaction 1:%.0f%n",
        phase.journalWrites,
        seconds,
        phase.drainSeconds,
        phase.journalWrites / (seconds + TAIL_SECONDS + phase.drainSeconds),
        w.acknowledged() / (double) Math.max(1, phase.journalWrites));
    boolean exact =
        phase.delta("views") == w.views
            && phase.delta("shares") == w.shares
            && phase.delta("likes") == w.liked;
    System.out.printf(
        "   counts: views %d/%d acknowledged, shares %d/%d, likes %d/%d (like calls %d);"
            + " non-2xx %d %s, socket errors %s -> %s%n",
        phase.delta("views"),
        w.views,
        phase.delta("shares"),
        w.shares,
        phase.delta("likes"),
        w.liked,
        w.likeCalls,
        w.non2xx,
        w.statuses,
        w.socketErrors,
        exact ? "EXACT" : "MISMATCH");
  }

  private static Flick flick(
      HttpClient http,
      CqlSession cql,
      String base,
      String videoId,
      String pid,
      Path script,
      int seconds,
      int connections,
      int threads)
      throws Exception {
    PreparedStatement journalRows =
        cql.prepare(
            "SELECT COUNT(*) FROM flick.messages WHERE persistence_id = ? AND partition_nr = 0");
    long journalBefore = cql.execute(journalRows.bind(pid)).one().getLong(0);
    JsonNode before =
        JSON.readTree(BenchHttp.get(http, base + "/api/v1/videos/" + videoId)).get("counts");
    System.out.println(
        "[bench] Flick: " + seconds + " s of interactions, wrk, from " + java.time.LocalTime.now());
    Wrk load =
        wrk(
            base + "/api/v1/videos/" + videoId,
            script,
            seconds + TAIL_SECONDS,
            connections,
            threads);
    // counts converge once the counter stream has drained Kafka
    JsonNode counts = null;
    long drainStart = System.nanoTime();
    while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(120)) {
      counts = JSON.readTree(BenchHttp.get(http, base + "/api/v1/videos/" + videoId)).get("counts");
      if (counts.get("views").asLong() - before.get("views").asLong() >= load.views
          && counts.get("shares").asLong() - before.get("shares").asLong() >= load.shares
          && counts.get("likes").asLong() - before.get("likes").asLong() >= load.liked) {
        break;
      }
      Thread.sleep(200);
    }
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
    Thread.sleep(1500); // one more flush interval: anything counted twice would show now
    counts = JSON.readTree(BenchHttp.get(http, base + "/api/v1/videos/" + videoId)).get("counts");
    long journalWrites = cql.execute(journalRows.bind(pid)).one().getLong(0) - journalBefore;
    return new Flick(load, before, counts, journalWrites, drainSeconds);
  }

  /**
   * The seed design: the same HTTP stack and wrk script, one Cassandra counter write per
   * interaction (no token check and no video lookup, so the baseline is if anything flattered).
   */
  private static Wrk naive(
      org.apache.pekko.actor.typed.ActorSystem<?> system,
      CqlSession cql,
      String videoId,
      Path script,
      int seconds,
      int connections,
      int threads)
      throws Exception {
    cql.execute(
        "CREATE TABLE IF NOT EXISTS flick.naive_video_counts (video_id text PRIMARY KEY,"
            + " views counter, shares counter, likes counter)");
    Map<String, PreparedStatement> write =
        Map.of(
            "views",
            cql.prepare("UPDATE flick.naive_video_counts SET views = views + 1 WHERE video_id = ?"),
            "share",
            cql.prepare(
                "UPDATE flick.naive_video_counts SET shares = shares + 1 WHERE video_id = ?"),
            "like",
            cql.prepare(
                "UPDATE flick.naive_video_counts SET likes = likes + 1 WHERE video_id = ?"));
    Map<String, String> answer =
        Map.of(
            "views", "{\"counted\":true}",
            "share", "{\"shared\":true}",
            "like", "{\"liked\":true,\"changed\":true}");
    var routes =
        new AllDirectives() {
          /** The seed design's batch: one counter UPDATE per event, answered once all are done. */
          CompletableFuture<String> batch(String body) {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            try {
              for (JsonNode event : JSON.readTree(body).get("events")) {
                String kind = event.get("kind").asText().equals("share") ? "share" : "views";
                writes.add(
                    cql.executeAsync(write.get(kind).bind(event.get("videoId").asText()))
                        .toCompletableFuture());
              }
            } catch (Exception e) {
              return CompletableFuture.failedFuture(e);
            }
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .thenApply(done -> "{\"accepted\":" + writes.size() + ",\"rejected\":[]}");
          }

          Route route() {
            return concat(
                path("health", () -> get(() -> complete("ok"))),
                path(
                    org.apache.pekko.http.javadsl.server.PathMatchers.segment("api")
                        .slash("v1")
                        .slash("events"),
                    () ->
                        post(
                            () ->
                                entity(
                                    org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller
                                        .entityToString(),
                                    body ->
                                        onSuccess(
                                            batch(body),
                                            answer -> complete(StatusCodes.ACCEPTED, answer))))),
                pathPrefix(
                    "naive",
                    () ->
                        pathPrefix(
                            "videos",
                            () ->
                                pathPrefix(
                                    id ->
                                        path(
                                            kind ->
                                                post(
                                                    () ->
                                                        onSuccess(
                                                            cql.executeAsync(
                                                                write.get(kind).bind(id)),
                                                            rs ->
                                                                complete(
                                                                    kind.equals("like")
                                                                        ? StatusCodes.OK
                                                                        : StatusCodes.ACCEPTED,
                                                                    answer.get(kind)))))))));
          }
        };
    var binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(routes.route())
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    try {
      System.out.println(
          "[bench] naive: " + seconds + " s, same wrk script, from " + java.time.LocalTime.now());
      return wrk(
          "http://127.0.0.1:" + binding.localAddress().getPort() + "/naive/videos/" + videoId,
          script,
          seconds + TAIL_SECONDS,
          connections,
          threads);
    } finally {
      binding.unbind();
    }
  }

  /** Registers users straight on their UserActors and mints their tokens (no password hashing). */
  private static List<String> register(org.apache.pekko.actor.typed.ActorSystem<?> system, int n)
      throws Exception {
    TokenService tokens = new TokenService(JWT_SECRET, Duration.ofHours(2), Clock.systemUTC());
    ClusterSharding sharding = ClusterSharding.get(system);
    List<String> bearer = new ArrayList<>();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      String id = Ids.newId();
      String handle = "fan" + u + "_" + System.nanoTime() % 100000;
      pending.add(
          sharding
              .entityRefFor(UserActor.ENTITY_TYPE_KEY, id)
              .<Account>askWithStatus(
                  r -> new UserCommand.Register(handle, "DE", Instant.now(), r),
                  Duration.ofSeconds(20))
              .toCompletableFuture());
      bearer.add(tokens.issue(id, handle, "DE").token());
      if (pending.size() == 32) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
        pending.clear();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return bearer;
  }

  /**
   * Mix: 90 % views, 8 % shares, 2 % likes, rotating users; interactions for {@code seconds} (a
   * monotonic clock through LuaJIT's ffi), then {@code GET /health} only. The URL wrk is given is
   * the video's path; the script appends the interaction. With {@code batch} > 1 views and shares
   * go as {@code POST /api/v1/events} batches of that many (a fixed share count in each, so an
   * accepted batch says how many of each it held) and likes stay single calls (~2 %).
   */
  static String wrkScript(List<String> tokens, int seconds, String videoId, int batch) {
    StringBuilder lua = new StringBuilder("tokens = {\n");
    for (String t : tokens) {
      lua.append("  \"").append(t).append("\",\n");
    }
    int shares = batch == 1 ? 0 : Math.max(1, Math.round(batch * 0.08f));
    StringBuilder events = new StringBuilder("{\"events\":[");
    for (int i = 0; i < batch; i++) {
      events
          .append(i == 0 ? "" : ",")
          .append("{\"kind\":\"")
          .append(i < shares ? "share" : "view")
          .append("\",\"videoId\":\"")
          .append(videoId)
          .append(i < shares ? "\"}" : "\",\"watchMs\":4000,\"completed\":true}");
    }
    events.append("]}");
    lua.append("}\nlimit_s = ").append(seconds).append("\n");
    lua.append("batch = ").append(batch).append("\n");
    lua.append("batch_shares = ").append(shares).append("\n");
    // every n-th request a like: ~2 % of the interactions either way
    lua.append("like_every = ").append(batch == 1 ? 50 : Math.max(2, 50 / batch + 1)).append("\n");
    lua.append("batch_body = '").append(events).append("'\n");
    lua.append(
        """
        local ffi = require("ffi")
        ffi.cdef[[
          typedef struct { long tv_sec; long tv_nsec; } flick_timespec;
          int clock_gettime(int clk_id, flick_timespec *tp);
        ]]
        local ts = ffi.new("flick_timespec")
        local function now()
          ffi.C.clock_gettime(1, ts)
          return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
        end
        local threads = {}
        function setup(thread)
          table.insert(threads, thread)
        end
        function init(args)
          counter = 0
          views = 0
          shares = 0
          likes = 0
          liked = 0
          healths = 0
          non2xx = 0
          statuses = ""
          deadline = now() + limit_s
          prefix = wrk.path
          json = { ["Content-Type"] = "application/json" }
          view_body = '{"watchMs":4000,"completed":true}'
        end
        function request()
          if now() >= deadline then
            return wrk.format("GET", "/health")
          end
          counter = counter + 1
          local token = tokens[((counter * 7) % #tokens) + 1]
          local r = counter % 50
          local headers = { ["Authorization"] = "Bearer " .. token,
                            ["Content-Type"] = "application/json" }
          if counter % like_every == 0 then
            return wrk.format("POST", prefix .. "/like", headers, "")
          elseif batch > 1 then
            return wrk.format("POST", "/api/v1/events", headers, batch_body)
          elseif r < 5 then
            return wrk.format("POST", prefix .. "/share", headers, "")
          end
          return wrk.format("POST", prefix .. "/views", headers, view_body)
        end
        function response(status, headers, body)
          if status < 200 or status > 299 then
            non2xx = non2xx + 1
            if #statuses < 200 then statuses = statuses .. status .. " " end
          elseif body:find('"accepted"', 1, true) then
            local n = tonumber(body:match('"accepted":(%d+)'))
            if n == batch and not body:find('"index"', 1, true) then
              views = views + batch - batch_shares
              shares = shares + batch_shares
            else
              non2xx = non2xx + 1
              if #statuses < 200 then statuses = statuses .. "partial " end
            end
          elseif body:find('"counted"', 1, true) then
            views = views + 1
          elseif body:find('"shared"', 1, true) then
            shares = shares + 1
          elseif body:find('"liked"', 1, true) then
            likes = likes + 1
            if body:find('"changed":true', 1, true) then liked = liked + 1 end
          else
            healths = healths + 1
          end
        end
        function done(summary, latency, requests)
          local t = { views = 0, shares = 0, likes = 0, liked = 0, healths = 0, non2xx = 0 }
          local st = ""
          for _, thread in ipairs(threads) do
            for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
            st = st .. thread:get("statuses")
          end
          io.write(string.format("FLICK views=%d shares=%d likes=%d liked=%d healths=%d non2xx=%d statuses=[%s]\\n",
            t.views, t.shares, t.likes, t.liked, t.healths, t.non2xx, st))
        end
        """);
    return lua.toString();
  }

  record Wrk(
      double rps,
      double p50,
      double p99,
      long views,
      long shares,
      long likeCalls,
      long liked,
      long non2xx,
      String statuses,
      String socketErrors,
      String raw) {
    long acknowledged() {
      return views + shares + likeCalls;
    }
  }

  private static Wrk wrk(String url, Path script, int seconds, int connections, int threads)
      throws Exception {
    WrkRun run = WrkRun.run(url, script, seconds, connections, threads, Duration.ofSeconds(2));
    String out = run.output();
    System.out.print(out.replaceAll("(?m)^", "  [wrk] "));
    Matcher socket = Pattern.compile("Socket errors: ([^\\n]+)").matcher(out);
    String socketErrors = socket.find() ? socket.group(1) : "none";
    Matcher counts =
        Pattern.compile(
                "FLICK views=(\\d+) shares=(\\d+) likes=(\\d+) liked=(\\d+) healths=\\d+"
                    + " non2xx=(\\d+) statuses=\\[([^\\]]*)\\]")
            .matcher(out);
    boolean scripted = counts.find();
    if (script != null && !scripted) {
      throw new IllegalStateException("no counts from the wrk script:\n" + out);
    }
    Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
    return new Wrk(
        run.rps(),
        run.p50(),
        run.p99(),
        scripted ? Long.parseLong(counts.group(1)) : 0,
        scripted ? Long.parseLong(counts.group(2)) : 0,
        scripted ? Long.parseLong(counts.group(3)) : 0,
        scripted ? Long.parseLong(counts.group(4)) : 0,
        scripted
            ? Long.parseLong(counts.group(5))
            : non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
        scripted ? counts.group(6).strip() : "",
        socketErrors,
        out);
  }

  private static String uploadClip(HttpClient http, String base, String token) throws Exception {
    String videoId =
        BenchHttp.upload(http, base, token, BenchHttp.shortClip(), "viral #hot", List.of());
    BenchHttp.awaitReady(http, base, videoId);
    return videoId;
  }
}
