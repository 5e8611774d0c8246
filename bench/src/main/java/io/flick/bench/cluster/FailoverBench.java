package io.flick.bench.cluster;

import io.flick.bench.BenchHttp;
import io.flick.bench.BenchNode;
import io.flick.node.dev.NodeProcess;
import io.flick.user.UserActor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * bench/cluster's failover phase: a second node (entities role, a JVM of its own) joins the bench
 * node (alone in the cluster by then), takes some of the User shards, and is SIGKILLed; the figure
 * is the time from the kill until every account it hosted answers {@code GET /api/v1/users/{id}}
 * again (each polled on its own, so one request waiting out its ask timeout does not hold the
 * others), p50/p99/max over the kills. The baseline, from the same run, is the same GET answered
 * through the live second node before each kill.
 */
final class FailoverBench {
  private FailoverBench() {}

  /**
   * The failover phase of bench/cluster: {@code kills} SIGKILLs, with {@code accounts} accounts.
   */
  static void run(BenchNode bench, int kills, int accounts) throws Exception {
    System.out.printf("%n== failover: %d SIGKILLs of a second entities node%n", kills);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base = bench.baseUrl();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      ids.add(BenchHttp.signUp(http, base, "failover_" + i + "_" + System.nanoTime() % 100000)[1]);
    }
    ActorSystem<?> system = bench.node.system();
    Cluster cluster = Cluster.get(system);
    int members = upMembers(cluster);
    double[] recovery = new double[kills];
    List<Double> live = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      NodeProcess other =
          bench.fork("failover-" + k, List.of("entities"), Map.of(), "512m").process();
      try {
        other.awaitUp(5, TimeUnit.MINUTES);
        awaitUp(cluster, members + 1);
        // shards move to the newcomer by rebalancing, a few every 10 s
        List<String> onOther = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (onOther.size() < Math.max(1, accounts / 8) && System.nanoTime() < deadline) {
          for (String id : ids) {
            status(http, base, id);
          }
          Set<String> local = localUsers(system);
          onOther = ids.stream().filter(id -> !local.contains(id)).toList();
          Thread.sleep(1000);
        }
        if (onOther.isEmpty()) {
          throw new IllegalStateException("no account moved to the second node");
        }
        for (String id : onOther) {
          long start = System.nanoTime();
          if (status(http, base, id) == 200) {
            live.add((System.nanoTime() - start) / 1e6);
          }
        }
        other.kill();
        long killed = System.nanoTime();
        List<CompletableFuture<Void>> answered = new ArrayList<>();
        for (String id : onOther) {
          answered.add(
              CompletableFuture.runAsync(
                  () -> {
                    while (status(http, base, id) != 200) {
                      sleep(100);
                    }
                  }));
        }
        CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new))
            .get(120, TimeUnit.SECONDS);
        recovery[k] = (System.nanoTime() - killed) / 1e9;
        System.out.printf(
            "kill %d: %d accounts on the killed node, all answering again after %.1f s%n",
            k + 1, onOther.size(), recovery[k]);
        awaitUp(cluster, members);
      } finally {
        other.kill();
      }
    }
    double[] sorted = recovery.clone();
    Arrays.sort(sorted);
    double[] baseline = live.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "%nfailover over %d SIGKILLs (s)            p50       p99       max%n", kills);
    System.out.printf(
        "kill -> every entity answers again  %9.1f %9.1f %9.1f%n",
        pct(sorted, 0.5), pct(sorted, 0.99), sorted[sorted.length - 1]);
    System.out.printf(
        "baseline: the same GET via the live node (ms) p50 %.1f, p99 %.1f (%d calls)%n",
        pct(baseline, 0.5), pct(baseline, 0.99), baseline.length);
  }

  private static double pct(double[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(q * (sorted.length - 1))];
  }

  private static int status(HttpClient http, String base, String id) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + id))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int upMembers(Cluster cluster) {
    return (int)
        StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
            .filter(m -> m.status() == MemberStatus.up())
            .count();
  }

  static void awaitUp(Cluster cluster, int members) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (upMembers(cluster) != members) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not " + members + " members Up in time");
      }
      Thread.sleep(200);
    }
  }

  private static Set<String> localUsers(ActorSystem<?> system) throws Exception {
    CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(UserActor.ENTITY_TYPE_KEY, replyTo),
                Duration.ofSeconds(10),
                system.scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    Set<String> ids = new HashSet<>();
    state.getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
    return ids;
  }
}
