package io.flick.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flick.bench.BenchCatalog;
import io.flick.bench.BenchHttp;
import io.flick.bench.BenchNode;
import io.flick.bench.BenchNode.Forked;
import io.flick.bench.ProcessCpu;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * bench/cluster, one command, phases chosen by {@code -Dphases} (default all, in this order):
 * {@code throughput} (warm For You pages and view batches against one node, then the same load
 * against three, {@link ThroughputBench}), {@code upgrade} (the two forked nodes restarted one by
 * one onto a newer app version under a steady load, {@link RollingUpgradeBench}), {@code failover}
 * (the forked nodes stopped, then a second entities node SIGKILLed again and again, {@link
 * FailoverBench}). One embedded infra and one in-process node (every role) throughout; the other
 * nodes are JVMs of their own.
 */
public final class ClusterBench {
  static final String OLD_VERSION = "1.0.0";
  static final String NEW_VERSION = "1.0.1";
  static final List<String> FORKED_ROLES = List.of("api", "entities");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    String phases = System.getProperty("phases", "throughput,upgrade,failover");
    int kills = Integer.getInteger("kills", 5);
    int accounts = Integer.getInteger("accounts", 40);
    int seconds = Integer.getInteger("seconds", 15);
    int connections = Integer.getInteger("connections", 30);
    Path home = Path.of(System.getProperty("flick.home", ".")).toAbsolutePath().normalize();
    long started = System.nanoTime();
    System.out.printf("[bench] load average at start: %s%n", ProcessCpu.loadAverage());
    Map<String, Object> overrides =
        Map.of(
            // big refills so nearly every warm page is served from actor memory (as bench/feed)
            "flick.user.for-you.refill-size", 400,
            "flick.user.for-you.low-watermark", 10,
            "pekko.cluster.app-version", OLD_VERSION);
    try (BenchNode bench = BenchNode.start(home, "cluster", overrides)) {
      Fixture fixture = new Fixture(bench);
      try {
        if (phases.contains("throughput") || phases.contains("upgrade")) {
          fixture.seed(Integer.getInteger("videos", 2_000), Integer.getInteger("viewers", 1_000));
        }
        if (phases.contains("throughput")) {
          ThroughputBench.run(fixture, seconds, connections);
          System.out.printf("[bench] load average: %s%n", ProcessCpu.loadAverage());
        }
        if (phases.contains("upgrade")) {
          fixture.threeNodes();
          RollingUpgradeBench.run(fixture, Integer.getInteger("steadyThreads", 4));
          System.out.printf("[bench] load average: %s%n", ProcessCpu.loadAverage());
        }
        if (phases.contains("failover")) {
          // back to one node: the killed node's accounts have one live node to move to
          fixture.stopForked();
          FailoverBench.awaitUp(Cluster.get(bench.node.system()), 1);
          FailoverBench.run(bench, kills, accounts);
          System.out.printf("[bench] load average: %s%n", ProcessCpu.loadAverage());
        }
      } finally {
        fixture.stopForked();
      }
    }
    System.out.printf(
        "[bench] done in %.1f min; load average %s%n",
        (System.nanoTime() - started) / 60e9, ProcessCpu.loadAverage());
    System.exit(0);
  }

  /**
   * The cluster the throughput and upgrade phases share: the bench node, the forked api+entities
   * nodes once {@link #threeNodes} made them, the catalogue and the viewers' tokens.
   */
  static final class Fixture {
    final BenchNode bench;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final List<Forked> forked = new ArrayList<>();
    List<String> videos = List.of();
    List<String> tokens = List.of();

    Fixture(BenchNode bench) {
      this.bench = bench;
    }

    void seed(int videoCount, int viewers) throws Exception {
      System.out.printf(
          "%n[bench] seeding %,d READY videos and %,d viewers%n", videoCount, viewers);
      videos = BenchCatalog.readyVideos(bench.node.system(), videoCount);
      tokens = BenchCatalog.viewers(bench.node.system(), "clusterviewer", viewers);
      BenchCatalog.awaitModel(http, bench.baseUrl(), videoCount);
      // the first page of each viewer is its cold build; the loads measure warm pages
      BenchCatalog.firstPages(http, bases(), tokens);
    }

    /** Base URLs of every node serving HTTP, the bench node first. */
    List<String> bases() {
      List<String> bases = new ArrayList<>(List.of(bench.baseUrl()));
      forked.forEach(f -> bases.add(f.baseUrl()));
      return bases;
    }

    /** Node name → pid, for CPU accounting; the bench node is this JVM. */
    Map<String, Long> pids() {
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put("node-1", ProcessHandle.current().pid());
      for (int i = 0; i < forked.size(); i++) {
        pids.put("node-" + (i + 2), forked.get(i).process().pid());
      }
      return pids;
    }

    /** Forks node-2 and node-3 (api+entities) unless there, and waits until they carry shards. */
    void threeNodes() throws Exception {
      if (forked.size() == 2) {
        return;
      }
      long start = System.nanoTime();
      int members = FailoverBench.upMembers(Cluster.get(bench.node.system()));
      for (int i = forked.size(); i < 2; i++) {
        forked.add(startNode("node-" + (i + 2), OLD_VERSION));
      }
      FailoverBench.awaitUp(Cluster.get(bench.node.system()), members + 2);
      awaitBalanced(3, Duration.ofSeconds(180));
      System.out.printf(
          "[bench] 3 nodes up (and the wait for balance over) in %.1f s: %s%n",
          (System.nanoTime() - start) / 1e9, shardsPerNode());
      // viewers whose UserActor moved lost its ready queue: their next page is a cold build
      BenchCatalog.firstPages(http, bases(), tokens);
    }

    /** Starts a forked api+entities node at {@code version}; returns once it serves pages. */
    Forked startNode(String name, String version) throws Exception {
      Forked node =
          bench.fork(name, FORKED_ROLES, Map.of("pekko.cluster.app-version", version), "768m");
      node.process().awaitUp(5, TimeUnit.MINUTES);
      BenchCatalog.awaitModel(http, node.baseUrl(), videos.size());
      return node;
    }

    /** Stops the forked nodes gracefully. */
    void stopForked() {
      for (Forked f : forked) {
        try {
          f.process().close(); // SIGTERM: it leaves the cluster, handing its shards over
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      forked.clear();
    }

    /** The bench node's {@code GET /ops/cluster}: members with app versions, shards per node. */
    JsonNode ops() throws Exception {
      return JSON.readTree(BenchHttp.get(http, bench.baseUrl() + "/ops/cluster"));
    }

    /** "User shards a/b/c, Video shards …" per node, with each node's app version. */
    String shardsPerNode() throws Exception {
      JsonNode ops = ops();
      Map<String, String> versions = new LinkedHashMap<>();
      ops.get("members")
          .forEach(m -> versions.put(m.get("address").asText(), m.get("appVersion").asText()));
      StringBuilder line = new StringBuilder();
      for (String type : List.of("User", "Video")) {
        JsonNode nodes = ops.get("shards").get(type);
        line.append(type).append(" shards {");
        List<String> parts = new ArrayList<>();
        nodes
            .fields()
            .forEachRemaining(
                e ->
                    parts.add(
                        port(e.getKey())
                            + "@"
                            + versions.getOrDefault(e.getKey(), "?")
                            + ": "
                            + e.getValue().path("shards").asInt()));
        line.append(String.join(", ", parts)).append("} ");
      }
      return line.toString().strip();
    }

    /** Shards of {@code type} per app version, from /ops/cluster. */
    Map<String, Integer> shardsByVersion(String type) throws Exception {
      JsonNode ops = ops();
      Map<String, String> versions = new LinkedHashMap<>();
      ops.get("members")
          .forEach(m -> versions.put(m.get("address").asText(), m.get("appVersion").asText()));
      Map<String, Integer> byVersion = new LinkedHashMap<>();
      ops.get("shards")
          .get(type)
          .fields()
          .forEachRemaining(
              e ->
                  byVersion.merge(
                      versions.getOrDefault(e.getKey(), "?"),
                      e.getValue().path("shards").asInt(),
                      Integer::sum));
      return byVersion;
    }

    /** Waits until each of {@code nodes} regions holds at least ~a fair share of User shards. */
    void awaitBalanced(int nodes, Duration within) throws Exception {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode users = ops().get("shards").get("User");
        List<Integer> counts = new ArrayList<>();
        users.fields().forEachRemaining(e -> counts.add(e.getValue().path("shards").asInt()));
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        if (counts.size() == nodes
            && counts.stream().allMatch(c -> c >= total / nodes - total / (nodes * 8))) {
          return;
        }
        Thread.sleep(1000);
      }
      System.out.printf(
          "[bench] shards not balanced within %d s, measuring anyway: %s%n",
          within.toSeconds(), shardsPerNode());
    }

    private static String port(String address) {
      return ":" + address.substring(address.lastIndexOf(':') + 1);
    }
  }
}
