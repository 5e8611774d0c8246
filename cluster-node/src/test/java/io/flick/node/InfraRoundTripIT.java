package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.flick.devinfra.Endpoints;
import io.flick.node.infra.S3Storage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Each embedded server does its job for real: Kafka, S3 (with presigning), Redis, and Cassandra
 * keeps what it acknowledged across a crash.
 */
@Timeout(180)
class InfraRoundTripIT {
  private final TestCluster cluster = TestCluster.get();
  private final Endpoints endpoints = cluster.endpoints();

  @Test
  void kafkaRoundTripOnACreatedTopic() throws Exception {
    String topic = "interactions"; // created by the node with its configured partition count
    String key = UUID.randomUUID().toString();
    try (var producer =
        new KafkaProducer<String, String>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                endpoints.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new StringSerializer())) {
      RecordMetadata sent =
          producer.send(new ProducerRecord<>(topic, key, "hello")).get(30, TimeUnit.SECONDS);
      try (var consumer =
          new KafkaConsumer<String, String>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  endpoints.kafkaBootstrap(),
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "it-" + key,
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.assign(
            List.of(new org.apache.kafka.common.TopicPartition(topic, sent.partition())));
        consumer.seek(
            new org.apache.kafka.common.TopicPartition(topic, sent.partition()), sent.offset());
        ConsumerRecord<String, String> received = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received == null && System.nanoTime() < deadline) {
          for (var record : consumer.poll(Duration.ofSeconds(1))) {
            if (record.key().equals(key)) {
              received = record;
            }
          }
        }
        assertThat(received).isNotNull();
        assertThat(received.value()).isEqualTo("hello");
      }
      try (var admin =
          io.flick.node.infra.KafkaTopics.admin(
              io.flick.node.infra.KafkaTopics.Settings.from(cluster.config()))) {
        var description =
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(description.get(topic).partitions()).hasSize(16);
      }
    }
  }

  @Test
  void multiMegabyteObjectsRoundTripThroughS3AndPresignedUrls() throws Exception {
    try (S3Storage s3 = new S3Storage(S3Storage.Settings.from(cluster.config()))) {
      byte[] payload = new byte[12 * 1024 * 1024];
      new Random(42).nextBytes(payload);
      String key = "it/" + UUID.randomUUID() + ".bin";
      s3.client()
          .putObject(
              PutObjectRequest.builder().bucket(s3.bucket()).key(key).build(),
              AsyncRequestBody.fromBytes(payload))
          .get(60, TimeUnit.SECONDS);
      byte[] back =
          s3.client()
              .getObject(
                  GetObjectRequest.builder().bucket(s3.bucket()).key(key).build(),
                  AsyncResponseTransformer.toBytes())
              .get(60, TimeUnit.SECONDS)
              .asByteArray();
      assertThat(MessageDigest.getInstance("SHA-256").digest(back))
          .isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));

      // what browsers will do: PUT straight to a presigned URL, GET through another
      String presignedKey = "it/" + UUID.randomUUID() + ".bin";
      var put =
          s3.presigner()
              .presignPutObject(
                  r ->
                      r.signatureDuration(Duration.ofMinutes(5))
                          .putObjectRequest(p -> p.bucket(s3.bucket()).key(presignedKey)));
      HttpClient http = HttpClient.newHttpClient();
      var putResponse =
          http.send(
              HttpRequest.newBuilder(put.url().toURI())
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(payload))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(putResponse.statusCode()).as(putResponse.body()).isEqualTo(200);
      var get =
          s3.presigner()
              .presignGetObject(
                  r ->
                      r.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket(s3.bucket()).key(presignedKey)));
      var getResponse =
          http.send(
              HttpRequest.newBuilder(get.url().toURI()).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(getResponse.statusCode()).isEqualTo(200);
      assertThat(getResponse.body()).isEqualTo(payload);
      var forged =
          URI.create(
              get.url()
                  .toString()
                  .replaceAll("Signature=[0-9a-f]+", "Signature=" + "0".repeat(64)));
      assertThat(
              http.send(
                      HttpRequest.newBuilder(forged).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode())
          .isEqualTo(403);
    }
  }

  @Test
  void redisKeepsWhatItIsGiven() {
    try (RedisClient redis = RedisClient.create(endpoints.redisHost(), endpoints.redisPort())) {
      String key = "it:" + UUID.randomUUID();
      redis.set(key, "value");
      assertThat(redis.get(key)).isEqualTo("value");
      redis.lpush("it:list:" + key, "a", "b", "c");
      assertThat(redis.lrange("it:list:" + key, 0, -1)).containsExactly("c", "b", "a");
    }
  }

  /**
   * A burst of writes — every VideoActor of a counter batch persisting at once — is queued, not
   * refused: the journal's session takes several thousand requests in flight on its one connection
   * (the driver's default refused those past 1,024, which opened the journal's circuit breaker).
   */
  @Test
  void theJournalSessionTakesABurstOfThousandsOfWritesAtOnce() throws Exception {
    CqlSession session =
        CassandraSessionRegistry.get(cluster.node().system())
            .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"))
            .underlying()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    String table = cluster.config().getString("flick.cassandra.keyspace") + ".burst_probe";
    session.execute("CREATE TABLE IF NOT EXISTS " + table + " (id bigint PRIMARY KEY, v text)");
    var insert = session.prepare("INSERT INTO " + table + " (id, v) VALUES (?, 'x')");
    int burst = 4000;
    List<CompletableFuture<?>> writes = new ArrayList<>(burst);
    for (long id = 0; id < burst; id++) {
      writes.add(session.executeAsync(insert.bind(id)).toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(session.execute("SELECT count(*) FROM " + table).one().getLong(0)).isEqualTo(burst);
  }

  /**
   * Flick commits Kafka offsets once the journal has acknowledged a write, so an acknowledged write
   * must survive a crash of the (single, unreplicated) dev Cassandra: writes stream in, Cassandra
   * is SIGKILLed and restarted, and every write it acknowledged is read back.
   */
  @Test
  void everyAcknowledgedWriteSurvivesASigkill() throws Exception {
    var e = endpoints;
    String table = cluster.config().getString("flick.cassandra.keyspace") + ".durability_probe";
    ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (CqlSession session =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(e.cassandraHost(), e.cassandraPort()))
            .withLocalDatacenter(e.cassandraDatacenter())
            .build()) {
      session.execute("CREATE TABLE IF NOT EXISTS " + table + " (id bigint PRIMARY KEY, v text)");
      Thread writer =
          new Thread(
              () -> {
                for (long id = 0; !stop.get(); id++) {
                  try {
                    session.execute("INSERT INTO " + table + " (id, v) VALUES (" + id + ", 'x')");
                    acked.add(id);
                  } catch (RuntimeException failed) {
                    // unknown outcome; not counted
                  }
                }
              });
      writer.start();
      while (acked.size() < 1000) {
        Thread.sleep(10);
      }
      cluster.crashAndRestart("cassandra");
      stop.set(true);
      writer.join();
    }
    try (CqlSession session =
        CqlSession.builder()
            .addContactPoint(new InetSocketAddress(e.cassandraHost(), e.cassandraPort()))
            .withLocalDatacenter(e.cassandraDatacenter())
            .build()) {
      Set<Long> found = new HashSet<>();
      session.execute("SELECT id FROM " + table).forEach(r -> found.add(r.getLong("id")));
      Set<Long> lost = new HashSet<>(acked);
      lost.removeAll(found);
      System.out.println("[it] acked " + acked.size() + ", lost " + lost.size());
      assertThat(lost).isEmpty();
    }
  }
}
