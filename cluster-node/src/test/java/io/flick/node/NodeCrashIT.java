package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.node.dev.NodeProcess;
import io.flick.user.UserActor;
import io.flick.video.VideoActor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion.ShardState;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.cluster.typed.Unsubscribe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node crash is never the user's failure (issue 16): a second node in a JVM of its own, with the
 * entities and transcode roles, is SIGKILLed while it transcodes and hosts some of the uploads'
 * VideoActors. Every upload still ends READY (none FAILED: the asks that time out while its shards
 * move cost no attempt), its entities answer again within the bound cluster.conf's failure detector
 * and split-brain resolver settings give, and meanwhile requests get a retryable 503, never a 500
 * or a hang.
 */
@Timeout(300)
class NodeCrashIT {
  /**
   * 8-9 s until the dead node's shards start elsewhere (cluster.conf), plus one request's ask
   * timeout (5 s) that may have been sent just before, plus slack for a loaded 2-core machine.
   */
  private static final Duration ANSWERS_AGAIN_WITHIN = Duration.ofSeconds(15);

  @TempDir static Path clips;

  @Test
  void aNodeKilledMidTranscodeFailsNoUploadAndItsEntitiesAnswerAgainWithinTheBound()
      throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "crash");
    Cluster membership = Cluster.get(cluster.node().system());
    NodeProcess second = cluster.forkNode("crash-node", List.of("entities", "transcode"));
    try {
      // Up only once its shard regions run: an Up member of the entities role counts in every
      // coordinator's state writes, and one still connecting to the infra held them all
      Address joined = awaitOtherMemberUp(cluster.node());
      for (EntityTypeKey<?> type : List.of(VideoActor.ENTITY_TYPE_KEY, UserActor.ENTITY_TYPE_KEY)) {
        assertThat(regionRunsOn(cluster.node(), joined, type))
            .as("the %s shard region on %s as it became Up", type.name(), joined)
            .isTrue();
      }
      second.awaitUp(3, TimeUnit.MINUTES);
      awaitMembersUp(membership, 2);

      // load: uploads transcoding on both nodes (video-uploaded's partitions are split between
      // their consumers); new shards go to the region with the fewest, so some of these
      // VideoActors start on the second node
      byte[] clip = ApiClient.testClip(clips, 10);
      List<String> videos = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        videos.add(creator.upload(clip, "video/mp4", "crash " + i));
      }
      Set<String> local = localVideoEntities(cluster.node());
      List<String> onSecond = videos.stream().filter(id -> !local.contains(id)).toList();
      assertThat(onSecond).as("uploads whose VideoActor lives on the second node").isNotEmpty();
      awaitLogLine(second.log(), "first rung", Duration.ofSeconds(120));

      // what /ops shows: both members with their roles, the second one hosting video shards
      JsonNode ops = creator.json(creator.get("/ops/cluster"));
      assertThat(ops.get("members")).hasSize(2);
      JsonNode secondMember = null;
      for (JsonNode member : ops.get("members")) {
        if (!member.get("self").asBoolean()) {
          secondMember = member;
        }
      }
      assertThat(secondMember).as(ops.toString()).isNotNull();
      assertThat(secondMember.get("roles").toString()).isEqualTo("[\"entities\",\"transcode\"]");
      String secondAddress = secondMember.get("address").asText();
      assertThat(ops.get("shards").get(VideoActor.ENTITY_TYPE_KEY.name()).get(secondAddress))
          .as(ops.toString())
          .isNotNull();

      second.kill();
      long killed = System.nanoTime();
      long unfinished = videos.stream().filter(id -> !status(creator, id).equals("READY")).count();
      assertThat(unfinished).as("uploads still processing when the node died").isPositive();

      // every entity of the dead node answers again; meanwhile only 503s with Retry-After
      for (String id : onSecond) {
        while (true) {
          var response = creator.get("/api/v1/videos/" + id);
          if (response.statusCode() == 200) {
            break;
          }
          assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
          assertThat(response.headers().firstValue("Retry-After")).isPresent();
          assertThat(Duration.ofNanos(System.nanoTime() - killed))
              .as("video %s still unanswered", id)
              .isLessThan(ANSWERS_AGAIN_WITHIN);
          Thread.sleep(200);
        }
      }
      Duration answeredAgain = Duration.ofNanos(System.nanoTime() - killed);
      System.out.println("[it] entities of the killed node answered again after " + answeredAgain);
      assertThat(answeredAgain).isLessThan(ANSWERS_AGAIN_WITHIN);
      awaitMembersUp(membership, 1);
      assertThat(creator.json(creator.get("/ops/cluster")).get("members")).hasSize(1);

      // and no upload paid for the crash
      for (String id : videos) {
        JsonNode video = creator.awaitOutcome(id);
        assertThat(video.get("status").asText()).as(video.toString()).isEqualTo("READY");
      }
      // the transcode stream's backpressure figures, on this node
      assertThat(creator.get("/metrics").body())
          .contains(
              "flick_stream_elements_total{segment=\"consumed\",stream=\"transcode-pipeline\"}",
              "flick_stream_in_flight{segment=\"transcode\",stream=\"transcode-pipeline\"}",
              "flick_kafka_consumer_partition_lag{group=\"");
    } finally {
      second.kill();
    }
  }

  /** The video's status, or "unanswered" while its entity does not answer. */
  private static String status(ApiClient client, String videoId) {
    try {
      var response = client.get("/api/v1/videos/" + videoId);
      return response.statusCode() == 200
          ? client.json(response).get("status").asText()
          : "unanswered";
    } catch (Exception e) {
      return "unanswered";
    }
  }

  private static void awaitMembersUp(Cluster membership, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (upMembers(membership) != count) {
      assertThat(System.nanoTime()).as("%d members Up", count).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static long upMembers(Cluster membership) {
    return StreamSupport.stream(membership.state().getMembers().spliterator(), false)
        .filter(member -> member.status() == MemberStatus.up())
        .count();
  }

  /** The address of the first member other than this node to become Up, as the event arrives. */
  private static Address awaitOtherMemberUp(FlickNode node) {
    Cluster membership = Cluster.get(node.system());
    Address self = membership.selfMember().address();
    TestProbe<ClusterEvent.MemberUp> events = TestProbe.create(node.system());
    membership.subscriptions().tell(Subscribe.create(events.ref(), ClusterEvent.MemberUp.class));
    try {
      return events
          .fishForMessage(
              Duration.ofMinutes(3),
              up ->
                  up.member().address().equals(self)
                      ? FishingOutcomes.continueAndIgnore()
                      : FishingOutcomes.complete())
          .get(0)
          .member()
          .address();
    } finally {
      membership.subscriptions().tell(new Unsubscribe<>(events.ref()));
    }
  }

  /** Whether the node at {@code address} runs {@code type}'s shard region (it answers Identify). */
  private static boolean regionRunsOn(FlickNode node, Address address, EntityTypeKey<?> type)
      throws Exception {
    try {
      node.system()
          .classicSystem()
          .actorSelection(address + "/system/sharding/" + type.name())
          .resolveOne(Duration.ofSeconds(3))
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException notThere) {
      return false;
    }
  }

  /** The video entities this JVM's node hosts now. */
  private static Set<String> localVideoEntities(FlickNode node) throws Exception {
    var system = node.system();
    CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(VideoActor.ENTITY_TYPE_KEY, replyTo),
                Duration.ofSeconds(10),
                system.scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    Set<String> ids = new HashSet<>();
    for (ShardState shard : state.getShards()) {
      ids.addAll(shard.getEntityIds());
    }
    return ids;
  }

  /** Waits until the node's log shows {@code text}: its transcoder is at work. */
  private static void awaitLogLine(Path log, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains(text))) {
      assertThat(System.nanoTime()).as("'%s' in %s", text, log).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
