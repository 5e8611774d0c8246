package io.flick.devinfra.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cassandra 5.0 single node, forked JVM (CassandraDaemon in the foreground). */
public final class CassandraComponent extends Component {
  public static final String NAME = "cassandra";
  public static final String NATIVE = "native";
  public static final String STORAGE = "storage";

  /** The --add-exports/--add-opens of Cassandra 5.0's conf/jvm17-server.options. */
  static final List<String> JVM17_OPTIONS =
      List.of(
          "-Djdk.attach.allowAttachSelf=true",
          "--add-exports",
          "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports",
          "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports",
          "java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports",
          "java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports",
          "java.sql/java.sql=ALL-UNNAMED",
          "--add-exports",
          "java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports",
          "jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports",
          "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports",
          "jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens",
          "java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens",
          "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens",
          "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.io=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens",
          "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.util=ALL-UNNAMED",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private List<Path> jars;
  private JavaRuntime java;

  public CassandraComponent(Context ctx, int nativePort, int storagePort) {
    super(NAME, ctx);
    ports.put(NATIVE, nativePort);
    ports.put(STORAGE, storagePort);
  }

  @Override
  public void checkInstalled() {
    jars = ctx.serverJars(NAME, "cassandra");
    java = JavaRuntime.forCassandra();
  }

  public JavaRuntime java() {
    return java;
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(120);
  }

  @Override
  public String address() {
    return Ports.LOOPBACK + ":" + ports.get(NATIVE);
  }

  @Override
  public ChildProcess launch(long deadlineNanos) throws IOException {
    Path home = ctx.dataDir().resolve(NAME);
    for (String d : List.of("data", "commitlog", "hints", "saved_caches", "cdc_raw", "triggers")) {
      Files.createDirectories(home.resolve(d));
    }
    Files.createDirectories(ctx.conf());
    Path yaml = ctx.conf().resolve("cassandra.yaml");
    Files.writeString(yaml, yaml(home), StandardCharsets.UTF_8);
    Path logback = ctx.conf().resolve("cassandra-logback.xml");
    Files.writeString(logback, LOGBACK, StandardCharsets.UTF_8);

    List<String> opts = new ArrayList<>();
    opts.add("-Xms256m");
    opts.add("-Xmx512m");
    opts.add("-XX:+PerfDisableSharedMem");
    opts.add("-Djava.net.preferIPv4Stack=true");
    opts.add("-Djava.awt.headless=true");
    opts.addAll(JVM17_OPTIONS);
    opts.add("-Dcassandra.config=" + yaml.toUri());
    opts.add("-Dcassandra.storagedir=" + home);
    opts.add("-Dcassandra.logdir=" + ctx.logs());
    opts.add("-Dcassandra.triggers_dir=" + home.resolve("triggers"));
    opts.add("-Dlogback.configurationFile=" + logback);
    opts.add("-Dcassandra-foreground=yes");
    opts.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    opts.add("-Dcassandra.ring_delay_ms=100");
    // No -Dcassandra.jmx.local.port / -Dcassandra.jmx.remote.port: Cassandra then starts no JMX
    // server (nodetool won't connect) and binds only the two ports above, so instances can coexist.
    List<String> cmd =
        ctx.jvmCommand(java, opts, jars, "org.apache.cassandra.service.CassandraDaemon", List.of());
    return ctx.launch(NAME, cmd, ctx.logs(), Map.of(), ctx.pidFileOf(NAME));
  }

  private String yaml(Path home) {
    int storage = ports.get(STORAGE);
    return String.join(
        "\n",
        "# generated by flick dev-infra on every start; edits are overwritten",
        "cluster_name: 'Flick Dev'",
        "num_tokens: 16",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "data_file_directories:",
        "  - " + home.resolve("data"),
        "commitlog_directory: " + home.resolve("commitlog"),
        "hints_directory: " + home.resolve("hints"),
        "saved_caches_directory: " + home.resolve("saved_caches"),
        "cdc_raw_directory: " + home.resolve("cdc_raw"),
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: \"127.0.0.1:" + storage + "\"",
        "listen_address: 127.0.0.1",
        "rpc_address: 127.0.0.1",
        "storage_port: " + storage,
        "native_transport_port: " + ports.get(NATIVE),
        "start_native_transport: true",
        "endpoint_snitch: SimpleSnitch",
        // a write is acknowledged only once its commit log entry is on disk: with one node and no
        // replicas, "periodic" (the default) acknowledges up to 10 s of writes a crash then loses
        // (CassandraDurabilityIT), and Flick commits Kafka offsets on the journal's acknowledgement
        "commitlog_sync: batch",
        "auto_snapshot: false",
        "storage_compatibility_mode: NONE",
        "");
  }

  @Override
  public String probe() throws IOException {
    return Probes.cassandra(Ports.LOOPBACK, ports.get(NATIVE));
  }

  @Override
  public String readyDetail(String releaseVersion) {
    return " (Cassandra " + releaseVersion + ", " + java.describe() + ")";
  }

  @Override
  public String failureHint() {
    if (java != null && !java.supportsCassandra()) {
      return "; it ran on "
          + java.describe()
          + " but Cassandra 5.0 supports only Java 11 and 17: install a JDK 17 or set"
          + " FLICK_CASSANDRA_JAVA_HOME to one";
    }
    return "";
  }

  private static final String LOGBACK =
      """
      <configuration scan="false">
        <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder>
            <pattern>%-5level [%thread] %date{ISO8601} %logger{0} - %msg%n</pattern>
          </encoder>
        </appender>
        <logger name="org.apache.cassandra" level="INFO"/>
        <logger name="org.apache.cassandra.db.monitoring" level="WARN"/>
        <logger name="org.apache.cassandra.service.StartupChecks" level="ERROR"/>
        <logger name="com.datastax" level="WARN"/>
        <root level="WARN">
          <appender-ref ref="STDOUT"/>
        </root>
      </configuration>
      """;
}
