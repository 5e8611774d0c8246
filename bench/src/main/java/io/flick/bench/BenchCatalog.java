package io.flick.bench;

import io.flick.api.auth.TokenService;
import io.flick.common.Ids;
import io.flick.node.infra.KafkaTopics;
import io.flick.user.Account;
import io.flick.user.UserActor;
import io.flick.user.UserCommand;
import io.flick.video.MediaKeys;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary.Rendition;
import io.flick.video.catalog.VideoCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A catalogue and an audience for the feed benchmarks, made through the entities (not HTTP
 * uploads): READY videos published to the {@code videos} topic as the pipeline does, and registered
 * viewers with bearer tokens signed by {@link BenchNode#JWT_SECRET}.
 */
public final class BenchCatalog {
  private BenchCatalog() {}

  /**
   * {@code count} READY videos of 200 creators (well-formed ids: the read side asks their
   * CreatorActors), 50 hashtags; returns the ids of those that made it. On a loaded machine an ask
   * may time out: such a video is left out, and more than 5 % left out fails the run.
   */
  public static List<String> readyVideos(ActorSystem<?> system, int count) throws Exception {
    VideoService videoService = new VideoService(system);
    Producer<String, byte[]> producer =
        KafkaTopics.producer(KafkaTopics.Settings.from(system.settings().config()));
    VideoCatalog catalog = new VideoCatalog(producer);
    List<String> creators = new ArrayList<>();
    for (int c = 0; c < 200; c++) {
      creators.add(Ids.newId());
    }
    List<String> ids = new ArrayList<>();
    Map<String, CompletableFuture<?>> pending = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String id = Ids.newId();
      pending.put(id, readyVideo(videoService, catalog, id, creators.get(i % 200), i));
      if (pending.size() == 16 || i == count - 1) {
        for (var video : pending.entrySet()) {
          try {
            video.getValue().get(60, TimeUnit.SECONDS);
            ids.add(video.getKey());
          } catch (ExecutionException | TimeoutException e) {
            System.out.println("[bench] video left out: " + e.getCause());
          }
        }
        pending.clear();
      }
    }
    producer.flush();
    producer.close();
    if (ids.size() < count * 0.95) {
      throw new IllegalStateException("only " + ids.size() + " of " + count + " videos READY");
    }
    return ids;
  }

  private static CompletableFuture<?> readyVideo(
      VideoService videos, VideoCatalog catalog, String id, String creator, int i) {
    String prefix = MediaKeys.mediaPrefix(id);
    List<String> tags = List.of("tag" + (i % 50));
    return videos
        .create(
            id,
            creator,
            "bench video " + i,
            tags,
            Optional.empty(),
            1_000_000,
            "video/mp4",
            prefix + "source",
            Instant.now().plusSeconds(600))
        .thenCompose(v -> videos.completeUpload(id, creator))
        .thenCompose(
            v ->
                videos.markReady(
                    id,
                    15_000,
                    720,
                    1280,
                    List.of(
                        new Rendition(
                            "720p",
                            720,
                            1280,
                            2_500_000,
                            2_000_000,
                            "avc1.64001f",
                            prefix + "hls/720p/index.m3u8")),
                    prefix + "hls/master.m3u8",
                    Optional.of(prefix + "poster.jpg"),
                    Optional.empty()))
        .thenCompose(
            v ->
                catalog.ready(
                    id, creator, tags, null, System.currentTimeMillis(), 15_000, List.of()))
        .toCompletableFuture();
  }

  /** {@code count} accounts registered on their UserActors; returns their bearer tokens. */
  public static List<String> viewers(ActorSystem<?> system, String prefix, int count)
      throws Exception {
    TokenService tokens =
        new TokenService(BenchNode.JWT_SECRET, Duration.ofHours(2), Clock.systemUTC());
    ClusterSharding sharding = ClusterSharding.get(system);
    List<String> bearer = new ArrayList<>();
    for (int u = 0; u < count; u++) {
      String id = Ids.newId();
      String handle = prefix + u;
      try {
        sharding
            .entityRefFor(UserActor.ENTITY_TYPE_KEY, id)
            .<Account>askWithStatus(
                r -> new UserCommand.Register(handle, "DE", Instant.now(), r),
                Duration.ofSeconds(10))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
        bearer.add(tokens.issue(id, handle, "DE").token());
      } catch (ExecutionException | TimeoutException e) {
        // a loaded machine: this one is left out (it may or may not exist), as with videos
        System.out.println("[bench] viewer left out: " + e.getCause());
      }
    }
    if (bearer.size() < count * 0.95) {
      throw new IllegalStateException("only " + bearer.size() + " of " + count + " viewers");
    }
    return bearer;
  }

  /** Waits until the node at {@code base} has {@code videos} videos in its ranking model. */
  public static void awaitModel(HttpClient http, String base, int videos) throws Exception {
    Pattern gauge = Pattern.compile("(?m)^flick_feed_model_videos ([0-9.E]+)$");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m = gauge.matcher(metrics);
      if (m.find() && Double.parseDouble(m.group(1)) >= videos) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(base + ": the catalogue never reached " + videos + " videos");
  }

  /** GET the first For You page of each viewer (its cold build); fails unless each has videos. */
  public static void firstPages(HttpClient http, List<String> bases, List<String> tokens)
      throws Exception {
    for (int i = 0; i < tokens.size(); i++) {
      String base = bases.get(i % bases.size());
      HttpResponse<String> first =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/feed/foryou?limit=10"))
                  .header("Authorization", "Bearer " + tokens.get(i))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (first.statusCode() != 200 || !first.body().contains("\"id\"")) {
        throw new IllegalStateException(
            base + " first page: " + first.statusCode() + " " + first.body());
      }
    }
  }

  /** A Lua table {@code tokens} for wrk scripts, and a request hook rotating over them. */
  public static String tokenRotationLua(List<String> tokens) {
    StringBuilder lua = new StringBuilder("tokens = {\n");
    for (String t : tokens) {
      lua.append("  \"").append(t).append("\",\n");
    }
    lua.append(
        """
        }
        counter = 0
        request = function()
          counter = counter + 1
          local token = tokens[(counter % #tokens) + 1]
          return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
        end
        """);
    return lua.toString();
  }
}
