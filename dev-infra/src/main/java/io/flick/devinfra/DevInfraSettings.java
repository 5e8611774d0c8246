package io.flick.devinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DevInfra#start} starts and where.
 *
 * @param dataDir everything lives here: cassandra/, kafka/, s3/, redis/,
 *     logs/&lt;component&gt;.log, pids/, conf/
 * @param flickHome the repository root; the servers' classpaths are read from
 *     flickHome/infra/&lt;name&gt;/target/lib
 * @param cassandraPort CQL native port (0 = any free port)
 * @param cassandraStoragePort Cassandra internode port (0 = any free port)
 * @param kafkaPort Kafka broker (PLAINTEXT) port (0 = any free port)
 * @param kafkaControllerPort KRaft controller port (0 = any free port)
 * @param s3Port s3proxy HTTP port (0 = any free port)
 * @param redisPort Redis port (0 = any free port)
 * @param clean wipe the components' data and logs under dataDir before starting
 * @param externalCassandra "host:port" of a Cassandra to use instead of starting one
 * @param externalKafka bootstrap "host:port" of a Kafka to use instead of starting one
 * @param externalS3 "http://host:port" of an S3 endpoint to use instead of starting s3proxy
 * @param externalRedis "host:port" of a Redis to use instead of starting one
 * @param searchPort OpenSearch HTTP port (0 = any free port)
 * @param searchTransportPort OpenSearch transport port (0 = any free port)
 * @param externalSearch "http://host:port" of an OpenSearch cluster to use instead of starting one
 */
public record DevInfraSettings(
    Path dataDir,
    Path flickHome,
    int cassandraPort,
    int cassandraStoragePort,
    int kafkaPort,
    int kafkaControllerPort,
    int s3Port,
    int redisPort,
    boolean clean,
    Optional<String> externalCassandra,
    Optional<String> externalKafka,
    Optional<String> externalS3,
    Optional<String> externalRedis,
    int searchPort,
    int searchTransportPort,
    Optional<String> externalSearch) {

  public static final int DEFAULT_CASSANDRA_PORT = 9042;
  public static final int DEFAULT_CASSANDRA_STORAGE_PORT = 7000;
  public static final int DEFAULT_KAFKA_PORT = 9092;
  public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
  public static final int DEFAULT_S3_PORT = 9000;
  public static final int DEFAULT_REDIS_PORT = 6379;
  public static final int DEFAULT_SEARCH_PORT = 9200;
  public static final int DEFAULT_SEARCH_TRANSPORT_PORT = 9300;

  public static final String ENV_CASSANDRA = "FLICK_CASSANDRA_CONTACT_POINT";
  public static final String ENV_KAFKA = "FLICK_KAFKA_BOOTSTRAP";
  public static final String ENV_S3 = "FLICK_S3_ENDPOINT";
  public static final String ENV_REDIS = "FLICK_REDIS_ADDRESS";
  public static final String ENV_SEARCH = "FLICK_SEARCH_URL";

  public DevInfraSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(flickHome, "flickHome");
    dataDir = dataDir.toAbsolutePath().normalize();
    flickHome = flickHome.toAbsolutePath().normalize();
    checkPort("cassandraPort", cassandraPort);
    checkPort("cassandraStoragePort", cassandraStoragePort);
    checkPort("kafkaPort", kafkaPort);
    checkPort("kafkaControllerPort", kafkaControllerPort);
    checkPort("s3Port", s3Port);
    checkPort("redisPort", redisPort);
    checkPort("searchPort", searchPort);
    checkPort("searchTransportPort", searchTransportPort);
    externalCassandra = blankToEmpty(externalCassandra);
    externalKafka = blankToEmpty(externalKafka);
    externalS3 = blankToEmpty(externalS3);
    externalRedis = blankToEmpty(externalRedis);
    externalSearch = blankToEmpty(externalSearch);
  }

  /**
   * Dev mode: the usual ports (9042/7000, 9092/9093, 9000, 6379, 9200/9300); a component whose env
   * var is set (FLICK_CASSANDRA_CONTACT_POINT, FLICK_KAFKA_BOOTSTRAP, FLICK_S3_ENDPOINT,
   * FLICK_REDIS_ADDRESS, FLICK_SEARCH_URL) is used as it is and not started.
   */
  public static DevInfraSettings fromEnvironment(Path dataDir, Path flickHome, boolean clean) {
    return fromEnvironment(dataDir, flickHome, clean, System.getenv());
  }

  static DevInfraSettings fromEnvironment(
      Path dataDir, Path flickHome, boolean clean, Map<String, String> env) {
    return new DevInfraSettings(
        dataDir,
        flickHome,
        DEFAULT_CASSANDRA_PORT,
        DEFAULT_CASSANDRA_STORAGE_PORT,
        DEFAULT_KAFKA_PORT,
        DEFAULT_KAFKA_CONTROLLER_PORT,
        DEFAULT_S3_PORT,
        DEFAULT_REDIS_PORT,
        clean,
        Optional.ofNullable(env.get(ENV_CASSANDRA)),
        Optional.ofNullable(env.get(ENV_KAFKA)),
        Optional.ofNullable(env.get(ENV_S3)),
        Optional.ofNullable(env.get(ENV_REDIS)),
        DEFAULT_SEARCH_PORT,
        DEFAULT_SEARCH_TRANSPORT_PORT,
        Optional.ofNullable(env.get(ENV_SEARCH)));
  }

  /** Tests: every port chosen free at start, the data wiped first, nothing external. */
  public static DevInfraSettings forTests(Path dataDir, Path flickHome) {
    return new DevInfraSettings(
        dataDir,
        flickHome,
        0,
        0,
        0,
        0,
        0,
        0,
        true,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        0,
        Optional.empty());
  }

  /**
   * The repository root: system property flick.home (Maven's surefire sets it), else env
   * FLICK_HOME, else the nearest folder at or above the working directory that has
   * infra/cassandra/pom.xml.
   */
  public static Path defaultFlickHome() {
    String prop = System.getProperty("flick.home");
    if (prop != null && !prop.isBlank() && isFlickHome(Path.of(prop))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    String env = System.getenv("FLICK_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (isFlickHome(p)) {
        return p;
      }
    }
    return Path.of("").toAbsolutePath();
  }

  private static boolean isFlickHome(Path p) {
    return Files.isRegularFile(p.resolve("infra").resolve("cassandra").resolve("pom.xml"));
  }

  public DevInfraSettings withClean(boolean newClean) {
    return new DevInfraSettings(
        dataDir,
        flickHome,
        cassandraPort,
        cassandraStoragePort,
        kafkaPort,
        kafkaControllerPort,
        s3Port,
        redisPort,
        newClean,
        externalCassandra,
        externalKafka,
        externalS3,
        externalRedis,
        searchPort,
        searchTransportPort,
        externalSearch);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
    }
  }

  private static Optional<String> blankToEmpty(Optional<String> value) {
    return value == null ? Optional.empty() : value.map(String::trim).filter(v -> !v.isEmpty());
  }
}
