package io.flick.node.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./flick dev}: embedded Cassandra, Kafka, s3proxy and Redis (or external ones named by
 * environment variables), then a one-node Flick cluster on them. Data and logs live under {@code
 * .flick/dev}; Ctrl-C stops everything this started.
 */
public final class DevMode {
  private DevMode() {}

  /** Returns the process exit code. */
  public static int run(List<String> args) throws Exception {
    boolean clean = args.contains("--clean");
    Path home = flickHome();
    Path dataDir = home.resolve(".flick/dev");
    long started = System.nanoTime();
    Config defaults = ConfigFactory.load();
    int httpPort = defaults.getInt("flick.http.port");
    int grpcPort = defaults.getInt("flick.grpc.port");
    int remotePort = defaults.getInt("pekko.remote.artery.canonical.port");
    for (var port :
        Map.of("HTTP", httpPort, "gRPC", grpcPort, "Pekko remoting", remotePort).entrySet()) {
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
    FlickNode node;
    try {
      Config config = configFor(infra.endpoints(), dataDir).withFallback(defaults).resolve();
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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  print("stopping");
                  try {
                    node.close();
                  } catch (Exception e) {
                    System.err.println("node stop: " + e);
                  }
                  infra.close();
                  stopped.countDown();
                }));
    print(
        String.format(
            "node        up (cluster, sharding, persistence) in %.1f s",
            (System.nanoTime() - started) / 1e9));
    print("Flick is ready: http://localhost:" + node.httpPort() + "/  (Ctrl-C stops everything)");
    if (!args.contains("--no-demo")) {
      DemoContent.seedInBackground(
          "http://127.0.0.1:" + node.httpPort(),
          dataDir,
          infra.endpoints().ffmpeg().toString(),
          DevMode::print);
    }
    node.system().getWhenTerminated().toCompletableFuture().join();
    stopped.await();
    return 0;
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
