package io.flick.devinfra.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One server dev-infra starts. */
public abstract class Component {
  protected final String name;
  protected final Context ctx;

  /** role ("native", "broker"...) → port; 0 until resolved when configured as 0. */
  protected final Map<String, Integer> ports = new LinkedHashMap<>();

  protected Component(String name, Context ctx) {
    this.name = name;
    this.ctx = ctx;
  }

  public String name() {
    return name;
  }

  /** Ports by role, in the order they are checked; the caller fills in the free ports for 0. */
  public Map<String, Integer> ports() {
    return ports;
  }

  public java.nio.file.Path log() {
    return ctx.logOf(name);
  }

  /** Fails with a DevInfraException when the server's jars or binary are missing. */
  public abstract void checkInstalled();

  /**
   * Writes the configuration, prepares storage if needed and launches the server (registered with
   * the context as soon as it exists). May block until {@code deadlineNanos} for a preparation
   * step.
   */
  public abstract ChildProcess launch(long deadlineNanos) throws IOException, InterruptedException;

  /** One readiness check: a short description when ready, IOException otherwise. */
  public abstract String probe() throws IOException;

  public abstract Duration timeout();

  /** "127.0.0.1:9042" or the URL. */
  public abstract String address();

  /** Appended to the "ready" line, e.g. " (Cassandra 5.0.9, java 17 ...)". */
  public String readyDetail(String probeResult) {
    return "";
  }

  /** Appended to a failure message when there is a likely cause to point at. */
  public String failureHint() {
    return "";
  }

  /** Waits for a preparation process, watching the abort flag and the deadline. */
  protected int waitFor(ChildProcess p, long deadlineNanos, String what)
      throws InterruptedException, IOException {
    while (p.isAlive()) {
      if (ctx.aborted().get()) {
        p.stop(Duration.ofSeconds(5));
        throw new Context.Aborted();
      }
      if (System.nanoTime() > deadlineNanos) {
        p.stop(Duration.ofSeconds(5));
        throw new IOException(what + " did not finish in time");
      }
      p.process().waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    return p.process().exitValue();
  }
}
