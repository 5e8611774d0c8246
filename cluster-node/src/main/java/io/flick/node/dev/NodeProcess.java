package io.flick.node.dev;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Flick node in a JVM of its own ({@code Main run}) on this JVM's classpath: the extra nodes of
 * {@code ./flick dev --nodes N} and of the multi-JVM fault test. Its config is a file that includes
 * the classpath's application.conf and then sets {@code overrides}; its output goes to a log file.
 * The child stops itself when this JVM exits, however it exits (see {@link #PARENT_PID}).
 */
public final class NodeProcess implements AutoCloseable {
  /** System property naming the launching JVM; the node exits when that process is gone. */
  public static final String PARENT_PID = "flick.parent-pid";

  /** The line {@code Main run} prints once the node is a cluster member serving its roles. */
  public static final String UP_MARKER = "Flick node up";

  private final String name;
  private final Process process;
  private final Path log;
  private final CompletableFuture<String> up = new CompletableFuture<>();

  private NodeProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the JVM and returns at once; {@link #awaitUp} waits for it to join. {@code overrides}
   * are the config paths the node differs in (roles, ports, seed nodes, endpoints).
   */
  public static NodeProcess start(
      String name, Config overrides, Path workDir, List<String> jvmOptions) throws IOException {
    Files.createDirectories(workDir);
    Path configFile = workDir.resolve(name + ".conf");
    Files.writeString(configFile, configFile(overrides));
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-Dconfig.file=" + configFile);
    command.add("-D" + PARENT_PID + "=" + ProcessHandle.current().pid());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.flick.node.Main");
    command.add("run");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    NodeProcess node = new NodeProcess(name, process, log);
    node.pumpOutput();
    return node;
  }

  /** HOCON: the packaged config, then one line per override (values rendered as JSON). */
  static String configFile(Config overrides) {
    StringBuilder file = new StringBuilder("include classpath(\"application.conf\")\n");
    for (Map.Entry<String, ConfigValue> entry : overrides.entrySet()) {
      file.append(entry.getKey())
          .append(" = ")
          .append(entry.getValue().render(ConfigRenderOptions.concise()))
          .append('\n');
    }
    return file.toString();
  }

  private void pumpOutput() {
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.write(line);
                  out.write('\n');
                  out.flush();
                  if (!up.isDone() && line.contains(UP_MARKER)) {
                    up.complete(line.substring(line.indexOf(UP_MARKER)));
                  }
                }
              } catch (IOException e) {
                // the process is gone; waiting callers learn it from onExit below
              }
            },
            name + "-output");
    pump.setDaemon(true);
    pump.start();
    process
        .onExit()
        .thenRun(
            () ->
                up.completeExceptionally(
                    new IllegalStateException(
                        name
                            + " exited with code "
                            + process.exitValue()
                            + " before it was up; see "
                            + log)));
  }

  /** Blocks until the node printed that it is up; returns that line. */
  public String awaitUp(long timeout, TimeUnit unit) throws Exception {
    try {
      return up.get(timeout, unit);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    } catch (TimeoutException e) {
      throw new TimeoutException(
          name + " was not up within " + timeout + " " + unit + "; see " + log);
    }
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself (a drained node leaves, then exits); true if it did. */
  public boolean awaitExit(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL: the node vanishes without leaving the cluster, as a crashed machine would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the node leaves the cluster (hands its shards over), then exits. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
