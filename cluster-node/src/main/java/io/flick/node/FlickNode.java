package io.flick.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.api.health.ReadinessCheck;
import io.flick.common.NodeRoles;
import io.flick.creator.CreatorActor;
import io.flick.creator.CreatorService;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.node.contexts.ApiContext;
import io.flick.node.contexts.CreatorContext;
import io.flick.node.contexts.FeedContext;
import io.flick.node.contexts.ModerationContext;
import io.flick.node.contexts.SearchContext;
import io.flick.node.contexts.StudioContext;
import io.flick.node.contexts.TranscodeContext;
import io.flick.node.contexts.UserContext;
import io.flick.node.contexts.VideoContext;
import io.flick.node.infra.Infra;
import io.flick.node.infra.KafkaLagMetrics;
import io.flick.user.UserActor;
import io.flick.video.VideoActor;
import io.flick.video.comments.CommentActor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * One Flick node, the composition root: the ActorSystem and its cluster membership, the shared
 * infrastructure clients ({@link Infra}), then each bounded context's part on this node as {@code
 * pekko.cluster.roles} asks ({@code io.flick.node.contexts}; a node with every role, or none, is
 * dev mode). The same code runs in dev mode, in the tests and in production; only the config
 * differs.
 */
public final class FlickNode implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final Optional<ApiContext> api;

  private FlickNode(ActorSystem<Void> system, Optional<ApiContext> api) {
    this.system = system;
    this.api = api;
  }

  /** Blocking until the node serves HTTP; {@code progress} gets one line per step. */
  public static FlickNode start(Config config, Consumer<String> progress) throws Exception {
    // Pekko joins configured seed nodes as the system starts; Flick joins them itself, once the
    // node's shard regions run (see join)
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "flick",
            ConfigFactory.parseString("pekko.cluster.seed-nodes = []").withFallback(config));
    try {
      return wire(system, config, progress);
    } catch (Exception | Error e) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static FlickNode wire(ActorSystem<Void> system, Config config, Consumer<String> progress)
      throws Exception {
    Cluster cluster = Cluster.get(system);
    startManagement(system, config, progress);
    Infra infra = Infra.connect(system, config, progress);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-clients",
            () -> {
              infra.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });

    // each context starts its part; the order follows what each needs from the others
    ForYouBuilder forYou = FeedContext.start(infra, progress);
    UserContext users = UserContext.start(infra, forYou, progress);
    CreatorService creators = CreatorContext.start(infra);
    VideoContext videos = VideoContext.start(infra, creators, progress);
    ModerationContext moderation = ModerationContext.start(infra);
    TranscodeContext.start(
        infra, videos.videos(), moderation.hook(), videos.sounds()::match, progress);
    StudioContext studio = StudioContext.start(infra, progress);
    SearchContext search = SearchContext.start(infra, users, videos, progress);

    ShardingMetrics.register(
        system,
        infra.metrics(),
        List.of(
            UserActor.ENTITY_TYPE_KEY,
            VideoActor.ENTITY_TYPE_KEY,
            CreatorActor.ENTITY_TYPE_KEY,
            CommentActor.ENTITY_TYPE_KEY));
    KafkaLagMetrics.register(
        system,
        infra.kafkaAdmin(),
        List.of(
            config.getString("flick.transcode.consumer-group"),
            config.getString("flick.interactions.consumer-group-counters"),
            config.getString("flick.interactions.consumer-group-profiles")),
        Map.of(studio.consumerGroup(), studio::storedOffsets),
        infra.metrics().registry());

    List<ReadinessCheck> checks = new ArrayList<>();
    checks.add(Infra.check("cluster", () -> memberUp(cluster)));
    checks.addAll(infra.checks());
    checks.add(Infra.check("search", () -> search.engine().health()));
    Optional<ApiContext> api =
        ApiContext.start(
            infra, users, creators, videos, moderation, forYou, studio.queries(), search, checks);
    join(system, config, cluster, progress);
    return new FlickNode(system, api);
  }

  /**
   * The management routes (/alive, /ready for probes; bootstrap's contact point) from the start,
   * when management or cluster bootstrap is on.
   */
  private static void startManagement(
      ActorSystem<Void> system, Config config, Consumer<String> progress) throws Exception {
    boolean seeded = !config.getList("pekko.cluster.seed-nodes").isEmpty();
    boolean bootstrap = config.getBoolean("flick.management.bootstrap");
    if (bootstrap && seeded) {
      throw new IllegalArgumentException(
          "cluster bootstrap (FLICK_CLUSTER_BOOTSTRAP) and seed nodes (pekko.cluster.seed-nodes)"
              + " both set: choose one way to find the cluster");
    }
    if (bootstrap || config.getBoolean("flick.management.enabled")) {
      var uri = PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      progress.accept("management on " + uri);
    }
  }

  /**
   * Seed nodes when configured; else cluster bootstrap by discovery when asked for
   * (management.conf: Kubernetes API discovery in deploy/k8s); else the node forms a cluster of its
   * own (dev mode, tests).
   *
   * <p>Last of the start: once Up, a member of a sharding role counts in its coordinators' write
   * majority (Pekko's coordinator-state write-majority-plus, every member in a small cluster), and
   * a member without its regions and their replicator yet answers none of those writes. Joined
   * early, a new node (a rolling upgrade's, a crashed one's replacement) held every shard
   * allocation of the cluster for the seconds it still spent connecting to Cassandra and Kafka:
   * coordinators retried for ~15 s and requests to those shards timed out (ClusterFaultsIT).
   */
  private static void join(
      ActorSystem<Void> system, Config config, Cluster cluster, Consumer<String> progress) {
    List<Address> seeds =
        config.getStringList("pekko.cluster.seed-nodes").stream()
            .map(AddressFromURIString::parse)
            .toList();
    if (!seeds.isEmpty()) {
      cluster.manager().tell(new JoinSeedNodes(seeds));
    } else if (config.getBoolean("flick.management.bootstrap")) {
      ClusterBootstrap.get(system).start();
      progress.accept(
          "cluster     bootstrap by "
              + config.getString(
                  "pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method")
              + " discovery");
    } else {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }

  private static CompletionStage<?> memberUp(Cluster cluster) {
    MemberStatus status = cluster.selfMember().status();
    return status == MemberStatus.up()
        ? CompletableFuture.completedFuture(status)
        : CompletableFuture.failedFuture(
            new IllegalStateException("cluster member is " + status + ", not Up"));
  }

  /** One line for operators: address, roles and the ports this node serves. */
  public String describe() {
    StringBuilder line =
        new StringBuilder()
            .append(Cluster.get(system).selfMember().address())
            .append(" roles ")
            .append(String.join("+", NodeRoles.configured(system)));
    api.ifPresent(
        a -> line.append(", HTTP ").append(httpPort()).append(", gRPC ").append(grpcPort()));
    return line.toString();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The HTTP port; only a node with the api role has one. */
  public int httpPort() {
    return api.orElseThrow(() -> new IllegalStateException("this node has no api role: no HTTP"))
        .http()
        .localAddress()
        .getPort();
  }

  public int grpcPort() {
    return api.orElseThrow(() -> new IllegalStateException("this node has no api role: no gRPC"))
        .grpc()
        .localAddress()
        .getPort();
  }

  /** Leaves the cluster gracefully (hands shards over), then stops. Blocking. */
  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
