package io.flick.node.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import io.flick.api.health.ReadinessCheck;
import io.flick.api.metrics.Metrics;
import io.flick.common.projection.ProjectionMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import redis.clients.jedis.RedisClient;
import scala.concurrent.ExecutionContextExecutor;

/**
 * The clients one node shares among its contexts: Cassandra (schema applied), Kafka (topics
 * ensured), S3 (bucket ensured), Redis, the metrics registry and the node's settings. Every context
 * gets the same instance; {@link #close} runs once, as the ActorSystem stops.
 */
public record Infra(
    ActorSystem<?> system,
    Config config,
    CassandraSession cassandra,
    CqlSession cql,
    String keyspace,
    KafkaTopics.Settings kafka,
    Admin kafkaAdmin,
    Producer<String, byte[]> producer,
    S3Storage s3,
    RedisClient redis,
    ExecutionContextExecutor blocking,
    Metrics metrics,
    ProjectionMetrics projections,
    Duration askTimeout) {

  /** Connects to everything the config names; blocking. */
  public static Infra connect(ActorSystem<?> system, Config config, Consumer<String> progress)
      throws Exception {
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
    Metrics metrics = new Metrics();
    return new Infra(
        system,
        config,
        cassandra,
        cql,
        schema.keyspace(),
        kafka,
        kafkaAdmin,
        KafkaTopics.producer(kafka),
        s3,
        redis,
        system.dispatchers().lookup(DispatcherSelector.blocking()),
        metrics,
        new ProjectionMetrics(metrics.registry()),
        config.getDuration("flick.ask-timeout"));
  }

  /** What /ready asks of the infrastructure. */
  public List<ReadinessCheck> checks() {
    return List.of(
        check("cassandra", () -> cassandra.selectOne("SELECT release_version FROM system.local")),
        check("kafka", () -> kafkaAdmin.describeCluster().clusterId().toCompletionStage()),
        check("s3", s3::ping),
        check("redis", () -> CompletableFuture.supplyAsync(redis::ping, blocking)));
  }

  public static ReadinessCheck check(String name, Supplier<CompletionStage<?>> probe) {
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

  public void close() {
    producer.close(Duration.ofSeconds(5));
    s3.close();
    kafkaAdmin.close(Duration.ofSeconds(5));
    redis.close();
  }
}
