package io.flick.bench.cluster;

import io.flick.bench.BenchNode.Forked;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;

/**
 * The upgrade phase of bench/cluster: a rolling upgrade under a steady load. The two forked nodes,
 * one after the other, are taken out of the load's rotation (as a load balancer's readiness check
 * would), drained — told to leave, as {@code OpsService.Drain} does: the cluster hands their shards
 * over and the JVM exits — and started again at a newer {@code app-version}, then put back in
 * rotation. The load (a few client threads, each a For You page then a batch of views, in turn over
 * the nodes in rotation) retries a request once on 503 (after its Retry-After, capped at 5 s) or on
 * a broken connection; a request failing again, or answering any other error, is a failed request.
 */
final class RollingUpgradeBench {
  private static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(5);
  // the load balancer's deregistration delay: requests already sent to the node finish first
  private static final Duration DEREGISTRATION = Duration.ofSeconds(1);

  private RollingUpgradeBench() {}

  /** A node the load sends to, and the app version it runs. */
  record Target(String base, String version) {}

  static void run(ClusterBench.Fixture fixture, int threads) throws Exception {
    System.out.printf(
        "%n== rolling upgrade: node-2 and node-3 onto app-version %s (node-1, this JVM, stays at"
            + " %s), %d client threads%n",
        ClusterBench.NEW_VERSION, ClusterBench.OLD_VERSION, threads);
    System.out.println("[bench] before: " + fixture.shardsPerNode());
    List<Target> rotation = new CopyOnWriteArrayList<>();
    rotation.add(new Target(fixture.bench.baseUrl(), ClusterBench.OLD_VERSION));
    fixture.forked.forEach(f -> rotation.add(new Target(f.baseUrl(), f.appVersion())));
    SteadyLoad load = new SteadyLoad(fixture, rotation, threads);
    load.start();
    Thread.sleep(10_000); // the steady state first: its rate is the baseline
    long baselineRequests = load.requests.sum();
    double baselineRate = baselineRequests / 10.0;
    long baselineFailed = load.failed.sum();

    Cluster cluster = Cluster.get(fixture.bench.node.system());
    long start = System.nanoTime();
    for (int i = 0; i < fixture.forked.size(); i++) {
      Forked old = fixture.forked.get(i);
      String name = old.process().name();
      long step = System.nanoTime();
      rotation.removeIf(t -> t.base().equals(old.baseUrl()));
      Thread.sleep(DEREGISTRATION.toMillis());
      cluster.manager().tell(Leave.create(AddressFromURIString.parse(old.address())));
      if (!old.process().awaitExit(Duration.ofSeconds(90))) {
        System.out.printf("[bench] %s did not exit within 90 s of leaving; SIGTERM%n", name);
        old.process().close();
      }
      double drained = (System.nanoTime() - step) / 1e9;
      Forked upgraded = fixture.startNode(name, ClusterBench.NEW_VERSION);
      fixture.forked.set(i, upgraded);
      FailoverBench.awaitUp(cluster, 3);
      rotation.add(new Target(upgraded.baseUrl(), upgraded.appVersion()));
      System.out.printf(
          "[bench] %s: drained and exited in %.1f s, up at %s and in rotation after %.1f s"
              + " (failed so far: %d)%n",
          name,
          drained,
          upgraded.appVersion(),
          (System.nanoTime() - step) / 1e9,
          load.failed.sum() - baselineFailed);
    }
    double duration = (System.nanoTime() - start) / 1e9;
    Thread.sleep(5_000); // a tail at the new versions
    load.stop();
    System.out.println("[bench] after: " + fixture.shardsPerNode());

    System.out.printf("%nrolling upgrade of 2 of 3 nodes under a steady load%n");
    System.out.printf("  duration (first drain → last node back in rotation): %.1f s%n", duration);
    System.out.printf(
        "  requests: %,d (steady-state rate %.1f req/s, measured first), failed %d, retried %d"
            + " (503 + Retry-After %d, broken connection %d)%n",
        load.requests.sum(),
        baselineRate,
        load.failed.sum(),
        load.retried503.sum() + load.retriedBroken.sum(),
        load.retried503.sum(),
        load.retriedBroken.sum());
    System.out.printf("  served by app version: %s%n", load.byVersion);
    System.out.printf(
        "  User shards by app version after: %s; Video shards: %s%n",
        fixture.shardsByVersion("User"), fixture.shardsByVersion("Video"));
    load.failures.stream().limit(5).forEach(f -> System.out.println("  failed: " + f));
  }

  /** Client threads sending For You pages and view batches, in turn, over the rotation. */
  static final class SteadyLoad {
    final LongAdder requests = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried503 = new LongAdder();
    final LongAdder retriedBroken = new LongAdder();
    final Map<String, LongAdder> byVersion = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ClusterBench.Fixture fixture;
    private final List<Target> rotation;
    private final int threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong turn = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SteadyLoad(ClusterBench.Fixture fixture, List<Target> rotation, int threads) {
      this.fixture = fixture;
      this.rotation = rotation;
      this.threads = threads;
    }

    void start() {
      for (int t = 0; t < threads; t++) {
        int seed = t;
        Thread worker = new Thread(() -> loop(new Random(seed)), "steady-load-" + t);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread w : workers) {
        w.join(TimeUnit.SECONDS.toMillis(70));
      }
    }

    private void loop(Random random) {
      while (running.get()) {
        String token = fixture.tokens.get(random.nextInt(fixture.tokens.size()));
        boolean page = random.nextBoolean();
        send(page, token, random);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void send(boolean page, String token, Random random) {
      requests.increment();
      String body = page ? null : viewBatch(random);
      for (int attempt = 0; attempt < 2; attempt++) {
        Target target = rotation.get((int) (turn.getAndIncrement() % rotation.size()));
        String what = (page ? "GET for-you" : "POST events") + " via " + target.base();
        try {
          HttpResponse<String> response =
              http.send(request(target, page, token, body), HttpResponse.BodyHandlers.ofString());
          int status = response.statusCode();
          if (status < 300) {
            byVersion.computeIfAbsent(target.version(), v -> new LongAdder()).increment();
            return;
          }
          if (status == 503 && attempt == 0) {
            retried503.increment();
            Thread.sleep(retryAfter(response).toMillis());
            continue;
          }
          failed.increment();
          failures.add(what + ": " + status + " " + response.body());
          return;
        } catch (IOException broken) {
          if (attempt == 0) {
            retriedBroken.increment();
            continue;
          }
          failed.increment();
          failures.add(what + ": " + broken);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static HttpRequest request(Target target, boolean page, String token, String body) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(
                      target.base() + (page ? "/api/v1/feed/foryou?limit=10" : "/api/v1/events")))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token);
      if (page) {
        return request.GET().build();
      }
      return request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
    }

    private String viewBatch(Random random) {
      StringBuilder body = new StringBuilder("{\"events\":[");
      for (int i = 0; i < 10; i++) {
        body.append(i == 0 ? "" : ",")
            .append("{\"kind\":\"view\",\"videoId\":\"")
            .append(fixture.videos.get(random.nextInt(fixture.videos.size())))
            .append("\",\"watchMs\":4000,\"completed\":true}");
      }
      return body.append("]}").toString();
    }

    private static Duration retryAfter(HttpResponse<?> response) {
      Optional<String> header = response.headers().firstValue("Retry-After");
      try {
        Duration asked = Duration.ofSeconds(Long.parseLong(header.orElse("1").strip()));
        return asked.compareTo(RETRY_AFTER_CAP) > 0 ? RETRY_AFTER_CAP : asked;
      } catch (NumberFormatException e) {
        return Duration.ofSeconds(1);
      }
    }
  }
}
