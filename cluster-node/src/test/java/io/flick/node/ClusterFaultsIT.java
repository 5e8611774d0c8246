package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.flick.node.dev.NodeProcess;
import io.flick.user.UserActor;
import io.flick.video.VideoActor;
import io.flick.video.comments.CommentActor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.util.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix of issue 16 over three JVMs: the shared test node (every role; it serves the
 * API) and two forked nodes, {@code entities,transcode} and {@code feed,projections,transcode}, so
 * the work of every role also runs on a node that can be killed. The shared node itself is never
 * killed: it is this JVM, which the other ITs share, and it is the cluster's oldest member (what a
 * production rolling upgrade also restarts, last).
 *
 * <p>For the whole class a load driver ({@link Load}) sends views, likes, follows and comments
 * through the HTTP API and records which writes were acknowledged (2xx) and which got no answer
 * that says (a 5xx after its one retry, a reset, a timeout); a few short uploads are transcoding as
 * each fault strikes. After each fault the load pauses and the read side must show every
 * acknowledged write exactly once (counts between the acknowledged and the acknowledged plus the
 * unanswered, never more), every acknowledged upload READY, the projections caught up.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {
  /** Roles of the two forked nodes; the shared test node has them all. */
  private static final List<String> ENTITIES_NODE = List.of("entities", "transcode");

  private static final List<String> FEED_NODE = List.of("feed", "projections", "transcode");

  /** How long an infra server stays down: the fault's length, not a wait on anything. */
  private static final Duration DOWN_FOR = Duration.ofSeconds(10);

  /** Bound on any one wait for the read side or the load to move. */
  private static final Duration WITHIN = Duration.ofSeconds(90);

  @TempDir static Path clips;

  private static TestCluster cluster;
  private static ApiClient creator;
  private static byte[] clip;
  private static final List<String> videos = new ArrayList<>();
  private static final List<String> uploads = new CopyOnWriteArrayList<>();
  private static NodeProcess entitiesNode;
  private static NodeProcess feedNode;
  private static Load load;

  @BeforeAll
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // run alone, it starts the shared infra too
  static void threeNodesUnderLoad() throws Exception {
    cluster = TestCluster.get();
    creator = ApiClient.signedUp(cluster, "faults");
    clip = ApiClient.clip(clips, "testsrc2=size=360x640:rate=30", 4);
    entitiesNode = cluster.forkNode("faults-entities", ENTITIES_NODE);
    feedNode = cluster.forkNode("faults-feed", FEED_NODE);
    // the clips the load views, likes and comments on, transcoding while the nodes start
    for (int i = 0; i < 2; i++) {
      videos.add(creator.upload(clip, "video/mp4", "faults " + i));
    }
    entitiesNode.awaitUp(3, TimeUnit.MINUTES);
    feedNode.awaitUp(3, TimeUnit.MINUTES);
    awaitMembersUp(3);
    for (String id : videos) {
      assertThat(creator.awaitOutcome(id).get("status").asText()).isEqualTo("READY");
    }
    load = new Load(cluster, creator, videos);
    load.awaitAcknowledged(20);
  }

  @AfterAll
  static void stop() throws Exception {
    if (load != null) {
      load.close();
    }
    // SIGTERM: they leave the cluster, so the shared node goes on alone for the next ITs
    for (NodeProcess node : new NodeProcess[] {entitiesNode, feedNode}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  @Order(1)
  void aSigkilledNodeOfEachRoleIsRestartedAndNothingAcknowledgedIsLost() throws Exception {
    // entities + transcode
    uploadsTranscoding();
    String killed = address(entitiesNode);
    entitiesNode.kill();
    // its replacement's JVM starts while the cluster notices the loss and downs the dead member
    entitiesNode = cluster.forkNode("faults-entities", ENTITIES_NODE);
    awaitDownedAndRemoved(killed);
    entitiesNode.awaitUp(3, TimeUnit.MINUTES);
    awaitMembersUp(3);
    load.awaitAcknowledgedMore(20);
    everyAcknowledgedWriteOnce("entities node SIGKILLed");

    // feed + projections + transcode
    uploadsTranscoding();
    killed = address(feedNode);
    feedNode.kill();
    feedNode = cluster.forkNode("faults-feed", FEED_NODE);
    awaitDownedAndRemoved(killed);
    feedNode.awaitUp(3, TimeUnit.MINUTES);
    awaitMembersUp(3);
    load.awaitAcknowledgedMore(20);
    everyAcknowledgedWriteOnce("feed node SIGKILLed");
  }

  @Test
  @Order(2)
  void kafkaCassandraAndS3DownForTenSecondsEachLoseNothingAcknowledged() throws Exception {
    for (String server : List.of("kafka", "cassandra", "s3proxy")) {
      uploadsTranscoding();
      load.awaitAcknowledgedMore(5);
      cluster.crashInfra(server);
      try {
        Thread.sleep(DOWN_FOR.toMillis()); // the outage's length (see DOWN_FOR)
      } finally {
        cluster.startInfra(server);
      }
      load.awaitAcknowledgedMore(20);
      everyAcknowledgedWriteOnce(server + " down for " + DOWN_FOR.toSeconds() + " s");
    }
  }

  /**
   * A rolling upgrade of the forked nodes onto a higher {@code app-version}, the way a Kubernetes
   * Deployment rolls (a new pod up, then the old one terminated): the new node joins, the old one
   * gets SIGTERM and leaves, handing its shards over. Sharding allocates to the members of the
   * highest app version and does not rebalance while versions differ, so the old node's shards (and
   * every shard allocated from then on) start on new-version nodes only, never on the old shared
   * node. The shared node stays on the old version: it is the oldest member and this JVM; in
   * production it is restarted last, after which every member runs the new version.
   */
  @Test
  @Order(3)
  void aRollingUpgradeUnderLoadFailsNoRequestAndMovesShardsToTheNewVersion() throws Exception {
    Version running = Cluster.get(cluster.node().system()).selfMember().appVersion();
    String next = nextVersion(running.version());
    var upgrade = ConfigFactory.parseMap(Map.of("pekko.cluster.app-version", next));
    long failedBefore = load.failedAfterRetry();

    uploadsTranscoding();
    String oldAddress = address(entitiesNode);
    Map<String, Set<String>> onOld = shardsAt(oldAddress);
    NodeProcess upgradedEntities = cluster.forkNode("faults-entities-next", ENTITIES_NODE, upgrade);
    upgradedEntities.awaitUp(3, TimeUnit.MINUTES);
    awaitMembersUp(4);
    entitiesNode.close(); // SIGTERM: leaves, hands its shards over
    entitiesNode = upgradedEntities;
    awaitMembersUp(3);
    String newAddress = address(entitiesNode);

    uploadsTranscoding();
    NodeProcess upgradedFeed = cluster.forkNode("faults-feed-next", FEED_NODE, upgrade);
    upgradedFeed.awaitUp(3, TimeUnit.MINUTES);
    awaitMembersUp(4);
    feedNode.close();
    feedNode = upgradedFeed;
    awaitMembersUp(3);
    load.awaitAcknowledgedMore(20);

    assertThat(load.failedAfterRetry() - failedBefore)
        .as("requests failed beyond one retry during the upgrade: %s", load.failures)
        .isZero();
    // the old entities node's shards, as they are allocated again, start on the new version only
    String sharedNode = Cluster.get(cluster.node().system()).selfMember().address().toString();
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      Map<String, Set<String>> nowOnNew = new HashMap<>();
      Map<String, Set<String>> nowOnShared = new HashMap<>();
      for (EntityTypeKey<?> type : TYPES) {
        Map<String, Set<String>> byAddress = shardsByAddress(type);
        nowOnNew.put(type.name(), byAddress.getOrDefault(newAddress, Set.of()));
        Set<String> moved = new HashSet<>(onOld.getOrDefault(type.name(), Set.of()));
        moved.retainAll(byAddress.getOrDefault(sharedNode, Set.of()));
        nowOnShared.put(type.name(), moved);
      }
      assertThat(nowOnShared.values())
          .as("shards of the old-version node restarted on the old-version shared node")
          .allMatch(Set::isEmpty);
      boolean someMoved =
          TYPES.stream()
              .anyMatch(
                  t -> {
                    Set<String> moved = new HashSet<>(onOld.getOrDefault(t.name(), Set.of()));
                    moved.retainAll(nowOnNew.get(t.name()));
                    return !moved.isEmpty();
                  });
      if (someMoved) {
        break;
      }
      assertThat(System.nanoTime())
          .as("a shard of the old entities node (%s) on the new one (%s)", onOld, nowOnNew)
          .isLessThan(deadline);
      Thread.sleep(250); // polling sharding's stats: no event to wait on from outside
    }
    JsonNode ops = creator.json(creator.get("/ops/cluster"));
    for (JsonNode member : ops.get("members")) {
      // every forked member still Up is a new one (an old one may be listed as it exits)
      if (!member.get("self").asBoolean() && member.get("status").asText().equals("Up")) {
        assertThat(member.get("appVersion").asText()).as(ops.toString()).isEqualTo(next);
      }
    }
    everyAcknowledgedWriteOnce("rolling upgrade to " + next);
  }

  private static final List<EntityTypeKey<?>> TYPES =
      List.of(VideoActor.ENTITY_TYPE_KEY, UserActor.ENTITY_TYPE_KEY);

  /** Two uploads completed now, so they are transcoding (or queued) as the next fault strikes. */
  private static void uploadsTranscoding() throws Exception {
    for (int i = 0; i < 2; i++) {
      uploads.add(creator.upload(clip, "video/mp4", "faults upload " + uploads.size()));
    }
  }

  /**
   * With the load paused: every acknowledged upload READY and listed, and the read side showing
   * every acknowledged write once (the unanswered ones at most once).
   */
  private static void everyAcknowledgedWriteOnce(String after) throws Exception {
    load.pause();
    try {
      Load.Tally tally = load.tally();
      System.out.printf("[it] after %s: %s%n", after, tally);
      for (String id : uploads) {
        JsonNode video = creator.awaitOutcome(id);
        assertThat(video.get("status").asText()).as("%s: %s", after, video).isEqualTo("READY");
      }
      // the listing projection has every READY upload
      for (String id : uploads) {
        creator.awaitListed(id);
      }
      ApiClient reader = new ApiClient(cluster.baseUrl());
      awaitCountersCaughtUp();
      for (String video : videos) {
        long views = tally.views.acknowledged(video);
        long likes = tally.likes.acknowledged(video);
        JsonNode counts =
            reader
                .awaitJson(
                    "/api/v1/videos/" + video,
                    v ->
                        v.get("counts").get("views").asLong() >= views
                            && v.get("counts").get("likes").asLong() >= likes,
                    WITHIN)
                .get("counts");
        long counted = counts.get("views").asLong();
        boolean viewsRight = counted >= views && counted <= views + tally.views.unanswered(video);
        assertThat(counted)
            // a wrong count comes with the video's journal: which incarnation wrote what
            .as("%s: views of %s, %s%s", after, video, tally, viewsRight ? "" : journal(video))
            .isBetween(views, views + tally.views.unanswered(video));
        assertThat(counts.get("likes").asLong())
            .as("%s: likes of %s, %s", after, video, tally)
            .isBetween(likes, likes + tally.likes.unanswered(video));
        // each acknowledged comment listed once (the list is a projection: wait for them all);
        // an unanswered one at most once; no other
        List<String> comments = tally.comments.acknowledgedKeys(video);
        Map<String, Integer> listed = commentTexts(reader, video);
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!listed.keySet().containsAll(comments)) {
          assertThat(System.nanoTime())
              .as("%s: every acknowledged comment of %s listed", after, video)
              .isLessThan(deadline);
          Thread.sleep(250); // polling the read side: the public API has no event to wait on
          listed = commentTexts(reader, video);
        }
        for (Map.Entry<String, Integer> text : listed.entrySet()) {
          assertThat(text.getValue()).as("%s: comment %s listed once", after, text).isEqualTo(1);
          assertThat(tally.comments.sent(video, text.getKey()))
              .as("%s: comment %s was sent", after, text)
              .isTrue();
        }
      }
      // follows: each acknowledged follower listed once; the count between the bounds
      long follows = tally.follows.acknowledged(creator.userId);
      JsonNode profile =
          reader.awaitJson(
              "/api/v1/users/" + creator.userId,
              p -> p.get("counts").get("followers").asLong() >= follows,
              WITHIN);
      assertThat(profile.get("counts").get("followers").asLong())
          .as("%s: followers, %s", after, tally)
          .isBetween(follows, follows + tally.follows.unanswered(creator.userId));
      List<String> fans = tally.follows.acknowledgedKeys(creator.userId);
      List<String> followers = followers(reader);
      long deadline = System.nanoTime() + WITHIN.toNanos();
      while (!followers.containsAll(fans)) {
        assertThat(System.nanoTime())
            .as("%s: every acknowledged follower listed", after)
            .isLessThan(deadline);
        Thread.sleep(250); // polling the read side: the public API has no event to wait on
        followers = followers(reader);
      }
      assertThat(followers).as("%s: followers listed once", after).doesNotHaveDuplicates();
    } finally {
      load.resume();
    }
  }

  /** The creator's followers, every page. */
  private static List<String> followers(ApiClient reader) throws Exception {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          reader.json(
              reader.get(
                  "/api/v1/users/"
                      + creator.userId
                      + "/followers?limit=100"
                      + (cursor == null ? "" : "&cursor=" + cursor)));
      ids.addAll(page.get("items").findValuesAsText("id"));
      cursor = page.path("next").isTextual() ? page.get("next").asText() : null;
    } while (cursor != null);
    return ids;
  }

  /** Every comment of the video by text, with how often it is listed. */
  private static Map<String, Integer> commentTexts(ApiClient reader, String video)
      throws Exception {
    Map<String, Integer> texts = new HashMap<>();
    String cursor = null;
    do {
      JsonNode page =
          reader.json(
              reader.get(
                  "/api/v1/videos/"
                      + video
                      + "/comments?limit=100"
                      + (cursor == null ? "" : "&cursor=" + cursor)));
      for (JsonNode comment : page.get("items")) {
        texts.merge(comment.get("text").asText(), 1, Integer::sum);
      }
      cursor = page.path("next").isTextual() ? page.get("next").asText() : null;
    } while (cursor != null);
    return texts;
  }

  private static void awaitCountersCaughtUp() throws Exception {
    CounterStream.awaitCaughtUp(cluster, WITHIN);
  }

  private static void awaitMembersUp(int count) throws InterruptedException {
    Cluster membership = Cluster.get(cluster.node().system());
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      long up =
          StreamSupport.stream(membership.state().getMembers().spliterator(), false)
              .filter(member -> member.status() == MemberStatus.up())
              .count();
      boolean allReachable = membership.state().getUnreachable().isEmpty();
      if (up == count && allReachable) {
        return;
      }
      assertThat(System.nanoTime())
          .as("%d members Up and reachable (%s)", count, membership.state())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * Until the member at {@code address} (a SIGKILLed node) is downed and removed, and every member
   * left is reachable (a replacement may be joining meanwhile).
   */
  private static void awaitDownedAndRemoved(String address) throws InterruptedException {
    Cluster membership = Cluster.get(cluster.node().system());
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      boolean gone =
          StreamSupport.stream(membership.state().getMembers().spliterator(), false)
              .noneMatch(member -> member.address().toString().equals(address));
      if (gone && membership.state().getUnreachable().isEmpty()) {
        return;
      }
      assertThat(System.nanoTime())
          .as("%s downed and removed (%s)", address, membership.state())
          .isLessThan(deadline);
      Thread.sleep(200); // polling membership: the test holds no subscription to its events
    }
  }

  /** The forked node's cluster address, from the line it printed once up. */
  private static String address(NodeProcess node) throws Exception {
    String up = node.awaitUp(1, TimeUnit.SECONDS);
    return up.substring(NodeProcess.UP_MARKER.length() + 2).split(" ")[0];
  }

  /** Shard ids per entity type hosted at {@code address}. */
  private static Map<String, Set<String>> shardsAt(String address) throws Exception {
    Map<String, Set<String>> shards = new HashMap<>();
    for (EntityTypeKey<?> type : TYPES) {
      shards.put(type.name(), shardsByAddress(type).getOrDefault(address, Set.of()));
    }
    return shards;
  }

  /**
   * The VideoActor's journal rows, one line each (sequence number, write time, writer, event type):
   * two rows of one sequence number mean two incarnations wrote after each other unseen.
   */
  private static String journal(String videoId) {
    try (CqlSession cql = cluster.cql()) {
      StringBuilder rows = new StringBuilder("\njournal of Video|" + videoId + ":");
      for (Row row :
          cql.execute(
              "SELECT sequence_nr, timestamp, writer_uuid, ser_manifest FROM "
                  + cluster.config().getString("flick.cassandra.keyspace")
                  + ".messages WHERE persistence_id = ? AND partition_nr = 0",
              "Video|" + videoId)) {
        rows.append("\n  ")
            .append(row.getLong("sequence_nr"))
            .append(' ')
            .append(Uuids.unixTimestamp(row.getUuid("timestamp")))
            .append(' ')
            .append(row.getString("writer_uuid"))
            .append(' ')
            .append(row.getString("ser_manifest"));
      }
      return rows.toString();
    } catch (RuntimeException failed) {
      return "\n(journal unreadable: " + failed + ")";
    }
  }

  /** Sharding's view of where each shard of {@code type} runs: address → shard ids. */
  private static Map<String, Set<String>> shardsByAddress(EntityTypeKey<?> type) throws Exception {
    var system = cluster.node().system();
    ClusterShardingStats stats =
        AskPattern.<ClusterShardingQuery, ClusterShardingStats>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(type, Duration.ofSeconds(5), replyTo),
                Duration.ofSeconds(10),
                system.scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    Map<String, Set<String>> byAddress = new HashMap<>();
    stats
        .getRegions()
        .forEach(
            (address, region) ->
                byAddress.put(address.toString(), new HashSet<>(region.getStats().keySet())));
    return byAddress;
  }

  /** A version above {@code running}: its last numeric part plus one (0.1.0-SNAPSHOT → 0.1.1). */
  static String nextVersion(String running) {
    String[] parts = running.split("[-+]")[0].split("\\.");
    parts[parts.length - 1] = String.valueOf(Integer.parseInt(parts[parts.length - 1]) + 1);
    String next = String.join(".", parts);
    assertThat(new Version(next).compareTo(new Version(running))).isPositive();
    return next;
  }

  /**
   * The load: one thread sending, round after round, a view of each video, (every other round) a
   * comment, and (every fourth round) a new fan who follows the creator and likes a video, all
   * through the shared node's HTTP API. A request answered 503 with Retry-After is sent once more
   * after the Retry-After it names; a comment carries the id the client chose for it, so its retry
   * answers the same comment instead of posting a second one. Every attempt that got no 2xx counts
   * as unanswered (it may have landed); a write that got no 2xx after its retry is a failure.
   */
  static final class Load implements AutoCloseable {
    private static final Duration PACE = Duration.ofMillis(200);
    private final TestCluster cluster;
    private final ApiClient creator;
    private final List<String> videos;
    private final Thread thread;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Object lock = new Object();
    private boolean pauseWanted; // guarded by lock
    private boolean paused; // guarded by lock
    private long acknowledged; // guarded by lock
    private long failed; // guarded by lock

    /** Retried writes that failed after their retry. */
    final List<String> failures = new CopyOnWriteArrayList<>();

    private final Tally tally = new Tally();

    Load(TestCluster cluster, ApiClient creator, List<String> videos) {
      this.cluster = cluster;
      this.creator = creator;
      this.videos = List.copyOf(videos);
      this.thread = new Thread(this::run, "fault-load");
      thread.start();
    }

    /** What the load sent, by kind: per target, the keys acknowledged and unanswered. */
    static final class Tally {
      final Writes views = new Writes();
      final Writes likes = new Writes();
      final Writes follows = new Writes();
      final Writes comments = new Writes();

      @Override
      public String toString() {
        return "views "
            + views
            + ", likes "
            + likes
            + ", follows "
            + follows
            + ", comments "
            + comments;
      }
    }

    /** Writes to targets (a video, a creator), each with a key (a fan, a comment's text). */
    static final class Writes {
      private final Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
      private final Map<String, Long> unanswered = new ConcurrentHashMap<>();
      private final Map<String, Set<String>> sent = new ConcurrentHashMap<>();

      void record(String target, String key, int attempts, boolean acked) {
        sent.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(key);
        if (acked) {
          acknowledged.computeIfAbsent(target, t -> new CopyOnWriteArrayList<>()).add(key);
        }
        long unknown = attempts - (acked ? 1 : 0);
        if (unknown > 0) {
          unanswered.merge(target, unknown, Long::sum);
        }
      }

      long acknowledged(String target) {
        return acknowledged.getOrDefault(target, List.of()).size();
      }

      List<String> acknowledgedKeys(String target) {
        return acknowledged.getOrDefault(target, List.of());
      }

      long unanswered(String target) {
        return unanswered.getOrDefault(target, 0L);
      }

      boolean sent(String target, String key) {
        return sent.getOrDefault(target, Set.of()).contains(key);
      }

      @Override
      public String toString() {
        long acked = acknowledged.values().stream().mapToLong(List::size).sum();
        long unknown = unanswered.values().stream().mapToLong(Long::longValue).sum();
        return acked + " acknowledged/" + unknown + " unanswered";
      }
    }

    private void run() {
      ApiClient commenter = null;
      for (long round = 0; !stopped.get(); round++) {
        if (!awaitNotPaused()) {
          return;
        }
        try {
          if (commenter == null) {
            commenter = signUp("faultsc");
          }
          for (String video : videos) {
            // signed in: every view of a signed-in viewer counts (the test config's repeat
            // window is 0 s); anonymous views are capped per address
            write(
                tally.views,
                video,
                "v" + round,
                c -> c.post("/api/v1/videos/" + video + "/views", "{\"watchMs\":1000}"),
                commenter);
          }
          if (commenter != null && round % 2 == 0) {
            String video = videos.get((int) (round % videos.size()));
            String text = "fault comment " + round;
            String id = CommentActor.newId(Instant.now()); // the client's: its retry lands once
            write(
                tally.comments,
                video,
                text,
                c ->
                    c.post(
                        "/api/v1/videos/" + video + "/comments",
                        "{\"text\":\"" + text + "\",\"id\":\"" + id + "\"}"),
                commenter);
          }
          if (round % 4 == 0) {
            ApiClient fan = signUp("faultsf");
            if (fan != null) {
              write(
                  tally.follows,
                  creator.userId,
                  fan.userId,
                  c -> c.post("/api/v1/users/" + creator.userId + "/follow", ""),
                  fan);
              String video = videos.get((int) ((round / 2) % videos.size()));
              write(
                  tally.likes,
                  video,
                  fan.userId,
                  c -> c.post("/api/v1/videos/" + video + "/like", ""),
                  fan);
            }
          }
          // the load's pace: steady traffic that leaves the 2-core machine room to recover
          Thread.sleep(PACE.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private interface Call {
      HttpResponse<String> send(ApiClient client) throws Exception;
    }

    /** A new fan, or null when sign-up or log-in got no 2xx (nothing of theirs is sent then). */
    private ApiClient signUp(String prefix) {
      try {
        return ApiClient.signedUp(cluster, prefix);
      } catch (Exception e) {
        return null;
      }
    }

    /** Sends {@code call}, once more after a 503 with Retry-After; records the outcome. */
    private void write(Writes writes, String target, String key, Call call, ApiClient client)
        throws InterruptedException {
      if (client == null) {
        return;
      }
      int attempts = 0;
      boolean acked = false;
      String last = null;
      while (attempts < 2 && !acked) {
        attempts++;
        try {
          HttpResponse<String> response = call.send(client);
          acked = response.statusCode() / 100 == 2;
          last = response.statusCode() + " " + response.body();
          var retryAfter = response.headers().firstValue("Retry-After");
          if (response.statusCode() != 503 || retryAfter.isEmpty()) {
            break;
          }
          if (attempts < 2) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter.get()))); // as asked
          }
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          last = e.toString();
        }
      }
      writes.record(target, key, attempts, acked);
      synchronized (lock) {
        if (acked) {
          acknowledged++;
        } else {
          failed++;
          failures.add(target + " " + key + ": " + last);
        }
        lock.notifyAll();
      }
    }

    private boolean awaitNotPaused() {
      synchronized (lock) {
        while (pauseWanted && !stopped.get()) {
          paused = true;
          lock.notifyAll();
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return false;
          }
        }
        paused = false;
        return !stopped.get();
      }
    }

    /** Stops sending after the request in flight; returns once it is answered. */
    void pause() throws InterruptedException {
      synchronized (lock) {
        pauseWanted = true;
        lock.notifyAll();
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!paused) {
          long left = deadline - System.nanoTime();
          assertThat(left).as("the load paused").isPositive();
          lock.wait(Math.max(1, left / 1_000_000));
        }
      }
    }

    void resume() {
      synchronized (lock) {
        pauseWanted = false;
        lock.notifyAll();
      }
    }

    Tally tally() {
      return tally;
    }

    long failedAfterRetry() {
      synchronized (lock) {
        return failed;
      }
    }

    void awaitAcknowledged(long n) throws InterruptedException {
      synchronized (lock) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (acknowledged < n) {
          long left = deadline - System.nanoTime();
          assertThat(left)
              .as("%d writes acknowledged (have %d; failures %s)", n, acknowledged, failures)
              .isPositive();
          lock.wait(Math.max(1, left / 1_000_000));
        }
      }
    }

    /** Until {@code n} more writes than now are acknowledged: the load flows again. */
    void awaitAcknowledgedMore(long n) throws InterruptedException {
      long now;
      synchronized (lock) {
        now = acknowledged;
      }
      awaitAcknowledged(now + n);
    }

    @Override
    public void close() throws InterruptedException {
      stopped.set(true);
      synchronized (lock) {
        lock.notifyAll();
      }
      thread.interrupt();
      thread.join(TimeUnit.SECONDS.toMillis(70));
    }
  }
}
