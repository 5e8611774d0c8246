package io.flick.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.devinfra.DevInfra;
import io.flick.devinfra.DevInfraException;
import io.flick.devinfra.DevInfraSettings;
import io.flick.node.FlickNode;
import io.flick.node.dev.DevMode;
import io.flick.node.dev.NodeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The embedded infra and one in-process Flick node, for benchmarks that drive the real API; {@link
 * #fork} adds nodes in JVMs of their own ({@link NodeProcess}) with the same settings.
 */
public final class BenchNode implements AutoCloseable {
  public static final String JWT_SECRET = "benchmark-secret-of-at-least-32-bytes-long";

  public final DevInfra infra;
  public final FlickNode node;
  private final Path dataDir;
  private final Map<String, Object> overrides;

  private BenchNode(DevInfra infra, FlickNode node, Path dataDir, Map<String, Object> overrides) {
    this.infra = infra;
    this.node = node;
    this.dataDir = dataDir;
    this.overrides = overrides;
  }

  public static BenchNode start(Path home, String name, Map<String, Object> overrides)
      throws Exception {
    Path dataDir = home.resolve("bench/target/" + name + "-infra");
    DevInfra infra;
    try {
      infra =
          DevInfra.start(
              DevInfraSettings.forTests(dataDir, home), l -> System.out.println("[infra] " + l));
    } catch (DevInfraException e) {
      // a component not ready in its time on a machine shared with other builds: once more
      System.out.println("[infra] " + e.getMessage().lines().findFirst().orElse("") + "; again");
      infra =
          DevInfra.start(
              DevInfraSettings.forTests(dataDir, home), l -> System.out.println("[infra] " + l));
    }
    try {
      var config =
          ConfigFactory.parseMap(overrides)
              .withFallback(
                  ConfigFactory.parseMap(
                      Map.of(
                          "flick.http.port",
                          0,
                          "flick.grpc.port",
                          0,
                          "pekko.remote.artery.canonical.port",
                          0)))
              .withFallback(benchSettings())
              .withFallback(DevMode.configFor(infra.endpoints(), dataDir))
              .withFallback(ConfigFactory.load())
              .resolve();
      return new BenchNode(
          infra,
          FlickNode.start(config, l -> System.out.println("[node] " + l)),
          dataDir,
          overrides);
    } catch (Exception e) {
      infra.close();
      throw e;
    }
  }

  /** What every bench node sets, in process or forked. */
  private static Config benchSettings() {
    return ConfigFactory.parseMap(
            Map.of(
                "flick.http.interface",
                "127.0.0.1",
                "flick.auth.jwt-secret",
                JWT_SECRET,
                "pekko.loglevel",
                "WARNING"))
        // a bench is a few clients making many calls, one video viewed over and over: the
        // limits and the repeat-view check still run (their cost is measured) but refuse
        // nothing, so every acknowledged interaction counts and the counts can be compared
        .withFallback(
            ConfigFactory.parseString(
                String.join(
                    "\n",
                    "flick.http.rate-limits { signup.capacity = 10000000,",
                    "  login.capacity = 10000000, anonymous.capacity = 10000000,",
                    "  upload.capacity = 10000000, comment.capacity = 10000000,",
                    "  social.capacity = 10000000, report.capacity = 10000000 }",
                    "flick.http.views.repeat-window = 0s")));
  }

  /**
   * A node forked by {@link #fork}: its process, its cluster address, its HTTP port (listening if
   * it has the api role) and its app version.
   */
  public record Forked(NodeProcess process, String address, int httpPort, String appVersion) {
    public String baseUrl() {
      return "http://127.0.0.1:" + httpPort;
    }
  }

  /**
   * Starts a node in a JVM of its own that joins this one, with {@code roles}, the overrides this
   * bench node was started with, then {@code extra} on top; returns at once ({@code
   * process().awaitUp} waits for it).
   */
  public Forked fork(String name, List<String> roles, Map<String, Object> extra, String heap)
      throws IOException {
    var self = Cluster.get(node.system()).selfMember().address();
    int http = freePort();
    // above this node's: of two equal halves the split-brain resolver keeps the one with the lowest
    // address, so in a two-member cluster (the failover phase kills the only other member) this
    // node must be it, or a kill downs the survivor too
    int remote = freePortAbove(self.getPort().orElse(0));
    Map<String, Object> own = new HashMap<>(overrides);
    own.putAll(extra);
    Config config =
        ConfigFactory.parseMap(own)
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "pekko.cluster.roles",
                        roles,
                        "pekko.cluster.seed-nodes",
                        List.of(self.toString()),
                        "pekko.remote.artery.canonical.port",
                        remote,
                        "flick.http.port",
                        http,
                        "flick.grpc.port",
                        freePort(),
                        // the bench node applied the schema
                        "flick.cassandra.migrate-on-start",
                        false)))
            .withFallback(benchSettings())
            .withFallback(DevMode.configFor(infra.endpoints(), dataDir));
    NodeProcess process =
        NodeProcess.start(
            name,
            config,
            dataDir.resolve("nodes"),
            List.of("-Xms128m", "-Xmx" + heap, "-XX:+UseG1GC"));
    String version =
        config.hasPath("pekko.cluster.app-version")
            ? config.getString("pekko.cluster.app-version")
            : node.system().settings().config().getString("pekko.cluster.app-version");
    String address =
        self.protocol() + "://" + self.system() + "@" + self.host().get() + ":" + remote;
    return new Forked(process, address, http, version);
  }

  private static int freePortAbove(int port) throws IOException {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int free = freePort();
      if (free > port) {
        return free;
      }
    }
    throw new IOException("no free port above " + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  @Override
  public void close() throws Exception {
    try {
      node.close();
    } finally {
      infra.close();
    }
  }
}
