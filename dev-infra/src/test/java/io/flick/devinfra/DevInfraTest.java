package io.flick.devinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DevInfraTest {

  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void startsEveryServerThatAnswersItsProtocolAndStopsWithoutTrace() throws Exception {
    Path dataDir = tmp.resolve("infra");
    DevInfraSettings settings =
        DevInfraSettings.forTests(dataDir, DevInfraSettings.defaultFlickHome());
    List<String> progress = new ArrayList<>();
    Map<String, Long> pids;
    Map<String, Integer> ports;

    long t0 = System.nanoTime();
    try (DevInfra infra = DevInfra.start(settings, line -> record(progress, line))) {
      System.out.printf("[dev-infra] all ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      Endpoints e = infra.endpoints();
      pids = infra.pids();
      ports = infra.ports();
      assertThat(pids).containsOnlyKeys("cassandra", "kafka", "s3proxy", "redis", "opensearch");
      assertThat(ports)
          .containsOnlyKeys(
              "cassandra.native",
              "cassandra.storage",
              "kafka.broker",
              "kafka.controller",
              "s3proxy.http",
              "redis.port",
              "opensearch.http",
              "opensearch.transport");
      assertThat(progress).hasSize(5).allMatch(l -> l.contains(" ready on "));
      printPeakRss(pids);

      // Redis
      assertThat(redis(e.redisHost(), e.redisPort(), "PING")).isEqualTo("+PONG");
      assertThat(redis(e.redisHost(), e.redisPort(), "SET", "flick:devinfra", "kept"))
          .isEqualTo("+OK");

      // S3: without credentials s3proxy answers 403 with an S3 error document
      HttpResponse<String> s3 =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(e.s3Endpoint() + "/")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(s3.statusCode()).isBetween(200, 499);
      assertThat(s3.body()).contains("<?xml");
      assertThat(e.s3AccessKey()).isEqualTo("flick");
      assertThat(e.s3SecretKey()).isEqualTo("flick-secret-key");

      // OpenSearch: the root document names the engine and its version
      HttpResponse<String> search =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(e.searchUrl() + "/")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(search.statusCode()).isEqualTo(200);
      assertThat(search.body()).contains("\"distribution\" : \"opensearch\"");

      // Cassandra: a real CQL query through the driver
      try (CqlSession cql =
          CqlSession.builder()
              .addContactPoint(new InetSocketAddress(e.cassandraHost(), e.cassandraPort()))
              .withLocalDatacenter(e.cassandraDatacenter())
              .withConfigLoader(
                  DriverConfigLoader.programmaticBuilder()
                      .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                      .build())
              .build()) {
        String version = cql.execute("SELECT release_version FROM system.local").one().getString(0);
        assertThat(version).startsWith("5.0");
      }

      // Kafka: the cluster answers and takes a topic
      try (Admin admin = kafkaAdmin(e.kafkaBootstrap())) {
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        admin
            .createTopics(List.of(new NewTopic("flick-devinfra-test", 1, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }

      assertThat(e.ffmpeg()).isExecutable();
      assertThat(e.ffprobe()).isExecutable();

      infra.close();
      infra.close(); // idempotent
    }

    assertNothingLeft(dataDir, pids.values(), ports.values());

    // A second start on the same data dir reuses the data (here: Kafka formatted once, Redis AOF);
    // Cassandra and S3 are given as external endpoints, so they are not started at all.
    DevInfraSettings again =
        new DevInfraSettings(
            dataDir,
            settings.flickHome(),
            0,
            0,
            0,
            0,
            0,
            0,
            false,
            Optional.of("cassandra.example:9142"),
            Optional.empty(),
            Optional.of("http://s3.example:9000"),
            Optional.empty(),
            0,
            0,
            Optional.of("http://search.example:9200"));
    List<String> progress2 = new ArrayList<>();
    Map<String, Long> pids2;
    Map<String, Integer> ports2;
    try (DevInfra infra = DevInfra.start(again, line -> record(progress2, line))) {
      Endpoints e = infra.endpoints();
      pids2 = infra.pids();
      ports2 = infra.ports();
      assertThat(pids2).containsOnlyKeys("kafka", "redis");
      assertThat(e.cassandraHost()).isEqualTo("cassandra.example");
      assertThat(e.cassandraPort()).isEqualTo(9142);
      assertThat(e.s3Endpoint()).isEqualTo("http://s3.example:9000");
      assertThat(e.searchUrl()).isEqualTo("http://search.example:9200");
      assertThat(progress2).anyMatch(l -> l.startsWith("cassandra") && l.contains("external"));
      assertThat(redis(e.redisHost(), e.redisPort(), "GET", "flick:devinfra")).isEqualTo("$4");
      try (Admin admin = kafkaAdmin(e.kafkaBootstrap())) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains("flick-devinfra-test");
      }
    }
    assertNothingLeft(dataDir, pids2.values(), ports2.values());
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTakenPortFailsTheStartNamingComponentAndPortAndStartsNothing() throws Exception {
    Path dataDir = tmp.resolve("busy");
    try (ServerSocket holder = new ServerSocket(0)) {
      int busy = holder.getLocalPort();
      DevInfraSettings settings =
          new DevInfraSettings(
              dataDir,
              DevInfraSettings.defaultFlickHome(),
              0,
              0,
              busy,
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
      List<String> progress = new ArrayList<>();
      assertThatThrownBy(() -> DevInfra.start(settings, line -> record(progress, line)))
          .isInstanceOf(DevInfraException.class)
          .hasMessageContaining("kafka")
          .hasMessageContaining("port " + busy)
          .hasMessageContaining("already in use by another process")
          .satisfies(ex -> assertThat(((DevInfraException) ex).component()).isEqualTo("kafka"));
      assertThat(progress).isEmpty();
    }
    assertNothingLeft(dataDir, List.of(), List.of());
  }

  @Test
  void fromEnvironmentUsesTheDevPortsAndPassesExternalEndpointsThrough() {
    DevInfraSettings s =
        DevInfraSettings.fromEnvironment(
            tmp,
            tmp,
            false,
            Map.of(
                "FLICK_KAFKA_BOOTSTRAP", "broker-1:9092,broker-2:9092",
                "FLICK_REDIS_ADDRESS", " ",
                "FLICK_S3_ENDPOINT", "http://minio:9000"));
    assertThat(s.cassandraPort()).isEqualTo(9042);
    assertThat(s.cassandraStoragePort()).isEqualTo(7000);
    assertThat(s.kafkaPort()).isEqualTo(9092);
    assertThat(s.kafkaControllerPort()).isEqualTo(9093);
    assertThat(s.s3Port()).isEqualTo(9000);
    assertThat(s.redisPort()).isEqualTo(6379);
    assertThat(s.clean()).isFalse();
    assertThat(s.externalCassandra()).isEmpty();
    assertThat(s.externalRedis()).isEmpty();
    assertThat(s.externalKafka()).contains("broker-1:9092,broker-2:9092");
    assertThat(s.externalS3()).contains("http://minio:9000");
    assertThat(DevInfraSettings.forTests(tmp, tmp).clean()).isTrue();
  }

  // ----------------------------------------------------------------------------------------------

  private static void record(List<String> progress, String line) {
    System.out.println("[dev-infra] " + line);
    synchronized (progress) {
      progress.add(line);
    }
  }

  private static void assertNothingLeft(Path dataDir, Iterable<Long> pids, Iterable<Integer> ports)
      throws IOException {
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("process %d", pid)
          .isEmpty();
    }
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
      }
    }
    // no process of this data dir at all (the Kafka storage formatter included)
    List<String> left = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .forEach(
            p -> {
              try {
                String cmd =
                    Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
                        .replace('\0', ' ');
                if (cmd.contains(dataDir.toString())) {
                  left.add(p.pid() + " " + cmd);
                }
              } catch (IOException | RuntimeException gone) {
                // exited meanwhile or not readable
              }
            });
    assertThat(left).isEmpty();
    Path pidsDir = dataDir.resolve("pids");
    if (Files.isDirectory(pidsDir)) {
      try (Stream<Path> s = Files.list(pidsDir)) {
        assertThat(s.toList()).isEmpty();
      }
    }
    assertThat(dataDir.resolve("devinfra.lock")).doesNotExist();
  }

  private static Admin kafkaAdmin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return Admin.create(p);
  }

  /** One RESP command; returns the first line of the answer. */
  private static String redis(String host, int port, String... args) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(5_000);
      StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
      for (String a : args) {
        cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        cmd.append(a).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }

  /** Peak resident memory (VmHWM) of each server, for the record. */
  private static void printPeakRss(Map<String, Long> pids) {
    long total = 0;
    StringBuilder sb = new StringBuilder("[dev-infra] peak RSS:");
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      long kb = vmHwmKb(e.getValue());
      total += kb;
      sb.append(String.format(" %s %d MiB,", e.getKey(), kb / 1024));
    }
    sb.append(String.format(" total %d MiB", total / 1024));
    System.out.println(sb);
  }

  private static long vmHwmKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux
    }
    return 0;
  }
}
