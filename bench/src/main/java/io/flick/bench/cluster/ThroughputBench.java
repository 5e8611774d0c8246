package io.flick.bench.cluster;

import io.flick.bench.BenchCatalog;
import io.flick.bench.ProcessCpu;
import io.flick.bench.WrkRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The throughput phase of bench/cluster: warm For You pages and view batches, first against the
 * bench node alone, then against three nodes (the bench node and two forked api+entities JVMs),
 * with the same load generator both times: three wrk processes (one thread each), each with a third
 * of the connections, all three aimed at node-1, then one at each node. Beside requests/s and
 * latency it reads each node JVM's CPU time over the run (/proc), so the cost of a request on each
 * node shows even where the total cannot grow (three JVMs, the infra and wrk share 2 cores).
 */
final class ThroughputBench {
  private static final int BATCH = 10;

  private ThroughputBench() {}

  /** One load against a topology: wrk's figures summed over its processes, and CPU per node. */
  record Measured(
      int nodes,
      double rps,
      double p50,
      double p99,
      long requests,
      long errors,
      Map<String, Double> cpuMsPerRequest,
      double machineBusy) {}

  static void run(ClusterBench.Fixture fixture, int seconds, int connections) throws Exception {
    Path pages = Files.createTempFile("cluster-foryou", ".lua");
    Files.writeString(pages, BenchCatalog.tokenRotationLua(fixture.tokens));
    Path views = Files.createTempFile("cluster-views", ".lua");
    Files.writeString(views, viewBatchLua(fixture.tokens, fixture.videos));
    String page = "/api/v1/feed/foryou?limit=10";
    String events = "/api/v1/events";
    System.out.printf(
        "%n== throughput: 1 node, then 3 nodes; 3 wrk processes × %d connections, %d s each%n",
        connections / 3, seconds);

    String one = fixture.bench.baseUrl();
    List<String> alone = List.of(one, one, one);
    Measured pages1 = measure(fixture, alone, pages, page, seconds, connections);
    Measured views1 = measure(fixture, alone, views, events, seconds, connections);

    fixture.threeNodes();
    List<String> spread = fixture.bases();
    Measured pages3 = measure(fixture, spread, pages, page, seconds, connections);
    Measured views3 = measure(fixture, spread, views, events, seconds, connections);

    System.out.printf(
        "%n%-34s %5s %9s %8s %8s %8s  %s%n",
        "throughput (wrk: 3 × " + connections / 3 + " conn.)",
        "nodes",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "CPU ms per request, by JVM (machine busy)");
    print("GET /feed/foryou, warm", pages1);
    print("GET /feed/foryou, warm", pages3);
    System.out.printf("%-34s %5s %9.2f%n", "  ratio 3 nodes / 1 node", "", pages3.rps / pages1.rps);
    print("POST /events, " + BATCH + " views each", views1);
    print("POST /events, " + BATCH + " views each", views3);
    System.out.printf("%-34s %5s %9.2f%n", "  ratio 3 nodes / 1 node", "", views3.rps / views1.rps);
    System.out.printf(
        "views counted per second: 1 node %,.0f, 3 nodes %,.0f%n",
        views1.rps * BATCH, views3.rps * BATCH);
    System.out.println(
        "(p50: the wrk processes' medians weighted by their requests; p99: the worst of them."
            + " 3 JVMs, the infra and wrk share this machine's 2 cores: the total cannot grow;"
            + " the CPU per request per JVM is the per-node cost.)");
  }

  /**
   * Three wrk processes at once, one per entry of {@code targets}, {@code connections / 3} each;
   * non-2xx answers are counted.
   */
  static Measured measure(
      ClusterBench.Fixture fixture,
      List<String> targets,
      Path script,
      String path,
      int seconds,
      int connections)
      throws Exception {
    Map<String, Long> pids = fixture.pids();
    Map<String, Double> cpuBefore = new LinkedHashMap<>();
    pids.forEach((name, pid) -> cpuBefore.put(name, ProcessCpu.millis(pid)));
    double[] machineBefore = ProcessCpu.machine();
    ExecutorService pool = Executors.newFixedThreadPool(targets.size());
    List<WrkRun> runs = new ArrayList<>();
    try {
      List<Future<WrkRun>> futures = new ArrayList<>();
      for (String base : targets) {
        futures.add(
            pool.submit(
                () ->
                    WrkRun.run(
                        base + path,
                        script,
                        seconds,
                        Math.max(1, connections / targets.size()),
                        1,
                        Duration.ofSeconds(10))));
      }
      for (Future<WrkRun> f : futures) {
        runs.add(f.get());
      }
    } finally {
      pool.shutdown();
    }
    double[] machineAfter = ProcessCpu.machine();
    long errors = 0;
    for (WrkRun run : runs) {
      // a non-2xx answer is a figure of the run (a 503 while shards move), printed, not hidden
      Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: ([0-9]+)").matcher(run.output());
      if (non2xx.find()) {
        errors += Long.parseLong(non2xx.group(1));
      }
      Matcher socket = Pattern.compile("Socket errors:.*").matcher(run.output());
      if (socket.find()) {
        System.out.println("[bench] wrk against a node: " + socket.group());
      }
    }
    long requests = 0;
    double rps = 0;
    double weightedP50 = 0;
    double p99 = 0;
    for (WrkRun run : runs) {
      long n = requests(run);
      requests += n;
      rps += run.rps();
      weightedP50 += run.p50() * n;
      p99 = Math.max(p99, run.p99());
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    double all = 0;
    for (var pid : pids.entrySet()) {
      double used = ProcessCpu.millis(pid.getValue()) - cpuBefore.get(pid.getKey());
      all += used;
      cpu.put(pid.getKey(), used / Math.max(1, requests));
    }
    cpu.put("all node JVMs", all / Math.max(1, requests));
    double busy =
        (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]);
    return new Measured(
        pids.size(), rps, weightedP50 / Math.max(1, requests), p99, requests, errors, cpu, busy);
  }

  private static long requests(WrkRun run) {
    Matcher m = Pattern.compile("([0-9]+) requests in").matcher(run.output());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static void print(String name, Measured m) {
    StringBuilder cpu = new StringBuilder();
    m.cpuMsPerRequest.forEach((node, ms) -> cpu.append(node).append(String.format(" %.2f, ", ms)));
    System.out.printf(
        "%-34s %5d %9.0f %8.2f %8.2f %8d  %s(%.0f %%)%n",
        name, m.nodes, m.rps, m.p50, m.p99, m.errors, cpu, 100 * m.machineBusy);
  }

  /**
   * wrk script: POST /api/v1/events with {@value #BATCH} views of different catalogue videos per
   * request (from 200 prepared bodies), signed in as the viewers in turn.
   */
  static String viewBatchLua(List<String> tokens, List<String> videos) {
    Random random = new Random(16);
    StringBuilder lua = new StringBuilder(BenchCatalog.tokenRotationLua(tokens));
    lua.append("bodies = {\n");
    for (int b = 0; b < 200; b++) {
      StringBuilder body = new StringBuilder("{\"events\":[");
      for (int i = 0; i < BATCH; i++) {
        body.append(i == 0 ? "" : ",")
            .append("{\"kind\":\"view\",\"videoId\":\"")
            .append(videos.get(random.nextInt(videos.size())))
            .append("\",\"watchMs\":4000,\"completed\":true}");
      }
      lua.append("  '").append(body).append("]}',\n");
    }
    lua.append(
        """
        }
        request = function()
          counter = counter + 1
          local token = tokens[(counter % #tokens) + 1]
          local body = bodies[(counter % #bodies) + 1]
          return wrk.format("POST", nil, { ["Authorization"] = "Bearer " .. token,
            ["Content-Type"] = "application/json" }, body)
        end
        """);
    return lua.toString();
  }
}
