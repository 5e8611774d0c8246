package io.flick.devinfra.internal;

import io.flick.devinfra.DevInfraException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the components share while starting: folders, the parent-watching launcher, the abort flag
 * and where to register each process as soon as it exists.
 */
public record Context(
    Path dataDir,
    Path flickHome,
    Path launcherDir,
    AtomicBoolean aborted,
    Consumer<ChildProcess> started) {

  /** Thrown inside a starter thread when another component failed and the start is abandoned. */
  public static final class Aborted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Aborted() {
      super("aborted", null, false, false);
    }
  }

  public Path logs() {
    return dataDir.resolve("logs");
  }

  public Path pids() {
    return dataDir.resolve("pids");
  }

  public Path conf() {
    return dataDir.resolve("conf");
  }

  public Path logOf(String component) {
    return logs().resolve(component + ".log");
  }

  public Path pidFileOf(String process) {
    return pids().resolve(process + ".pid");
  }

  /** The jars of flickHome/infra/&lt;infraModule&gt;/target/lib, sorted by name. */
  public List<Path> serverJars(String component, String infraModule) {
    Path lib = flickHome.resolve("infra").resolve(infraModule).resolve("target").resolve("lib");
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(lib)) {
      try (Stream<Path> s = Files.list(lib)) {
        s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
      } catch (IOException e) {
        throw new DevInfraException(component, "cannot list " + lib + ": " + e, e);
      }
    }
    if (jars.isEmpty()) {
      throw new DevInfraException(
          component,
          "its server classpath "
              + lib
              + " is missing or empty; build it with `mvn -q -f "
              + flickHome.relativize(flickHome.resolve("infra").resolve(infraModule))
              + "/pom.xml generate-resources` in "
              + flickHome
              + " (or any reactor build that includes infra/"
              + infraModule
              + ")");
    }
    return jars;
  }

  /**
   * A java command line that runs {@code mainClass} through {@link ParentWatchingMain}, so the
   * server exits when this JVM is gone.
   */
  public List<String> jvmCommand(
      JavaRuntime java,
      List<String> jvmOptions,
      List<Path> classpath,
      String mainClass,
      List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.executable().toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Dflick.devinfra.dataDir=" + dataDir);
    cmd.add("-cp");
    List<String> cp = new ArrayList<>();
    classpath.forEach(p -> cp.add(p.toString()));
    cp.add(launcherDir.toString());
    cmd.add(String.join(File.pathSeparator, cp));
    cmd.add(ParentWatchingMain.class.getName());
    cmd.add(Long.toString(ProcessHandle.current().pid()));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** A command line for the log header, with the long classpath shortened. */
  public static String describe(List<String> command) {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0 && cp + 1 < shown.size()) {
      String[] entries = shown.get(cp + 1).split(File.pathSeparator);
      Path first = Path.of(entries[0]);
      shown.set(
          cp + 1, "<" + (entries.length - 1) + " jars of " + first.getParent() + " + launcher>");
    }
    return String.join(" ", shown);
  }

  /** Launches a process, registering it at once so that it is stopped whatever happens next. */
  public ChildProcess launch(
      String name, List<String> command, Path workDir, Map<String, String> env, Path pidFile)
      throws IOException {
    if (aborted.get()) {
      throw new Aborted();
    }
    Files.createDirectories(workDir);
    ChildProcess p =
        ChildProcess.launch(name, command, workDir, env, logOf(name), pidFile, describe(command));
    started.accept(p);
    return p;
  }

  /**
   * Copies {@link ParentWatchingMain}'s class file into {@code dir}, which then goes on the
   * servers' classpaths: the servers see that one class and none of this JVM's (possibly shaded)
   * jars.
   */
  public static void installLauncher(Path dir) throws IOException {
    String resource = ParentWatchingMain.class.getName().replace('.', '/') + ".class";
    Path target = dir.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = ParentWatchingMain.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("class file " + resource + " not found on this classpath");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
