package io.flick.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.api.HttpApi;
import io.flick.api.auth.RedisLoginThrottle;
import io.flick.api.auth.TokenService;
import io.flick.api.feed.FeedRoutes;
import io.flick.api.health.ReadinessCheck;
import io.flick.api.limits.BucketRateLimiter;
import io.flick.api.limits.RateLimitSettings;
import io.flick.api.limits.RateLimits;
import io.flick.api.media.MediaRoutes;
import io.flick.api.media.MediaSigner;
import io.flick.api.metrics.Metrics;
import io.flick.api.safety.SafetyRoutes;
import io.flick.api.social.InteractionRoutes;
import io.flick.api.social.SocialRoutes;
import io.flick.api.social.ViewGuard;
import io.flick.api.social.ViewIntegrity;
import io.flick.api.social.ViewerCookie;
import io.flick.api.video.ReadyVideoCache;
import io.flick.api.video.VideoRoutes;
import io.flick.api.video.ViewerState;
import io.flick.api.web.WebRoutes;
import io.flick.common.NodeRoles;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.common.projection.ProjectionMetrics;
import io.flick.creator.CreatorActor;
import io.flick.creator.CreatorService;
import io.flick.creator.followers.FollowersProjection;
import io.flick.feed.foryou.FeedModelStream;
import io.flick.feed.foryou.FeedSettings;
import io.flick.feed.foryou.ForYouBuilder;
import io.flick.feed.foryou.RankerTrainer;
import io.flick.feed.rank.Recommender;
import io.flick.moderation.CaptionBlocklist;
import io.flick.moderation.ModerationService;
import io.flick.moderation.ModerationSettings;
import io.flick.moderation.SafetyActor;
import io.flick.moderation.queue.ReportQueue;
import io.flick.moderation.queue.ReportQueueProjection;
import io.flick.node.infra.CassandraSchema;
import io.flick.node.infra.KafkaLagMetrics;
import io.flick.node.infra.KafkaTopics;
import io.flick.node.infra.RedisDeadlineIndex;
import io.flick.node.infra.S3Storage;
import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.pipeline.ModerationHook;
import io.flick.transcode.pipeline.TranscodePipeline;
import io.flick.transcode.pipeline.TranscodeSettings;
import io.flick.user.AccountService;
import io.flick.user.SocialService;
import io.flick.user.UserActor;
import io.flick.user.profile.UserProfileStream;
import io.flick.video.DeadlineSweeper;
import io.flick.video.DeadlinesProjection;
import io.flick.video.VideoActor;
import io.flick.video.VideoService;
import io.flick.video.catalog.VideoCatalog;
import io.flick.video.comments.CommentService;
import io.flick.video.counters.VideoCounterStream;
import io.flick.video.index.VideoIndex;
import io.flick.video.listing.MediaRemoval;
import io.flick.video.listing.VideoListingProjection;
import io.flick.video.upload.UploadService;
import io.flick.video.upload.UploadSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * One Flick node: the ActorSystem, its cluster membership, the entities, and the HTTP and gRPC
 * endpoints, wired against Cassandra, Kafka, S3 and Redis as the config says. The same code runs in
 * dev mode, in the tests and in production; only the config differs.
 */
public final class FlickNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlickNode.class);

  private final ActorSystem<Void> system;
  private final ServerBinding httpBinding;
  private final ServerBinding grpcBinding;
  private final S3Storage s3;
  private final Admin kafkaAdmin;
  private final Producer<String, byte[]> producer;
  private final RedisClient redis;

  private FlickNode(
      ActorSystem<Void> system,
      ServerBinding httpBinding,
      ServerBinding grpcBinding,
      S3Storage s3,
      Admin kafkaAdmin,
      Producer<String, byte[]> producer,
      RedisClient redis) {
    this.system = system;
    this.httpBinding = httpBinding;
    this.grpcBinding = grpcBinding;
    this.s3 = s3;
    this.kafkaAdmin = kafkaAdmin;
    this.producer = producer;
    this.redis = redis;
  }

  /** Blocking until the node serves HTTP; {@code progress} gets one line per step. */
  public static FlickNode start(Config config, Consumer<String> progress) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flick", config);
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
    if (config.getList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }

    CassandraSession cassandra =
        CassandraSessionRegistry.get(system)
            .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    CqlSession cql = cassandra.underlying().toCompletableFuture().get(60, TimeUnit.SECONDS);
    CassandraSchema.Settings schema = CassandraSchema.Settings.from(config);
    if (schema.migrateOnStart()) {
      CassandraSchema.migrate(cql, schema);
      progress.accept("schema      keyspace " + schema.keyspace() + " up to date");
    }

    KafkaTopics.Settings kafka = KafkaTopics.Settings.from(config);
    Admin kafkaAdmin = KafkaTopics.admin(kafka);
    KafkaTopics.ensure(kafkaAdmin, kafka);
    progress.accept("topics      " + kafka.topics());

    S3Storage s3 = new S3Storage(S3Storage.Settings.from(config));
    s3.ensureBucket().toCompletableFuture().get(30, TimeUnit.SECONDS);

    RedisClient redis =
        RedisClient.create(config.getString("flick.redis.host"), config.getInt("flick.redis.port"));
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());

    Metrics metrics = new Metrics();
    // the For You feed: this node's recommender, rebuilt from Kafka, serves every UserActor here
    FeedSettings feed = FeedSettings.from(config);
    Recommender recommender = new Recommender(feed.model());
    recommender.setTraining(false);
    ForYouBuilder forYou = new ForYouBuilder(system, recommender, feed, redis, metrics.registry());
    UserActor.init(system, forYou);
    VideoActor.init(system);
    CreatorActor.init(system);

    Duration askTimeout = config.getDuration("flick.ask-timeout");
    // the moderation context: reports and blocks (SafetyActor); the transcoder's moderation hook
    SafetyActor.init(system);
    ModerationService moderation = new ModerationService(system, askTimeout);
    CaptionBlocklist blocklist = CaptionBlocklist.from(config);
    ModerationHook moderationHook =
        (video, dhash) ->
            blocklist
                .check(video.caption(), video.hashtags())
                .map(
                    reason ->
                        moderation
                            .report(
                                ModerationSettings.SYSTEM_REPORTER,
                                "auto-" + video.id(),
                                SafetyActor.TargetKind.VIDEO,
                                video.id(),
                                SafetyActor.Reason.OTHER,
                                "flagged before READY: " + reason)
                            .thenApply(filed -> Optional.of(reason)))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    AccountService accounts = new AccountService(system, cql, schema.keyspace(), askTimeout);
    TokenService tokens =
        new TokenService(
            config.getString("flick.auth.jwt-secret"),
            config.getDuration("flick.auth.token-ttl"),
            Clock.systemUTC());
    ShardingMetrics.register(
        system,
        metrics,
        List.of(
            UserActor.ENTITY_TYPE_KEY, VideoActor.ENTITY_TYPE_KEY, CreatorActor.ENTITY_TYPE_KEY));

    RedisDeadlineIndex deadlines = new RedisDeadlineIndex(redis, blocking);
    VideoService videos = new VideoService(system, askTimeout);
    if (NodeRoles.has(system, NodeRoles.ENTITIES)) {
      DeadlineSweeper.start(system, videos, deadlines, UploadSettings.from(config).sweepInterval());
    }
    Producer<String, byte[]> producer = KafkaTopics.producer(kafka);
    UploadService uploads =
        new UploadService(
            videos,
            s3.client(),
            s3.presigner(),
            s3.bucket(),
            cql,
            schema.keyspace(),
            producer,
            UploadSettings.from(config),
            Clock.systemUTC());
    SocialService social = new SocialService(system, askTimeout);
    CreatorService creators = new CreatorService(system, askTimeout);
    CommentService comments = new CommentService(cql, schema.keyspace(), Clock.systemUTC());
    // the read side: views derived from the entities' journals, run where the projections role is
    ProjectionMetrics projections = new ProjectionMetrics(metrics.registry());
    FollowersProjection.start(system, creators, projections);
    DeadlinesProjection.start(system, deadlines, projections);
    VideoIndex videoIndex = new VideoIndex(cql, schema.keyspace());
    VideoListingProjection.start(
        system,
        new VideoListingProjection.Listings(
            videos,
            videoIndex,
            creators,
            new VideoCatalog(producer),
            new MediaRemoval(s3.client(), s3.bucket())),
        projections);
    InteractionPublisher interactions = new InteractionPublisher(producer);
    MediaSigner signer =
        new MediaSigner(
            config.getString("flick.media.signing-secret"),
            config.getDuration("flick.media.url-ttl"),
            Clock.systemUTC());
    String publicUrl = config.getString("flick.http.public-url");
    if (NodeRoles.has(system, NodeRoles.TRANSCODE)) {
      new TranscodePipeline(
              system,
              TranscodeSettings.from(config),
              UploadSettings.from(config).maxBytes(),
              videos,
              s3.client(),
              s3.bucket(),
              new FfmpegPaths(
                  Path.of(config.getString("flick.ffmpeg")),
                  Path.of(config.getString("flick.ffprobe"))),
              kafka.bootstrapServers(),
              producer,
              metrics.registry())
          .withModerationHook(moderationHook)
          .start();
      progress.accept("transcode   pipeline consuming " + TranscodePipeline.TOPIC);
    }
    if (NodeRoles.has(system, NodeRoles.FEED)) {
      InteractionStreamSettings streams = InteractionStreamSettings.from(config);
      new VideoCounterStream(system, streams, videos, kafka.bootstrapServers(), metrics.registry())
          .start();
      if (config.getBoolean("flick.interactions.learn-profiles")) {
        new UserProfileStream(system, streams, social, kafka.bootstrapServers()).start();
      }
      progress.accept("interactions counters and profiles consuming " + InteractionPublisher.TOPIC);
    }
    new FeedModelStream(
            system,
            feed,
            recommender,
            kafka.bootstrapServers(),
            InteractionStreamSettings.from(config).restart(),
            metrics.registry())
        .start();
    RankerTrainer.start(system, recommender, producer, feed.modelPublishInterval());
    system
        .scheduler()
        .scheduleWithFixedDelay(
            feed.hotListInterval(),
            feed.hotListInterval(),
            () -> {
              try {
                forYou.writeHotLists(recommender.regions());
              } catch (RuntimeException e) {
                log.debug("hot lists not written: {}", e.toString());
              }
            },
            system.dispatchers().lookup(DispatcherSelector.blocking()));
    progress.accept("feed        recommender rebuilding from Kafka; ranker trainer singleton");

    List<ReadinessCheck> checks =
        List.of(
            check("cluster", () -> memberUp(cluster)),
            check(
                "cassandra", () -> cassandra.selectOne("SELECT release_version FROM system.local")),
            check("kafka", () -> kafkaAdmin.describeCluster().clusterId().toCompletionStage()),
            check("s3", s3::ping),
            check("redis", () -> CompletableFuture.supplyAsync(redis::ping, blocking)));

    // trust and safety: rate limits (Redis buckets), one counted view per viewer per window,
    // the web app's browser policy (the S3 endpoint uploads go to, the media origin)
    RateLimits rateLimits =
        new RateLimits(
            RateLimitSettings.from(config), BucketRateLimiter.redis(redis, blocking), tokens);
    ViewIntegrity viewIntegrity =
        new ViewIntegrity(
            ViewGuard.redis(redis, ViewGuard.Settings.from(config), blocking),
            new ViewerCookie(config.getString("flick.auth.jwt-secret"), Clock.systemUTC()),
            rateLimits::clientAddress);
    WebRoutes.Settings webPolicy =
        WebRoutes.Settings.of(config.getString("flick.s3.endpoint"), publicUrl);
    // the moderation context's report queue projection (SafetyActor started with the entities)
    ReportQueue reportQueue = new ReportQueue(cql, schema.keyspace());
    ReportQueueProjection.start(system, reportQueue, projections);

    // READY videos shared by the feed pages and the interaction routes
    ReadyVideoCache readyVideos = new ReadyVideoCache(videos, forYou.settings().videoCacheTtl());
    SafetyRoutes safety =
        new SafetyRoutes(
            moderation,
            accounts,
            videos,
            readyVideos,
            tokens,
            reportQueue,
            ModerationSettings.moderators(config));
    // the caller's likes on the videos a response shows
    ViewerState viewerState = new ViewerState(social);
    HttpApi api =
        new HttpApi(
            accounts,
            tokens,
            new RedisLoginThrottle(redis, blocking),
            List.of(
                auth ->
                    new InteractionRoutes(interactions, readyVideos, auth, viewIntegrity).routes(),
                safety::routes,
                auth ->
                    new VideoRoutes(videos, uploads, signer, publicUrl, auth, viewerState).routes(),
                auth ->
                    new SocialRoutes(
                            accounts,
                            social,
                            creators,
                            videos,
                            comments,
                            interactions,
                            readyVideos,
                            signer,
                            publicUrl,
                            auth)
                        .routes(),
                auth ->
                    new FeedRoutes(
                            videoIndex,
                            videos,
                            social,
                            creators,
                            signer,
                            publicUrl,
                            auth,
                            forYou,
                            readyVideos,
                            viewerState)
                        .routes()),
            new MediaRoutes(signer, s3.client(), s3.bucket()).routes(),
            metrics,
            checks,
            config.getDuration("flick.readiness-timeout"),
            rateLimits,
            webPolicy,
            inner -> safety.hidingBlocked(() -> inner));

    ServerBinding http = null;
    ServerBinding grpc = null;
    if (NodeRoles.has(system, NodeRoles.API)) {
      http =
          Http.get(system)
              .newServerAt(
                  config.getString("flick.http.interface"), config.getInt("flick.http.port"))
              .bind(api.routes())
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      http.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      grpc =
          Http.get(system)
              .newServerAt(
                  config.getString("flick.grpc.interface"), config.getInt("flick.grpc.port"))
              .withSettings(
                  ServerSettings.create(
                      ConfigFactory.parseString("pekko.http.server.preview.enable-http2 = on")
                          .withFallback(config)))
              .bind(NodeGrpc.handler(system))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      grpc.addToCoordinatedShutdown(Duration.ofSeconds(5), system);
    }

    KafkaLagMetrics.register(
        system,
        kafkaAdmin,
        List.of(
            config.getString("flick.transcode.consumer-group"),
            config.getString("flick.interactions.consumer-group-counters"),
            config.getString("flick.interactions.consumer-group-profiles")),
        metrics.registry());

    FlickNode node = new FlickNode(system, http, grpc, s3, kafkaAdmin, producer, redis);
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-clients",
            () -> {
              node.closeClients();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    return node;
  }

  private static ReadinessCheck check(
      String name, java.util.function.Supplier<CompletionStage<?>> probe) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CompletionStage<?> check() {
        return probe.get();
      }
    };
  }

  private static CompletionStage<?> memberUp(Cluster cluster) {
    MemberStatus status = cluster.selfMember().status();
    return status == MemberStatus.up()
        ? CompletableFuture.completedFuture(status)
        : CompletableFuture.failedFuture(
            new IllegalStateException("cluster member is " + status + ", not Up"));
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The HTTP port; only a node with the api role has one. */
  public int httpPort() {
    if (httpBinding == null) {
      throw new IllegalStateException("this node has no api role: it serves no HTTP");
    }
    return httpBinding.localAddress().getPort();
  }

  public int grpcPort() {
    if (grpcBinding == null) {
      throw new IllegalStateException("this node has no api role: it serves no gRPC");
    }
    return grpcBinding.localAddress().getPort();
  }

  private void closeClients() {
    producer.close(Duration.ofSeconds(5));
    s3.close();
    kafkaAdmin.close(Duration.ofSeconds(5));
    redis.close();
  }

  /** Leaves the cluster gracefully (hands shards over), then stops. Blocking. */
  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
