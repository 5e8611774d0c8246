package io.flick.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flick.devinfra.DevInfra;
import io.flick.devinfra.DevInfraSettings;
import io.flick.devinfra.Endpoints;
import io.flick.node.dev.DevMode;
import io.flick.node.dev.NodeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The embedded infrastructure and one Flick node, started once per test JVM and shared by every
 * integration test (starting Cassandra costs ~20 s). Stopped by a shutdown hook.
 */
public final class TestCluster {
  public static final String JWT_SECRET = "integration-test-secret-at-least-32-bytes-long";

  /** The user id with the moderator role in the test config (SafetyIT). */
  public static final String MODERATOR_ID = "m".repeat(26);

  /** A hashtag on the moderation blocklist in the test config (SafetyIT). */
  public static final String BLOCKLISTED = "forbiddentag";

  private static TestCluster instance;

  private final DevInfra infra;
  private volatile FlickNode node;
  private final Config config;
  private final Path dataDir;

  private TestCluster(DevInfra infra, FlickNode node, Config config, Path dataDir) {
    this.infra = infra;
    this.node = node;
    this.config = config;
    this.dataDir = dataDir;
  }

  public static synchronized TestCluster get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static TestCluster start() {
    Path home = Path.of(System.getProperty("flick.home", "..")).toAbsolutePath().normalize();
    Path dataDir = home.resolve("cluster-node/target/it-infra");
    DevInfra infra =
        DevInfra.start(
            DevInfraSettings.forTests(dataDir, home), line -> System.out.println("[it] " + line));
    try {
      Config config = nodeConfig(infra.endpoints(), dataDir);
      FlickNode node = FlickNode.start(config, line -> System.out.println("[it] " + line));
      TestCluster cluster = new TestCluster(infra, node, config, dataDir);
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
      return cluster;
    } catch (Exception e) {
      infra.close();
      throw new IllegalStateException("test node failed to start", e);
    }
  }

  /** A node's config on the shared infra, on free ports (port 0 = any). */
  public static Config nodeConfig(Endpoints endpoints, Path dataDir) throws Exception {
    return nodeOverrides(endpoints, dataDir).withFallback(ConfigFactory.load()).resolve();
  }

  /** What the test nodes set on top of the packaged config. */
  private static Config nodeOverrides(Endpoints endpoints, Path dataDir) throws Exception {
    return ConfigFactory.parseMap(
            Map.of(
                "flick.upload.deadline",
                "20s",
                "flick.upload.sweep-interval",
                "2s",
                "flick.transcode.retry-backoff",
                "500ms",
                "flick.http.port",
                0,
                "flick.http.interface",
                "127.0.0.1",
                "flick.grpc.port",
                0,
                "pekko.remote.artery.canonical.port",
                0,
                "flick.auth.jwt-secret",
                JWT_SECRET,
                "pekko.actor.serialize-messages",
                "on"))
        .withFallback(
            ConfigFactory.parseMap(
                Map.of(
                    // feeds react fast enough for tests to wait on them
                    "flick.feed.cold-start-ttl",
                    "500ms",
                    "flick.feed.model-publish-interval",
                    "1s",
                    "flick.feed.hot-list-interval",
                    "1s",
                    "flick.search.popularity-refresh.interval",
                    "1s",
                    // a few pages per pass: the ranking fixture's oldest video is on the second
                    "flick.search.popularity-refresh.max-videos",
                    "20",
                    "flick.search.popularity-refresh.page-size",
                    "2",
                    // SearchIT's hung engine sees searches beyond the bound turned away at once
                    "flick.search.max-queries-in-flight",
                    "8",
                    // the management routes (probes, cluster bootstrap's contact point) as in
                    // deploy/k8s, on a free port of each node's own
                    "flick.management.enabled",
                    true,
                    "pekko.management.http.port",
                    freePort())))
        .withFallback(
            ConfigFactory.parseString(
                // ITs make many calls from one address and view one video many times: limits stay
                // on (their code runs) but wide, and every view counts; LimitsIT narrows them
                String.join(
                    "\n",
                    "flick.http.rate-limits { signup.capacity = 100000, login.capacity = 100000,",
                    "  anonymous.capacity = 1000000, upload.capacity = 100000,",
                    "  comment.capacity = 100000, social.capacity = 100000,",
                    "  report.capacity = 100000 }",
                    "flick.http.views.repeat-window = 0s",
                    // UploadPipelineIT uploads an empty file declared as 1 byte to see it end
                    // FAILED; a length-bound part URL would refuse that PUT. TrustSafetyIT checks
                    // that complete refuses a size other than declared; PresignedPartTest the
                    // binding
                    "flick.upload.bind-part-length = off",
                    "flick.moderation.moderators = \"" + MODERATOR_ID + "\"",
                    "flick.moderation.blocklist = \"" + BLOCKLISTED + "\"")))
        .withFallback(DevMode.configFor(endpoints, dataDir));
  }

  /**
   * Another node in a JVM of its own ({@link NodeProcess}), on the same infra and test settings,
   * joining this JVM's node with {@code roles}. Its remoting port is above this node's, so when it
   * dies, keep-majority's tie-break (the lowest address of two equal halves survives) keeps this
   * node, and the other tests, running.
   */
  public NodeProcess forkNode(String name, List<String> roles) throws Exception {
    return forkNode(name, roles, ConfigFactory.empty());
  }

  /** {@link #forkNode(String, List)} with {@code extra} settings on top. */
  public NodeProcess forkNode(String name, List<String> roles, Config extra) throws Exception {
    var self = Cluster.get(node.system()).selfMember().address();
    Config overrides =
        ConfigFactory.parseMap(
                Map.of(
                    "pekko.cluster.roles",
                    roles,
                    "pekko.cluster.seed-nodes",
                    List.of(self.toString()),
                    "pekko.remote.artery.canonical.port",
                    freePortAbove(self.getPort().orElseThrow()),
                    "flick.cassandra.migrate-on-start",
                    false))
            .withFallback(nodeOverrides(infra.endpoints(), dataDir));
    overrides = extra.withFallback(overrides);
    return NodeProcess.start(
        name, overrides, dataDir.resolve("nodes"), List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC"));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Remoting ports given to forked nodes: free when chosen, but bound only once that JVM runs. */
  private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

  private static int freePortAbove(int port) {
    for (int candidate = port + 1; candidate < 65536; candidate++) {
      if (!handedOut.add(candidate)) {
        continue; // another forked node's, maybe still starting
      }
      try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
        return candidate;
      } catch (IOException taken) {
        // next one
      }
    }
    throw new IllegalStateException("no free port above " + port);
  }

  /**
   * Stops this node's ActorSystem (as a crash of the process would, minus the OS) and starts a new
   * node on the same infra and config; the new node listens on a new HTTP port.
   */
  public synchronized void restartNode() throws Exception {
    restartNode(() -> {});
  }

  /** The same, running {@code whileStopped} between the stop and the start (e.g. a reindex). */
  public synchronized void restartNode(ThrowingRunnable whileStopped) throws Exception {
    node.close();
    whileStopped.run();
    node = FlickNode.start(config, line -> System.out.println("[it] " + line));
  }

  /** A step that may throw. */
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Kills one infra server (SIGKILL) and starts it again on the same ports and data. */
  public synchronized void crashAndRestart(String component) {
    infra.crashAndRestart(component, line -> System.out.println("[it] " + line));
  }

  /** Kills one infra server (SIGKILL) and leaves it down until {@link #startInfra}. */
  public synchronized void crashInfra(String component) {
    infra.crash(component);
  }

  /** Stops one infra server where it is (SIGSTOP): it takes connections and answers nothing. */
  public synchronized void freezeInfra(String component) {
    infra.freeze(component);
  }

  public synchronized void thawInfra(String component) {
    infra.thaw(component);
  }

  public synchronized void startInfra(String component) {
    infra.startAgain(component, line -> System.out.println("[it] " + line));
  }

  public Endpoints endpoints() {
    return infra.endpoints();
  }

  /**
   * A session of the test's own on the shared Cassandra (close it): the driver's defaults only,
   * never the node's application.conf contact points.
   */
  public com.datastax.oss.driver.api.core.CqlSession cql() {
    Endpoints e = endpoints();
    return com.datastax.oss.driver.api.core.CqlSession.builder()
        .withConfigLoader(
            com.datastax.oss.driver.api.core.config.DriverConfigLoader.fromMap(
                com.datastax.oss.driver.api.core.config.OptionsMap.driverDefaults()))
        .addContactPoint(new java.net.InetSocketAddress(e.cassandraHost(), e.cassandraPort()))
        .withLocalDatacenter(e.cassandraDatacenter())
        .build();
  }

  public FlickNode node() {
    return node;
  }

  public Config config() {
    return config;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  private void stop() {
    try {
      node.close();
    } catch (Exception e) {
      System.err.println("test node stop: " + e);
    }
    infra.close();
  }
}
