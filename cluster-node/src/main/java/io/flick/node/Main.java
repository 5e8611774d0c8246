package io.flick.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import io.flick.feed.eval.EvalCommand;
import io.flick.feed.eval.GenerateCommand;
import io.flick.node.dev.DevMode;
import io.flick.node.dev.NodeProcess;
import io.flick.node.infra.CassandraSchema;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar flick-node.jar [run | dev [--clean] [--reindex] | migrate | reindex | eval … |
 * gen-interactions …]}.
 *
 * <ul>
 *   <li>{@code run} (default): a node against the servers its config and environment name.
 *   <li>{@code dev}: a one-node cluster on embedded Cassandra, Kafka, s3proxy and Redis ({@code
 *       --nodes N}: N node JVMs on them, see {@link DevMode}).
 *   <li>{@code migrate}: apply the CQL schema and exit (production deploy step).
 *   <li>{@code eval}: offline evaluation of the feed ranker against MostPop, ItemKNN, EASE and ALS
 *       ({@link EvalCommand}).
 *   <li>{@code gen-interactions}: synthetic interaction data ({@link GenerateCommand}).
 * </ul>
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    useCommonPoolForAsyncStages();
    List<String> arguments = Arrays.asList(args);
    String command = arguments.isEmpty() ? "run" : arguments.get(0);
    switch (command) {
      case "run" -> run();
      case "dev" -> System.exit(DevMode.run(arguments.subList(1, arguments.size())));
      case "migrate" -> migrate();
      case "reindex" -> reindex();
      // offline tools: no cluster, no infra
      case "eval" ->
          System.exit(
              EvalCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
      // operators: the admin gRPC service of a running node
      case "moderator" ->
          System.exit(
              ModeratorCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
      // operators: the operations gRPC API of a running node
      case "ops" ->
          System.exit(
              OpsCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
      case "gen-interactions" ->
          System.exit(
              GenerateCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
      default -> {
        System.err.println(
            "usage: flick-node.jar [run | dev [--clean] [--reindex] [--nodes N [--roles R]] | migrate"
                + " | reindex | eval … | gen-interactions … | moderator grant|revoke <user> | ops …]");
        System.exit(2);
      }
    }
  }

  /**
   * On a machine with fewer than three cores the JDK's common pool has parallelism 1, and then
   * every {@code CompletableFuture.*Async} stage without an executor starts a new thread. Scala's
   * Future-to-CompletionStage bridge (every Pekko ask seen from Java) turns plain {@code thenApply}
   * into {@code thenApplyAsync}, so on 2 cores each request spawned several threads. Must run
   * before anything touches the common pool.
   */
  static void useCommonPoolForAsyncStages() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(property, "2");
    }
  }

  private static void run() throws Exception {
    FlickNode node = FlickNode.start(NodeConfig.load(), System.out::println);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> node.system().terminate()));
    System.out.println(NodeProcess.UP_MARKER + ": " + node.describe());
    exitWithParent(node);
    node.system().getWhenTerminated().toCompletableFuture().join();
    // the system ends when the node has left the cluster (drained, SIGTERM): end the process too,
    // which client libraries' non-daemon threads would otherwise keep alive
    System.exit(0);
  }

  /**
   * A node forked by dev mode or a test ({@link NodeProcess}) leaves the cluster when its parent
   * exits, even by SIGKILL, so no orphan JVM keeps ports and shards.
   */
  private static void exitWithParent(FlickNode node) {
    String parent = System.getProperty(NodeProcess.PARENT_PID);
    if (parent == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(parent))
        .ifPresentOrElse(
            handle -> handle.onExit().thenRun(() -> node.system().terminate()),
            () -> node.system().terminate());
  }

  private static void reindex() throws Exception {
    reindex(NodeConfig.load(), System.out::println);
  }

  /** Forgets the search indexes and their projections' offsets (see SearchReindex). */
  public static void reindex(Config config, java.util.function.Consumer<String> progress)
      throws Exception {
    try (CqlSession session =
            CqlSession.builder()
                .withConfigLoader(
                    com.datastax.oss.driver.api.core.config.DriverConfigLoader.fromString(
                        config.withOnlyPath("datastax-java-driver").root().render()))
                .build();
        io.flick.search.SearchEngine engine =
            new io.flick.search.SearchEngine(io.flick.search.SearchSettings.from(config))) {
      io.flick.node.infra.SearchReindex.reset(
          session, CassandraSchema.Settings.from(config).keyspace(), engine, progress);
    }
  }

  private static void migrate() {
    Config config = NodeConfig.load();
    try (CqlSession session =
        CqlSession.builder()
            .withConfigLoader(
                com.datastax.oss.driver.api.core.config.DriverConfigLoader.fromString(
                    config.withOnlyPath("datastax-java-driver").root().render()))
            .build()) {
      CassandraSchema.migrate(session, CassandraSchema.Settings.from(config));
    }
    System.out.println("schema up to date");
  }
}
