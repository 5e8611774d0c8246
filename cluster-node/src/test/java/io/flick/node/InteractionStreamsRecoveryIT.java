package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.common.kafka.InteractionStreamSettings;
import io.flick.proto.events.Interaction;
import io.flick.user.Account;
import io.flick.user.SocialService;
import io.flick.user.UserActor;
import io.flick.user.UserCommand;
import io.flick.user.UserEvent;
import io.flick.user.profile.UserProfileStream;
import io.flick.video.VideoActor;
import io.flick.video.VideoEvent.CountsFlushed;
import io.flick.video.VideoService;
import io.flick.video.counters.VideoCounterStream;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The write-back streams' recovery (the VideoActor counters, the UserActor profiles) with the fault
 * struck at the moments that matter, not at a random point: the real streams on the shared Kafka,
 * entities on a journal that fails exactly the write a test chooses (the persistence testkit). Each
 * test has its own topic, groups and entity, so the cuts of its batches are its own.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InteractionStreamsRecoveryIT {
  private static final Duration CAUGHT_UP = Duration.ofSeconds(60);

  private static ActorTestKit testKit;
  private static VideoService videos;
  private static SocialService social;
  private static PersistenceTestKit journal;
  private static KafkaProducer<String, byte[]> producer;
  private static Admin admin;

  @BeforeAll
  static void start() {
    var endpoints = TestCluster.get().endpoints();
    testKit =
        ActorTestKit.create(
            "InteractionStreamsRecoveryIT",
            ConfigFactory.parseString(
                    """
                    pekko.actor.provider = cluster
                    pekko.actor.serialize-messages = on
                    pekko.remote.artery.canonical.hostname = 127.0.0.1
                    pekko.remote.artery.canonical.port = 0
                    pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                    pekko.cluster.seed-nodes = []
                    flick.video.counter-flush-interval = 200ms
                    flick.user.signal-flush-interval = 200ms
                    """)
                .withFallback(PersistenceTestKitPlugin.config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()));
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(20),
            () -> {
              assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
              return null;
            });
    VideoActor.init(testKit.system());
    UserActor.init(testKit.system());
    // a batch not answered within 2 s (+ the flush interval) fails its stream, which redelivers
    videos = new VideoService(testKit.system(), Duration.ofSeconds(2));
    social = new SocialService(testKit.system(), Duration.ofSeconds(2));
    journal = PersistenceTestKit.create(testKit.system());
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap()));
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  /**
   * The VideoActor wrote a batch, the stream stopped before committing it: its next incarnation
   * (here: a group with nothing committed) redelivers from before the counted offset, cut so that
   * the counted offset falls inside its first batch while its second batch is already on the way.
   * The first is refused as overlapping and its uncounted rest sent again behind the second, which
   * the VideoActor at first refuses (its predecessor is not there yet) and then takes once the rest
   * is written: every view counted once, and the stream does not loop on the refusal.
   */
  @Test
  void aBatchWrittenButNotCommittedIsRedeliveredCutDifferentlyAndCountedOnce() throws Exception {
    String topic = topic();
    String videoId = video();
    views(topic, videoId, 100); // offsets 0..99

    UniqueKillSwitch first = stream(topic, 100).start();
    awaitCounted(videoId, 100);
    first.shutdown();
    assertThat(flushes(videoId)).extracting(CountsFlushed::offsets).containsExactly(Map.of(0, 99L));

    views(topic, videoId, 300); // offsets 100..399
    // cut at 150: 0..149 reaches into the counted 0..99, then 150..299, 300..399
    PrometheusRegistry metrics = new PrometheusRegistry();
    UniqueKillSwitch second = stream(topic, 150, metrics).start();
    try {
      awaitCounted(videoId, 400);
      assertThat(restarts(metrics))
          .as("a redelivery cut differently is counted without failing the stream")
          .isZero();
      assertThat(flushes(videoId).stream().mapToLong(f -> f.total().views()).sum())
          .as("views written to the journal, over every flush")
          .isEqualTo(400);
      assertThat(countedThrough(videoId)).isEqualTo(399);
    } finally {
      second.shutdown();
    }
  }

  /**
   * The flush carrying the first batches fails in the journal (as when Cassandra dies under it):
   * the VideoActor stops with them unwritten and unanswered, later batches reach its next
   * incarnation and are refused (their predecessors were lost there), the stream fails and
   * redelivers from its committed offset: every view counted once.
   */
  @Test
  void aFlushThatFailsInTheJournalIsRedeliveredAndCountedOnce() throws Exception {
    String topic = topic();
    String videoId = video();
    views(topic, videoId, 200);
    journal.failNextPersisted("Video|" + videoId);

    UniqueKillSwitch stream = stream(topic, 50).start();
    try {
      awaitCounted(videoId, 200);
      views(topic, videoId, 50);
      awaitCounted(videoId, 250);
      assertThat(flushes(videoId).stream().mapToLong(f -> f.total().views()).sum()).isEqualTo(250);
      assertThat(countedThrough(videoId)).isEqualTo(249);
    } finally {
      stream.shutdown();
    }
  }

  /**
   * The same fault for the profile stream: the UserActor's first flush fails in the journal, the
   * batches it held are redelivered, the ones that reached its next incarnation first are refused
   * there: every watch learned once, the learned offset at the end of the topic.
   */
  @Test
  void signalsWhoseFlushFailsInTheJournalAreRedeliveredAndLearnedOnce() throws Exception {
    String topic = topic();
    String userId = user();
    String videoId = Ids.newId();
    views(topic, videoId, userId, 120);
    journal.failNextPersisted("User|" + userId);

    UniqueKillSwitch stream = profiles(topic, 30).start();
    try {
      awaitLearned(userId, 119);
      views(topic, videoId, userId, 30);
      awaitLearned(userId, 149);
      assertThat(learned(userId).stream().mapToInt(e -> e.signals().size()).sum())
          .as("watches written to the journal, over every flush")
          .isEqualTo(150);
    } finally {
      stream.shutdown();
    }
  }

  // ---- helpers

  private static UserProfileStream profiles(String topic, int batchSize) {
    return new UserProfileStream(
        testKit.system(),
        settings(topic, batchSize),
        social,
        TestCluster.get().endpoints().kafkaBootstrap(),
        new io.prometheus.metrics.model.registry.PrometheusRegistry());
  }

  private static InteractionStreamSettings settings(String topic, int batchSize) {
    return new InteractionStreamSettings(
        topic,
        "counters-" + topic + "-" + UUID.randomUUID(),
        "profiles-" + topic + "-" + UUID.randomUUID(),
        batchSize,
        Duration.ofSeconds(2),
        8,
        RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(2), 0.2));
  }

  private static VideoCounterStream stream(String topic, int batchSize) {
    return stream(topic, batchSize, new PrometheusRegistry());
  }

  private static VideoCounterStream stream(
      String topic, int batchSize, PrometheusRegistry metrics) {
    return new VideoCounterStream(
        testKit.system(),
        settings(topic, batchSize),
        videos,
        TestCluster.get().endpoints().kafkaBootstrap(),
        metrics);
  }

  private static double restarts(PrometheusRegistry metrics) {
    return metrics.scrape().stream()
        .filter(
            m ->
                m.getMetadata()
                    .getPrometheusName()
                    .equals("flick_interactions_counter_stream_restarts"))
        .map(m -> ((CounterSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst()
        .orElseThrow();
  }

  private static String topic() throws Exception {
    String topic = "counter-recovery-" + UUID.randomUUID();
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    return topic;
  }

  private static String video() throws Exception {
    String id = Ids.newId();
    videos
        .create(
            id,
            "c1",
            "recovery",
            List.of(),
            Optional.empty(),
            1000,
            "video/mp4",
            "uploads/" + id,
            Instant.now().plus(Duration.ofHours(1)))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return id;
  }

  private static String user() throws Exception {
    String id = Ids.newId();
    ClusterSharding.get(testKit.system())
        .entityRefFor(UserActor.ENTITY_TYPE_KEY, id)
        .<StatusReply<Account>>ask(
            r -> new UserCommand.Register("u" + id.substring(0, 8), "DE", Instant.now(), r),
            Duration.ofSeconds(10))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return id;
  }

  /** {@code n} anonymous views of the video, written to the topic before this returns. */
  private static void views(String topic, String videoId, int n) throws Exception {
    views(topic, videoId, "", n);
  }

  /** {@code n} views of the video by {@code userId}, written to the topic before this returns. */
  private static void views(String topic, String videoId, String userId, int n) throws Exception {
    byte[] view =
        Interaction.newBuilder()
            .setKind(Interaction.Kind.VIEW)
            .setVideoId(videoId)
            .setUserId(userId)
            .setCreatorId("c1")
            .setWatchMs(100)
            .setDurationMs(1000)
            .setAtEpochMs(System.currentTimeMillis())
            .build()
            .toByteArray();
    for (int i = 0; i < n; i++) {
      producer.send(new ProducerRecord<>(topic, videoId, view));
    }
    producer.flush();
  }

  private static void awaitCounted(String videoId, long views) {
    testKit
        .createTestProbe()
        .awaitAssert(
            CAUGHT_UP,
            Duration.ofMillis(100),
            () -> {
              assertThat(currentViews(videoId)).isEqualTo(views);
              return null;
            });
  }

  /** Until the user's journal says its signals are learned through {@code offset}. */
  private static void awaitLearned(String userId, long offset) {
    testKit
        .createTestProbe()
        .awaitAssert(
            CAUGHT_UP,
            Duration.ofMillis(100),
            () -> {
              assertThat(
                      learned(userId).stream()
                          .mapToLong(e -> e.offsets().getOrDefault(0, -1L))
                          .max()
                          .orElse(-1))
                  .isEqualTo(offset);
              return null;
            });
  }

  private static List<UserEvent.SignalsLearned> learned(String userId) {
    return journal.persistedInStorage("User|" + userId).stream()
        .filter(UserEvent.SignalsLearned.class::isInstance)
        .map(UserEvent.SignalsLearned.class::cast)
        .toList();
  }

  private static long currentViews(String videoId) throws Exception {
    return videos
        .get(videoId)
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .orElseThrow()
        .counts()
        .views();
  }

  private static long countedThrough(String videoId) {
    return flushes(videoId).stream()
        .mapToLong(f -> f.offsets().getOrDefault(0, -1L))
        .max()
        .orElse(-1);
  }

  private static List<CountsFlushed> flushes(String videoId) {
    return journal.persistedInStorage("Video|" + videoId).stream()
        .filter(CountsFlushed.class::isInstance)
        .map(CountsFlushed.class::cast)
        .toList();
  }
}
