package io.flick.devinfra;

import io.flick.devinfra.internal.CassandraComponent;
import io.flick.devinfra.internal.ChildProcess;
import io.flick.devinfra.internal.Component;
import io.flick.devinfra.internal.Context;
import io.flick.devinfra.internal.KafkaComponent;
import io.flick.devinfra.internal.OpenSearchComponent;
import io.flick.devinfra.internal.Ports;
import io.flick.devinfra.internal.RedisComponent;
import io.flick.devinfra.internal.S3ProxyComponent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flick's backing services on this machine: Cassandra, Kafka (KRaft), s3proxy, Redis and
 * OpenSearch, each a child process started in parallel, for dev mode and integration tests.
 *
 * <pre>{@code
 * try (DevInfra infra = DevInfra.start(DevInfraSettings.forTests(tmp, DevInfraSettings.defaultFlickHome()),
 *                                      System.out::println)) {
 *   Endpoints e = infra.endpoints();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} (or the JVM shutdown hook) stops what was started: SIGTERM, up to 20 s, then
 * SIGKILL. The JVM servers also exit by themselves within a second when this JVM dies without
 * running its hooks; a Redis left behind that way, like anything named by a pid file under
 * dataDir/pids, is stopped by the next start on the same dataDir.
 */
public final class DevInfra implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevInfra.class);

  /** How long a server may take to exit after SIGTERM before it gets SIGKILL. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private static final int LOG_TAIL_LINES = 15;

  /** Folders under dataDir that belong to dev-infra (and only those are wiped by clean). */
  private static final List<String> OWN_DIRS =
      List.of(
          "cassandra", "kafka", "s3", "redis", "opensearch", "logs", "pids", "conf", "launcher");

  private final DevInfraSettings settings;
  private final DirLock lock;
  private final List<ChildProcess> processes = new CopyOnWriteArrayList<>();
  private final Map<String, ChildProcess> servers = new ConcurrentHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private volatile Endpoints endpoints;
  // what was started and how: kept so one server can be crashed and started again (fault tests)
  private volatile List<Component> components = List.of();
  private volatile Context context;

  private DevInfra(DevInfraSettings settings, DirLock lock) {
    this.settings = settings;
    this.lock = lock;
    this.shutdownHook = new Thread(this::stopEverything, "flick-dev-infra-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts every component that is not given as an external endpoint, in parallel, and returns once
   * each answers its own protocol. {@code progress} gets one line per component as it comes up.
   *
   * @throws DevInfraException naming the component, the reason and its log (with the log's last
   *     lines) when a port is taken, a server exits or is not ready in time (Cassandra, Kafka and
   *     OpenSearch 120 s, the others 60 s); whatever had been started is stopped first
   */
  public static DevInfra start(DevInfraSettings settings, Consumer<String> progress) {
    Objects.requireNonNull(settings, "settings");
    Consumer<String> report = synchronizedReporter(progress);
    Ffmpeg ffmpeg = Ffmpeg.locate();
    settings
        .externalCassandra()
        .ifPresent(v -> externalHostPort(CassandraComponent.NAME, v, 9042, ""));
    settings
        .externalRedis()
        .ifPresent(v -> externalHostPort(RedisComponent.NAME, v, 6379, "redis://"));
    Path dataDir = settings.dataDir();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new DevInfraException("dev-infra", "cannot create data dir " + dataDir + ": " + e, e);
    }
    DirLock lock = DirLock.acquire(dataDir);
    DevInfra infra = null;
    try {
      killLeftovers(dataDir, report);
      if (settings.clean()) {
        for (String dir : OWN_DIRS) {
          deleteRecursively(dataDir.resolve(dir));
        }
      }
      for (String dir : OWN_DIRS) {
        Files.createDirectories(dataDir.resolve(dir));
      }
      Context.installLauncher(dataDir.resolve("launcher"));
      // from here on the instance owns the lock and the shutdown hook: close() releases both
      infra = new DevInfra(settings, lock);
      Context ctx =
          new Context(
              dataDir,
              settings.flickHome(),
              dataDir.resolve("launcher"),
              new AtomicBoolean(),
              infra::register);
      List<Component> components = components(settings, ctx);
      for (Component c : components) {
        c.checkInstalled();
      }
      infra.assignPorts(components);
      infra.components = List.copyOf(components);
      infra.context = ctx;
      infra.startAll(components, ctx, report);
      infra.endpoints = infra.buildEndpoints(ffmpeg, report);
      return infra;
    } catch (IOException e) {
      abandon(infra, lock);
      throw new DevInfraException("dev-infra", "cannot prepare " + dataDir + ": " + e, e);
    } catch (RuntimeException | Error e) {
      abandon(infra, lock);
      throw e;
    }
  }

  private static void abandon(DevInfra infra, DirLock lock) {
    if (infra != null) {
      infra.close();
    } else {
      lock.release();
    }
  }

  /**
   * Kills one server at once (SIGKILL: a crash, no clean shutdown) and starts it again on the same
   * ports and data dir; returns once it answers its protocol again. For fault tests: what a client
   * had acknowledged before the crash must still be there after it.
   *
   * @param component "cassandra", "kafka", "s3proxy", "redis" or "opensearch", as started by this
   *     instance
   * @throws DevInfraException when it does not come back in its start timeout
   */
  public void crashAndRestart(String component, Consumer<String> progress) {
    crash(component);
    startAgain(component, progress);
  }

  /**
   * Kills one server at once (SIGKILL) and leaves it down, for tests of what the platform does
   * without it; {@link #startAgain} brings it back on the same ports and data dir.
   */
  public void crash(String component) {
    startedComponent(component);
    ChildProcess server = servers.remove(component);
    if (server != null) {
      server.process().destroyForcibly();
      try {
        server.process().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevInfraException(component, "interrupted while crashing it", e);
      }
      processes.remove(server);
    }
  }

  /**
   * Stops one server's process where it is (SIGSTOP), as a long GC pause or a partition would: it
   * keeps its sockets, takes connections into its backlog and answers nothing until {@link #thaw}.
   */
  public void freeze(String component) {
    signal(component, "STOP");
  }

  /** Lets a server that {@link #freeze} stopped go on (SIGCONT). */
  public void thaw(String component) {
    signal(component, "CONT");
  }

  private void signal(String component, String signal) {
    startedComponent(component);
    ChildProcess server = servers.get(component);
    if (server == null) {
      throw new IllegalStateException(component + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(server.process().pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor() != 0) {
        throw new DevInfraException(
            component,
            "kill -" + signal + " failed: " + new String(kill.getInputStream().readAllBytes()));
      }
    } catch (java.io.IOException e) {
      throw new DevInfraException(component, "could not send SIG" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevInfraException(component, "interrupted while sending SIG" + signal, e);
    }
  }

  /** Starts a server that {@link #crash} stopped; returns once it answers its protocol. */
  public void startAgain(String component, Consumer<String> progress) {
    Component c = startedComponent(component);
    if (servers.containsKey(component)) {
      throw new IllegalStateException(component + " is running");
    }
    AtomicReference<DevInfraException> failure = new AtomicReference<>();
    startOne(c, context, synchronizedReporter(progress), failure);
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private Component startedComponent(String component) {
    return components.stream()
        .filter(x -> x.name().equals(component))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    component + " was not started here (external or unknown)"));
  }

  /** Where the services are. */
  public Endpoints endpoints() {
    return endpoints;
  }

  public DevInfraSettings settings() {
    return settings;
  }

  /**
   * Component name → pid of the server started for it ("cassandra", "kafka", "s3proxy", "redis",
   * "opensearch").
   */
  public Map<String, Long> pids() {
    Map<String, Long> result = new LinkedHashMap<>();
    for (String name :
        List.of(
            CassandraComponent.NAME,
            KafkaComponent.NAME,
            S3ProxyComponent.NAME,
            RedisComponent.NAME,
            OpenSearchComponent.NAME)) {
      ChildProcess p = servers.get(name);
      if (p != null) {
        result.put(name, p.pid());
      }
    }
    return result;
  }

  /**
   * Every port the started servers listen on, as "component.role" → port (e.g. "cassandra.native",
   * "cassandra.storage", "kafka.broker", "kafka.controller", "s3proxy.http", "redis.port").
   */
  public Map<String, Integer> ports() {
    synchronized (ports) {
      return Map.copyOf(ports);
    }
  }

  /** The log file of a component: dataDir/logs/&lt;component&gt;.log. */
  public Path logFile(String component) {
    return settings.dataDir().resolve("logs").resolve(component + ".log");
  }

  /** Stops everything this instance started. Idempotent. */
  @Override
  public void close() {
    stopEverything();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  // ----------------------------------------------------------------------------------------------

  private void stopEverything() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      List<Thread> stoppers = new ArrayList<>();
      for (ChildProcess p : processes) {
        Thread t = new Thread(() -> p.stop(STOP_GRACE), "flick-dev-infra-stop-" + p.name());
        t.setDaemon(true);
        t.start();
        stoppers.add(t);
      }
      for (Thread t : stoppers) {
        boolean interrupted = false;
        while (true) {
          try {
            t.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      lock.release();
    }
  }

  private void register(ChildProcess p) {
    processes.add(p);
    if (closed.get()) {
      // closed (e.g. by the shutdown hook) while this one was being launched
      p.stop(STOP_GRACE);
    }
  }

  private static List<Component> components(DevInfraSettings s, Context ctx) {
    List<Component> list = new ArrayList<>();
    if (s.externalCassandra().isEmpty()) {
      list.add(new CassandraComponent(ctx, s.cassandraPort(), s.cassandraStoragePort()));
    }
    if (s.externalKafka().isEmpty()) {
      list.add(new KafkaComponent(ctx, s.kafkaPort(), s.kafkaControllerPort()));
    }
    if (s.externalS3().isEmpty()) {
      list.add(new S3ProxyComponent(ctx, s.s3Port()));
    }
    if (s.externalRedis().isEmpty()) {
      list.add(new RedisComponent(ctx, s.redisPort()));
    }
    if (s.externalSearch().isEmpty()) {
      list.add(new OpenSearchComponent(ctx, s.searchPort(), s.searchTransportPort()));
    }
    return list;
  }

  /** Checks the fixed ports (before anything is forked), then picks free ones for the zeros. */
  private void assignPorts(List<Component> components) {
    Set<Integer> taken = new HashSet<>();
    Map<Integer, String> owners = new LinkedHashMap<>();
    for (Component c : components) {
      for (Map.Entry<String, Integer> e : c.ports().entrySet()) {
        int port = e.getValue();
        if (port == 0) {
          continue;
        }
        String who = c.name() + " " + e.getKey() + " port";
        String previous = owners.putIfAbsent(port, who);
        if (previous != null) {
          throw new DevInfraException(
              c.name(), "port " + port + " is configured both as " + previous + " and as " + who);
        }
        if (!Ports.isFree(port)) {
          throw new DevInfraException(
              c.name(),
              "port "
                  + port
                  + " ("
                  + e.getKey()
                  + ") on "
                  + Ports.LOOPBACK
                  + " is already in use by another process; stop that process (e.g. a dev"
                  + " infra still running elsewhere: `ss -ltnp | grep :"
                  + port
                  + "`), or choose another port (0 = any free port), or point Flick at an external "
                  + c.name()
                  + " instead");
        }
        taken.add(port);
      }
    }
    for (Component c : components) {
      for (Map.Entry<String, Integer> e : c.ports().entrySet()) {
        if (e.getValue() == 0) {
          int port = Ports.pickFree(taken);
          taken.add(port);
          e.setValue(port);
        }
      }
    }
    synchronized (ports) {
      for (Component c : components) {
        c.ports().forEach((role, port) -> ports.put(c.name() + "." + role, port));
      }
    }
  }

  private void startAll(List<Component> components, Context ctx, Consumer<String> report) {
    AtomicReference<DevInfraException> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (Component c : components) {
      Thread t =
          new Thread(() -> startOne(c, ctx, report, failure), "flick-dev-infra-start-" + c.name());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          ctx.aborted().set(true);
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(
          null, new DevInfraException("dev-infra", "interrupted while starting; stopped again"));
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /** The variable that raises every server's start timeout (seconds), for a loaded machine. */
  public static final String START_TIMEOUT_VARIABLE = "FLICK_INFRA_START_TIMEOUT";

  /**
   * How long {@code c} may take to be ready: its own figure (ample on a quiet 2-core box), or more
   * when {@value #START_TIMEOUT_VARIABLE} says so (a CI runner or a box shared with other builds).
   */
  static Duration startTimeout(Component c) {
    return startTimeout(c.timeout(), System.getenv(START_TIMEOUT_VARIABLE));
  }

  static Duration startTimeout(Duration own, String variable) {
    if (variable == null || variable.isBlank()) {
      return own;
    }
    try {
      Duration asked = Duration.ofSeconds(Long.parseLong(variable.strip()));
      return asked.compareTo(own) > 0 ? asked : own;
    } catch (NumberFormatException e) {
      throw new DevInfraException(
          "dev-infra", START_TIMEOUT_VARIABLE + " must be a number of seconds, not " + variable);
    }
  }

  private void startOne(
      Component c,
      Context ctx,
      Consumer<String> report,
      AtomicReference<DevInfraException> failure) {
    long t0 = System.nanoTime();
    Duration timeout = startTimeout(c);
    long deadline = t0 + timeout.toNanos();
    try {
      ChildProcess server = c.launch(deadline);
      servers.put(c.name(), server);
      String lastProblem = "no answer yet";
      while (true) {
        if (ctx.aborted().get()) {
          return;
        }
        if (!server.isAlive()) {
          fail(
              c,
              ctx,
              failure,
              "exited with code "
                  + server.process().exitValue()
                  + " after "
                  + seconds(t0)
                  + " s, before it was ready"
                  + c.failureHint());
          return;
        }
        try {
          String answer = c.probe();
          String line =
              String.format(
                  "%-10s ready on %s in %s s%s",
                  c.name(), c.address(), seconds(t0), c.readyDetail(answer));
          report.accept(line);
          return;
        } catch (IOException e) {
          lastProblem = e.toString();
        }
        if (System.nanoTime() > deadline) {
          fail(
              c,
              ctx,
              failure,
              "not ready after "
                  + timeout.toSeconds()
                  + " s (pid "
                  + server.pid()
                  + ", last probe of "
                  + c.address()
                  + ": "
                  + lastProblem
                  + "; on a busy machine "
                  + START_TIMEOUT_VARIABLE
                  + "=<seconds> allows more)"
                  + c.failureHint());
          return;
        }
        Thread.sleep(250);
      }
    } catch (Context.Aborted | InterruptedException e) {
      // another component failed; its failure is the one reported
    } catch (DevInfraException e) {
      failure.compareAndSet(null, e);
      ctx.aborted().set(true);
    } catch (IOException | RuntimeException e) {
      fail(c, ctx, failure, "could not be started: " + e + c.failureHint());
    }
  }

  private static void fail(
      Component c, Context ctx, AtomicReference<DevInfraException> failure, String reason) {
    Path logFile = c.log();
    String message =
        reason
            + "\n  log: "
            + logFile
            + "\n  last lines of the log:\n"
            + ChildProcess.tail(logFile, LOG_TAIL_LINES).indent(4).stripTrailing();
    failure.compareAndSet(null, new DevInfraException(c.name(), message));
    ctx.aborted().set(true);
  }

  private Endpoints buildEndpoints(Ffmpeg ffmpeg, Consumer<String> report) {
    DevInfraSettings s = settings;
    String cassandraHost = Ports.LOOPBACK;
    int cassandraPort;
    if (s.externalCassandra().isPresent()) {
      HostPort hp =
          externalHostPort(CassandraComponent.NAME, s.externalCassandra().get(), 9042, "");
      cassandraHost = hp.host();
      cassandraPort = hp.port();
      report.accept(external(CassandraComponent.NAME, s.externalCassandra().get()));
    } else {
      cassandraPort = port(CassandraComponent.NAME + "." + CassandraComponent.NATIVE);
    }
    String kafka;
    if (s.externalKafka().isPresent()) {
      kafka = s.externalKafka().get();
      report.accept(external(KafkaComponent.NAME, kafka));
    } else {
      kafka = Ports.LOOPBACK + ":" + port(KafkaComponent.NAME + "." + KafkaComponent.BROKER);
    }
    String s3;
    String accessKey = S3ProxyComponent.ACCESS_KEY;
    String secretKey = S3ProxyComponent.SECRET_KEY;
    String region = S3ProxyComponent.REGION;
    if (s.externalS3().isPresent()) {
      s3 = s.externalS3().get();
      accessKey = env("FLICK_S3_ACCESS_KEY").orElse(accessKey);
      secretKey = env("FLICK_S3_SECRET_KEY").orElse(secretKey);
      region = env("FLICK_S3_REGION").orElse(region);
      report.accept(external(S3ProxyComponent.NAME, s3));
    } else {
      s3 =
          "http://"
              + Ports.LOOPBACK
              + ":"
              + port(S3ProxyComponent.NAME + "." + S3ProxyComponent.HTTP);
    }
    String redisHost = Ports.LOOPBACK;
    int redisPort;
    if (s.externalRedis().isPresent()) {
      HostPort hp =
          externalHostPort(RedisComponent.NAME, s.externalRedis().get(), 6379, "redis://");
      redisHost = hp.host();
      redisPort = hp.port();
      report.accept(external(RedisComponent.NAME, s.externalRedis().get()));
    } else {
      redisPort = port(RedisComponent.NAME + "." + RedisComponent.PORT);
    }
    String search;
    if (s.externalSearch().isPresent()) {
      search = s.externalSearch().get();
      report.accept(external(OpenSearchComponent.NAME, search));
    } else {
      search =
          "http://"
              + Ports.LOOPBACK
              + ":"
              + port(OpenSearchComponent.NAME + "." + OpenSearchComponent.HTTP);
    }
    return new Endpoints(
        cassandraHost,
        cassandraPort,
        "datacenter1",
        kafka,
        s3,
        accessKey,
        secretKey,
        region,
        redisHost,
        redisPort,
        ffmpeg.ffmpeg(),
        ffmpeg.ffprobe(),
        search);
  }

  private static HostPort externalHostPort(
      String component, String value, int defaultPort, String scheme) {
    try {
      return HostPort.parse(value, defaultPort, scheme);
    } catch (IllegalArgumentException e) {
      throw new DevInfraException(
          component, "external endpoint '" + value + "' is not host:port (" + e.getMessage() + ")");
    }
  }

  private int port(String key) {
    synchronized (ports) {
      return ports.get(key);
    }
  }

  private static String external(String name, String endpoint) {
    return String.format("%-10s external at %s (not started)", name, endpoint);
  }

  private static Optional<String> env(String name) {
    return Optional.ofNullable(System.getenv(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static String seconds(long t0) {
    return String.format("%.1f", (System.nanoTime() - t0) / 1e9);
  }

  private static Consumer<String> synchronizedReporter(Consumer<String> progress) {
    Object monitor = new Object();
    return line -> {
      log.debug("{}", line);
      if (progress != null) {
        synchronized (monitor) {
          progress.accept(line);
        }
      }
    };
  }

  private static void killLeftovers(Path dataDir, Consumer<String> report) throws IOException {
    Path pids = dataDir.resolve("pids");
    if (!Files.isDirectory(pids)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(pids)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".pid")).toList();
    }
    List<Thread> killers = new ArrayList<>();
    for (Path f : files) {
      Thread t =
          new Thread(
              () -> ChildProcess.killStale(f, dataDir, STOP_GRACE, report),
              "flick-dev-infra-stale-" + f.getFileName());
      t.start();
      killers.add(t);
    }
    for (Thread t : killers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevInfraException("dev-infra", "interrupted while stopping left-over servers");
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** "host:port" (a scheme prefix allowed), with a default port. */
  record HostPort(String host, int port) {
    static HostPort parse(String value, int defaultPort, String scheme) {
      String v = value.trim();
      if (!scheme.isEmpty() && v.startsWith(scheme)) {
        v = v.substring(scheme.length());
      }
      int slash = v.indexOf('/');
      if (slash >= 0) {
        v = v.substring(0, slash);
      }
      try {
        if (v.startsWith("[")) { // [ipv6]:port
          int close = v.indexOf(']');
          String host = v.substring(1, close);
          return v.length() > close + 2 && v.charAt(close + 1) == ':'
              ? new HostPort(host, Integer.parseInt(v.substring(close + 2)))
              : new HostPort(host, defaultPort);
        }
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.indexOf(':') == colon) {
          return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        }
        return new HostPort(v, defaultPort);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a host:port: " + value, e);
      }
    }
  }

  /** An exclusive lock on dataDir/devinfra.lock: one DevInfra per data dir at a time. */
  static final class DirLock {
    private final Path file;
    private final FileChannel channel;
    private final FileLock fileLock;
    private final AtomicBoolean released = new AtomicBoolean();

    private DirLock(Path file, FileChannel channel, FileLock fileLock) {
      this.file = file;
      this.channel = channel;
      this.fileLock = fileLock;
    }

    static DirLock acquire(Path dataDir) {
      Path file = dataDir.resolve("devinfra.lock");
      FileChannel channel = null;
      try {
        channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          String holder = "";
          try {
            holder = " (pid " + Files.readString(file, StandardCharsets.UTF_8).trim() + ")";
          } catch (IOException ignored) {
            // unknown holder
          }
          channel.close();
          throw new DevInfraException(
              "dev-infra",
              "data dir "
                  + dataDir
                  + " is in use by another running dev infra"
                  + holder
                  + "; stop it or use another data dir");
        }
        channel.truncate(0);
        channel.write(
            ByteBuffer.wrap(
                (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(false);
        return new DirLock(file, channel, lock);
      } catch (IOException e) {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException ignored) {
            // already failing
          }
        }
        throw new DevInfraException("dev-infra", "cannot lock " + file + ": " + e, e);
      }
    }

    void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      try {
        Files.deleteIfExists(file);
        fileLock.release();
        channel.close();
      } catch (IOException ignored) {
        // the lock dies with the channel anyway
      }
    }
  }
}
