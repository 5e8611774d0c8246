package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import grpc.reflection.v1alpha.reflection.ServerReflectionClient$;
import grpc.reflection.v1alpha.reflection.ServerReflectionRequest;
import grpc.reflection.v1alpha.reflection.ServerReflectionResponse;
import grpc.reflection.v1alpha.reflection.ServiceResponse;
import io.flick.node.dev.NodeProcess;
import io.flick.proto.ops.ClusterStateReply;
import io.flick.proto.ops.ClusterStateRequest;
import io.flick.proto.ops.DrainRequest;
import io.flick.proto.ops.EntityTypeShards;
import io.flick.proto.ops.ListProjectionsRequest;
import io.flick.proto.ops.Member;
import io.flick.proto.ops.OpsServiceClient;
import io.flick.proto.ops.ProjectionInfo;
import io.flick.proto.ops.RebuildProjectionReply;
import io.flick.proto.ops.RebuildProjectionRequest;
import io.flick.proto.ops.ShardDistributionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcClientSettings;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operations API through its generated client, against the shared test node: what the cluster
 * is made of, where the shards are, a projection rebuilt from its journal repairing a lost view, a
 * second node drained out of the cluster, and reflection listing the services for grpcurl.
 */
@Timeout(300)
class OpsGrpcIT {
  private static final Duration WITHIN = Duration.ofSeconds(90);

  private static TestCluster cluster;
  private static OpsServiceClient ops;

  @BeforeAll
  static void connect() {
    cluster = TestCluster.get();
    ops = OpsServiceClient.create(settings(), cluster.node().system());
  }

  @AfterAll
  static void close() throws Exception {
    if (ops != null) {
      ops.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static GrpcClientSettings settings() {
    return GrpcClientSettings.connectToServiceAt(
            "127.0.0.1", cluster.node().grpcPort(), cluster.node().system())
        .withTls(false);
  }

  private static <T> T await(CompletionStage<T> call) throws Exception {
    return call.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void describesTheMembersAndWhereTheShardsAre() throws Exception {
    // a user entity now lives somewhere
    ApiClient.signedUp(cluster, "opsstate");
    ClusterStateReply state = await(ops.clusterState(ClusterStateRequest.getDefaultInstance()));
    Member self =
        state.getMembersList().stream()
            .filter(m -> m.getAddress().equals(state.getSelf()))
            .findFirst()
            .orElseThrow();
    assertThat(self.getStatus()).isEqualTo("Up");
    assertThat(self.getReachable()).isTrue();
    assertThat(self.getRolesList()).contains("api", "entities", "projections");
    assertThat(self.getAppVersion())
        .isEqualTo(cluster.config().getString("pekko.cluster.app-version"));
    assertThat(state.getLeader()).isNotEmpty();

    List<EntityTypeShards> users =
        await(
                ops.shardDistribution(
                    ShardDistributionRequest.newBuilder().setEntityType("User").build()))
            .getEntityTypesList();
    assertThat(users).hasSize(1);
    assertThat(users.get(0).getAnswered()).isTrue();
    assertThat(users.get(0).getNodesList())
        .anySatisfy(
            node -> {
              assertThat(node.getAddress()).isEqualTo(state.getSelf());
              assertThat(node.getShards()).isPositive();
              assertThat(node.getEntities()).isPositive();
            });
    assertThat(
            await(ops.shardDistribution(ShardDistributionRequest.getDefaultInstance()))
                .getEntityTypesList())
        .extracting(EntityTypeShards::getEntityType)
        .contains("User", "Video", "Creator");

    assertStatus(
        ops.shardDistribution(ShardDistributionRequest.newBuilder().setEntityType("Nope").build()),
        Status.Code.INVALID_ARGUMENT);
    assertStatus(
        ops.drain(DrainRequest.newBuilder().setAddress("not an address").build()),
        Status.Code.INVALID_ARGUMENT);
    assertStatus(
        ops.drain(DrainRequest.newBuilder().setAddress("pekko://flick@127.0.0.1:1").build()),
        Status.Code.NOT_FOUND);
  }

  /**
   * A user's search document lost from OpenSearch (a wiped index, a bad restore) comes back when
   * the {@code search-users-v2} projection is rebuilt: its offsets are cleared and it replays the
   * journal into the idempotent handler.
   */
  @Test
  void rebuildingAProjectionReplaysItsJournalAndRepairsALostView() throws Exception {
    List<ProjectionInfo> projections =
        await(ops.listProjections(ListProjectionsRequest.getDefaultInstance()))
            .getProjectionsList();
    assertThat(projections)
        .extracting(ProjectionInfo::getName)
        .contains("search-users-v2", "video-listings", "creator-followers");
    assertThat(
            projections.stream()
                .filter(p -> p.getName().equals("search-users-v2"))
                .findFirst()
                .orElseThrow()
                .getTagsCount())
        .isEqualTo(4);

    ApiClient user = ApiClient.signedUp(cluster, "rebuilt");
    String search =
        "/api/v1/search?type=users&q=" + URLEncoder.encode(user.handle, StandardCharsets.UTF_8);
    Predicate<JsonNode> found =
        page -> page.get("items").findValuesAsText("id").contains(user.userId);
    user.awaitJson(search, found, WITHIN);

    String document =
        cluster.endpoints().searchUrl()
            + "/"
            + cluster.config().getString("flick.search.index-prefix")
            + "-users/_doc/"
            + user.userId
            + "?refresh=true";
    HttpResponse<String> deleted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(document)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    user.awaitJson(search, found.negate(), WITHIN);

    RebuildProjectionReply rebuilt =
        await(
            ops.rebuildProjection(
                RebuildProjectionRequest.newBuilder().setName("search-users-v2").build()));
    assertThat(rebuilt.getTagsCount()).isEqualTo(4);
    user.awaitJson(search, found, WITHIN);

    assertStatus(
        ops.rebuildProjection(RebuildProjectionRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND);
  }

  /**
   * A second node finds the cluster as deploy/k8s's pods do, by cluster bootstrap (here with config
   * discovery listing the test node's management endpoint instead of the Kubernetes API), serves
   * the probes' routes, and is drained: it leaves and its process ends.
   */
  @Test
  void aNodeJoinsByClusterBootstrapAndDrainingItMakesItLeaveAndStop() throws Exception {
    int contactPoint = cluster.config().getInt("pekko.management.http.port");
    int management = TestCluster.freePort();
    NodeProcess second =
        cluster.forkNode(
            "drained-node",
            List.of("entities"),
            ConfigFactory.parseString(
                String.join(
                    "\n",
                    "pekko.cluster.seed-nodes = []",
                    "flick.management.bootstrap = on",
                    "pekko.management.http.port = " + management,
                    "pekko.management.cluster.bootstrap.contact-point-discovery {",
                    "  discovery-method = config, required-contact-point-nr = 1 }",
                    "pekko.discovery.config.services.flick.endpoints = [",
                    "  { host = \"127.0.0.1\", port = " + contactPoint + " } ]")));
    try {
      second.awaitUp(3, TimeUnit.MINUTES);
      String address =
          awaitMember(
                  m -> m.getRolesList().equals(List.of("entities")) && m.getStatus().equals("Up"))
              .getAddress();
      // the probes deploy/k8s points at: alive, and ready once an Up member
      assertThat(managementStatus(management, "/alive")).isEqualTo(200);
      awaitManagementReady(management);
      assertThat(managementStatus(contactPoint, "/ready")).isEqualTo(200);

      String before =
          await(ops.drain(DrainRequest.newBuilder().setAddress(address).build())).getStatus();
      assertThat(before).isIn("Up", "Leaving");

      // handed its shards over and left: gone from the members, and its JVM ended by itself
      long deadline = System.nanoTime() + WITHIN.toNanos();
      while (members().stream().anyMatch(m -> m.getAddress().equals(address))
          && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertThat(members()).extracting(Member::getAddress).doesNotContain(address);
      assertThat(second.awaitExit(WITHIN)).as("the drained node's process ended").isTrue();
    } finally {
      second.kill();
    }
  }

  /** grpcurl lists and describes services through reflection (v1alpha). */
  @Test
  void reflectionListsTheServices() throws Exception {
    ActorSystem<?> system = cluster.node().system();
    var reflection = ServerReflectionClient$.MODULE$.apply(settings(), system);
    try {
      ServerReflectionResponse response =
          Source.fromGraph(
                  reflection.serverReflectionInfo(
                      Source.single(ServerReflectionRequest.defaultInstance().withListServices("*"))
                          .asScala()))
              .runWith(Sink.head(), system)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      List<String> services =
          scala.jdk.javaapi.CollectionConverters.asJava(
                  response.getListServicesResponse().service())
              .stream()
              .map(ServiceResponse::name)
              .toList();
      assertThat(services)
          .contains("flick.ops.OpsService", "flick.node.NodeService", "flick.admin.AdminService");
    } finally {
      reflection.close();
    }
  }

  private static int managementStatus(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** /ready answers 503 until the cluster-membership check sees this node Up. */
  private static void awaitManagementReady(int port) throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (managementStatus(port, "/ready") != 200) {
      assertThat(System.nanoTime()).as("/ready within " + WITHIN).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static List<Member> members() throws Exception {
    return await(ops.clusterState(ClusterStateRequest.getDefaultInstance())).getMembersList();
  }

  private static Member awaitMember(Predicate<Member> wanted) throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (true) {
      var match = members().stream().filter(wanted).findFirst();
      if (match.isPresent()) {
        return match.get();
      }
      assertThat(System.nanoTime()).as("a member as wanted within " + WITHIN).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static void assertStatus(CompletionStage<?> call, Status.Code code) {
    assertThatThrownBy(() -> call.toCompletableFuture().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
  }
}
