package io.flick.devinfra.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OpenSearch 2.19, one node, forked JVM: infra/opensearch's launcher class starts a node with the
 * HTTP transport, common analysis and mapper-extras plugins taken from the classpath.
 */
public final class OpenSearchComponent extends Component {
  public static final String NAME = "opensearch";
  public static final String HTTP = "http";
  public static final String TRANSPORT = "transport";

  static final String MAIN_CLASS = "io.flick.infra.opensearch.OpenSearchNodeMain";

  private List<Path> jars;
  private JavaRuntime java;

  public OpenSearchComponent(Context ctx, int httpPort, int transportPort) {
    super(NAME, ctx);
    ports.put(HTTP, httpPort);
    ports.put(TRANSPORT, transportPort);
  }

  @Override
  public void checkInstalled() {
    jars = ctx.serverJars(NAME, "opensearch");
    java = JavaRuntime.current();
  }

  @Override
  public Duration timeout() {
    // ~5 s on an idle 2-core box, but near a minute seen while four servers start beside it
    return Duration.ofSeconds(120);
  }

  @Override
  public String address() {
    return "http://" + Ports.LOOPBACK + ":" + ports.get(HTTP);
  }

  @Override
  public ChildProcess launch(long deadlineNanos) throws IOException {
    Path root = ctx.dataDir().resolve(NAME);
    Path home = root.resolve("home");
    Path data = root.resolve("data");
    Path logs = ctx.logs().resolve(NAME);
    for (Path d : List.of(home, data, logs)) {
      Files.createDirectories(d);
    }
    List<String> cmd =
        ctx.jvmCommand(
            java,
            // small heap: the CI box has 2 cores and runs four other servers beside it. All of it
            // from the start, as OpenSearch's jvm.options: a search allocates megabytes (fuzzy
            // automata), and a 256 MB start left G1 a young generation it filled every second
            List.of(
                "-Xms512m",
                "-Xmx512m",
                "-XX:+UseG1GC",
                // as OpenSearch's own jvm.options: pauses on record next to its logs
                "-Xlog:gc:file="
                    + logs.resolve("gc.log")
                    + ":utctime,uptime:filecount=4,filesize=16m",
                "-XX:+PerfDisableSharedMem",
                "-Djava.awt.headless=true",
                "-Dlog4j2.disable.jmx=true",
                "-Dlog4j.shutdownHookEnabled=false",
                "-Dlog4j2.level=WARN"),
            jars,
            MAIN_CLASS,
            List.of(
                home.toString(),
                data.toString(),
                logs.toString(),
                Integer.toString(ports.get(HTTP)),
                Integer.toString(ports.get(TRANSPORT))));
    return ctx.launch(NAME, cmd, ctx.logs(), Map.of(), ctx.pidFileOf(NAME));
  }

  @Override
  public String probe() throws IOException {
    return Probes.openSearch(Ports.LOOPBACK, ports.get(HTTP));
  }

  @Override
  public String readyDetail(String health) {
    return " (" + health + ", transport port " + ports.get(TRANSPORT) + ")";
  }
}
