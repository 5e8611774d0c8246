package io.flick.node.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.common.NodeRoles;
import io.flick.devinfra.DevInfra;
import io.flick.devinfra.DevInfraException;
import io.flick.devinfra.DevInfraSettings;
import io.flick.devinfra.Endpoints;
import io.flick.node.FlickNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * {@code ./flick dev}: embedded Cassandra, Kafka, s3proxy and Redis (or external ones named by
 * environment variables), then a one-node Flick cluster on them, or with {@code --nodes N} this
 * JVM's node plus N-1 forked node JVMs ({@link NodeProcess}), roles per node from {@link DevRoles}.
 * Data and logs live under {@code .flick/dev}; Ctrl-C stops everything this started.
 */
public final class DevMode {
  private DevMode() {}

  /** Returns the process exit code. */
  public static int run(List<String> args) throws Exception {
    boolean clean = args.contains("--clean");
    List<List<String>> roles;
    try {
      roles =
          DevRoles.parse(
              Integer.parseInt(option(args, "--nodes").orElse("1")),
              option(args, "--roles")
                  .or(() -> Optional.ofNullable(System.getenv("FLICK_DEV_ROLES"))));
    } catch (IllegalArgumentException e) {
      System.err.println("flick dev: " + e.getMessage());
      return 2;
    }
    Path home = flickHome();
    Path dataDir = home.resolve(".flick/dev");
    long started = System.nanoTime();
    Config defaults = ConfigFactory.load();
    int httpPort = defaults.getInt("flick.http.port");
    int grpcPort = defaults.getInt("flick.grpc.port");
    int remotePort = defaults.getInt("pekko.remote.artery.canonical.port");
    // node i (from 0) takes each base port + i; only api nodes listen on HTTP and gRPC
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (int i = 0; i < roles.size(); i++) {
      String node = roles.size() == 1 ? "" : " of node-" + (i + 1);
      if (roles.get(i).contains(NodeRoles.API)) {
        ports.put("HTTP" + node, httpPort + i);
        ports.put("gRPC" + node, grpcPort + i);
      }
      ports.put("Pekko remoting" + node, remotePort + i);
    }
    for (var port : ports.entrySet()) {
      if (!isFree(port.getValue())) {
        System.err.printf(
            "flick dev: port %d (%s) is taken by another process; stop it or set the port's"
                + " environment variable (see README)%n",
            port.getValue(), port.getKey());
        return 1;
      }
    }

    if (clean) {
      // what dev mode itself keeps beside the servers' data: secrets and the demo marker
      for (String name : List.of("jwt-secret", "media-secret", "demo-seeded")) {
        Files.deleteIfExists(dataDir.resolve(name));
      }
    }
    DevInfra infra;
    try {
      infra =
          DevInfra.start(DevInfraSettings.fromEnvironment(dataDir, home, clean), DevMode::print);
    } catch (DevInfraException e) {
      System.err.println("flick dev: " + e.getMessage());
      return 1;
    }
    Config shared = configFor(infra.endpoints(), dataDir);
    FlickNode node;
    String keyspace;
    try {
      Config config =
          ConfigFactory.parseMap(Map.of("pekko.cluster.roles", roles.get(0)))
              .withFallback(shared)
              .withFallback(defaults)
              .resolve();
      keyspace = config.getString("flick.cassandra.keyspace");
      if (args.contains("--reindex")) {
        io.flick.node.Main.reindex(config, DevMode::print);
      }
      node = FlickNode.start(config, DevMode::print);
    } catch (Exception e) {
      System.err.println("flick dev: the node failed to start: " + e);
      e.printStackTrace();
      infra.close();
      return 1;
    }
    List<NodeProcess> others = new CopyOnWriteArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  print("stopping");
                  // the forked nodes leave first, while the first (the oldest: the shard
                  // coordinator's home) is still there to take their shards
                  others.parallelStream().forEach(DevMode::stop);
                  try {
                    node.close();
                  } catch (Exception e) {
                    System.err.println("node stop: " + e);
                  }
                  infra.close();
                  stopped.countDown();
                }));
    if (roles.size() == 1) {
      print(
          String.format(
              "node        up (cluster, sharding, persistence) in %.1f s",
              (System.nanoTime() - started) / 1e9));
    } else {
      print("node-1      up: " + node.describe() + " (this process)");
      String seed = Cluster.get(node.system()).selfMember().address().toString();
      for (int i = 1; i < roles.size(); i++) {
        Config overrides =
            ConfigFactory.parseMap(
                    Map.of(
                        "pekko.cluster.roles",
                        roles.get(i),
                        "pekko.cluster.seed-nodes",
                        List.of(seed),
                        "pekko.remote.artery.canonical.port",
                        remotePort + i,
                        "flick.http.port",
                        httpPort + i,
                        "flick.grpc.port",
                        grpcPort + i,
                        // node-1 applied the schema
                        "flick.cassandra.migrate-on-start",
                        false))
                .withFallback(shared);
        others.add(
            NodeProcess.start(
                "node-" + (i + 1),
                overrides,
                dataDir.resolve("nodes"),
                List.of("-Xms128m", "-Xmx768m", "-XX:+UseG1GC", "-Dflick.home=" + home)));
      }
      for (NodeProcess other : others) {
        try {
          String up = other.awaitUp(3, TimeUnit.MINUTES);
          print(
              String.format(
                  "%-11s up: %s (log %s)",
                  other.name(),
                  up.substring(NodeProcess.UP_MARKER.length() + 2),
                  home.relativize(other.log())));
        } catch (Exception e) {
          System.err.println("flick dev: " + e.getMessage());
          System.exit(1); // the shutdown hook stops what started
        }
      }
      print(
          String.format(
              "%d nodes up in %.1f s; the web app and API are on every node with the api role",
              roles.size(), (System.nanoTime() - started) / 1e9));
    }
    int apiPort = httpPort + firstWith(roles, NodeRoles.API);
    print("Flick is ready: http://localhost:" + apiPort + "/  (Ctrl-C stops everything)");
    if (!args.contains("--no-demo")) {
      DemoContent.seedInBackground(
          "http://127.0.0.1:" + apiPort,
          dataDir,
          infra.endpoints().ffmpeg().toString(),
          (creatorId, videoIds) ->
              studioDemoHistory(infra.endpoints(), keyspace, creatorId, videoIds),
          DevMode::print);
    }
    node.system().getWhenTerminated().toCompletableFuture().join();
    stopped.await();
    return 0;
  }

  private static int firstWith(List<List<String>> roles, String role) {
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).contains(role)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node has the " + role + " role");
  }

  private static void stop(NodeProcess node) {
    try {
      node.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The value after {@code name}, as in {@code --nodes 3} or {@code --nodes=3}. */
  static Optional<String> option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(name) && i + 1 < args.size()) {
        return Optional.of(args.get(i + 1));
      }
      if (args.get(i).startsWith(name + "=")) {
        return Optional.of(args.get(i).substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }

  /**
   * A few days of generated studio figures for a demo creator's videos (6 s clips), marked demo
   * (StudioDemoHistory): the Studio has something to plot at first open.
   */
  private static void studioDemoHistory(
      io.flick.devinfra.Endpoints endpoints,
      String keyspace,
      String creatorId,
      java.util.List<String> videoIds) {
    try (com.datastax.oss.driver.api.core.CqlSession cql =
        com.datastax.oss.driver.api.core.CqlSession.builder()
            // the driver's defaults only, pointed at the embedded Cassandra
            .withConfigLoader(
                com.datastax.oss.driver.api.core.config.DriverConfigLoader.fromMap(
                    com.datastax.oss.driver.api.core.config.OptionsMap.driverDefaults()))
            .addContactPoint(
                new java.net.InetSocketAddress(
                    endpoints.cassandraHost(), endpoints.cassandraPort()))
            .withLocalDatacenter(endpoints.cassandraDatacenter())
            .build()) {
      java.util.Map<String, Long> durations = new java.util.LinkedHashMap<>();
      videoIds.forEach(id -> durations.put(id, 6_000L));
      io.flick.studio.StudioDemoHistory.write(
              new io.flick.studio.StudioTables(cql, keyspace),
              creatorId,
              durations,
              5,
              java.time.Instant.now())
          .toCompletableFuture()
          .join();
    }
  }

  /** The node's config on top of whatever the infra answered with. */
  public static Config configFor(Endpoints endpoints, Path dataDir) throws IOException {
    return ConfigFactory.parseMap(
        Map.ofEntries(
            Map.entry(
                "datastax-java-driver.basic.contact-points",
                List.of(endpoints.cassandraHost() + ":" + endpoints.cassandraPort())),
            Map.entry(
                "datastax-java-driver.basic.load-balancing-policy.local-datacenter",
                endpoints.cassandraDatacenter()),
            Map.entry("flick.cassandra.create-keyspace", true),
            Map.entry("flick.kafka.bootstrap-servers", endpoints.kafkaBootstrap()),
            Map.entry("flick.s3.endpoint", endpoints.s3Endpoint()),
            Map.entry("flick.s3.access-key", endpoints.s3AccessKey()),
            Map.entry("flick.s3.secret-key", endpoints.s3SecretKey()),
            Map.entry("flick.s3.region", endpoints.s3Region()),
            Map.entry("flick.redis.host", endpoints.redisHost()),
            Map.entry("flick.redis.port", endpoints.redisPort()),
            Map.entry("flick.search.url", endpoints.searchUrl()),
            Map.entry("flick.ffmpeg", endpoints.ffmpeg().toString()),
            Map.entry("flick.ffprobe", endpoints.ffprobe().toString()),
            Map.entry(
                "flick.auth.jwt-secret", devSecret(dataDir, "jwt-secret", "FLICK_JWT_SECRET")),
            Map.entry(
                "flick.media.signing-secret",
                devSecret(dataDir, "media-secret", "FLICK_MEDIA_SECRET"))));
  }

  /** Kept in the data folder so sessions survive a warm restart; --clean drops it. */
  private static String devSecret(Path dataDir, String name, String variable) throws IOException {
    String fromEnv = System.getenv(variable);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    Path file = dataDir.resolve(name);
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    Files.createDirectories(dataDir);
    Files.writeString(file, secret);
    return secret;
  }

  private static Path flickHome() {
    String home = System.getProperty("flick.home", System.getenv("FLICK_HOME"));
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void print(String line) {
    System.out.println("[flick] " + line);
  }
}
