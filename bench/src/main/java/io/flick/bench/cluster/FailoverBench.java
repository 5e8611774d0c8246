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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * again (each probed every 200 ms, each probe on its own, so a request waiting out its ask timeout
 * holds nothing), p50/p99/max over the kills, next to what a client sending each retry as soon as
 * its previous request failed sees. The baseline, from the same run, is the same GET answered
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
    double[] retrying = new double[kills];
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
        // two clients per account: a prober sends a GET every 200 ms without waiting for the last
        // (its first 200 is when the entity answers again: the figure), and a client
        // that sends its next GET as soon as the previous one is answered, 503 or not (what a
        // user retrying at once sees: a request that went to the dead node waits out the 5 s
        // ask timeout, so this one is the entity's recovery rounded up to the next 5 s)
        List<CompletableFuture<Long>> probed = new ArrayList<>();
        List<CompletableFuture<Long>> retried = new ArrayList<>();
        // a thread per client: the common pool's 2 threads would run the retrying clients in turn
        ScheduledExecutorService clients = Executors.newScheduledThreadPool(2 * onOther.size());
        try {
          for (String id : onOther) {
            probed.add(probe(http, base, id, killed, clients));
            retried.add(
                CompletableFuture.supplyAsync(
                    () -> {
                      while (status(http, base, id) != 200) {
                        sleep(100);
                      }
                      return System.nanoTime() - killed;
                    },
                    clients));
          }
          recovery[k] = latest(probed);
          retrying[k] = latest(retried);
        } finally {
          clients.shutdownNow();
        }
        System.out.printf(
            "kill %d: %d accounts on the killed node, all answering again after %.1f s"
                + " (a client retrying at once: %.1f s)%n",
            k + 1, onOther.size(), recovery[k], retrying[k]);
        awaitUp(cluster, members);
      } finally {
        other.kill();
      }
    }
    double[] sorted = recovery.clone();
    Arrays.sort(sorted);
    double[] sortedRetrying = retrying.clone();
    Arrays.sort(sortedRetrying);
    double[] baseline = live.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(
        "%nfailover over %d SIGKILLs (s)            p50       p99       max%n", kills);
    System.out.printf(
        "kill -> every entity answers again  %9.1f %9.1f %9.1f%n",
        pct(sorted, 0.5), pct(sorted, 0.99), sorted[sorted.length - 1]);
    System.out.printf(
        "a client retrying at once on each 503  %9.1f %9.1f %9.1f%n",
        pct(sortedRetrying, 0.5),
        pct(sortedRetrying, 0.99),
        sortedRetrying[sortedRetrying.length - 1]);
    System.out.printf(
        "baseline: the same GET via the live node (ms) p50 %.1f, p99 %.1f (%d calls)%n",
        pct(baseline, 0.5), pct(baseline, 0.99), baseline.length);
  }

  /**
   * Sends {@code GET /api/v1/users/{id}} every 200 ms, each with its own 30 s timeout, until one
   * answers 200; completes with the nanoseconds from {@code killed} to that answer.
   */
  private static CompletableFuture<Long> probe(
      HttpClient http, String base, String id, long killed, ScheduledExecutorService clock) {
    CompletableFuture<Long> answered = new CompletableFuture<>();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/users/" + id))
            .timeout(Duration.ofSeconds(30))
            .build();
    ScheduledFuture<?> probes =
        clock.scheduleAtFixedRate(
            () ->
                http.sendAsync(get, HttpResponse.BodyHandlers.discarding())
                    .thenAccept(
                        response -> {
                          if (response.statusCode() == 200) {
                            answered.complete(System.nanoTime() - killed);
                          }
                        }),
            0,
            200,
            TimeUnit.MILLISECONDS);
    answered.whenComplete((at, failure) -> probes.cancel(false));
    return answered;
  }

  /** Seconds until the last of {@code answers} completed (each in nanoseconds since the kill). */
  private static double latest(List<CompletableFuture<Long>> answers) throws Exception {
    long last = 0;
    for (CompletableFuture<Long> answer : answers) {
      last = Math.max(last, answer.get(120, TimeUnit.SECONDS));
    }
    return last / 1e9;
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
