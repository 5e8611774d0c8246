package io.flick.devinfra.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of every server JVM that dev-infra forks: {@code ParentWatchingMain <parentPid>
 * <realMainClass> args...}. A daemon thread polls the parent every 500 ms; once the parent is gone
 * (even killed with SIGKILL, which runs no shutdown hook) the server exits, so no orphan keeps its
 * ports and data directory. It then calls the real main class.
 *
 * <p>Uses the JDK only: it runs on a server's own classpath, copied there as a single class file.
 */
public final class ParentWatchingMain {
  static final long POLL_MILLIS = 500;

  /** How long the server's own shutdown hooks may run before the JVM is halted. */
  static final long EXIT_GRACE_MILLIS = 15_000;

  private ParentWatchingMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println(
          "usage: " + ParentWatchingMain.class.getName() + " <parentPid> <mainClass> [args...]");
      System.exit(2);
    }
    long parentPid = Long.parseLong(args[0]);
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty() || !parent.get().isAlive()) {
      System.err.println("[parent-watcher] parent process " + parentPid + " is gone; not starting");
      Runtime.getRuntime().halt(3);
    }
    ProcessHandle handle = parent.get();
    Thread watcher = new Thread(() -> watch(handle), "flick-parent-watcher");
    watcher.setDaemon(true);
    watcher.start();

    Method main =
        Class.forName(args[1], true, ClassLoader.getSystemClassLoader())
            .getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watch(ProcessHandle parent) {
    // ProcessHandle.isAlive also compares the start time, so a reused pid does not fool it
    while (parent.isAlive()) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
    System.err.println(
        "[parent-watcher] parent process " + parent.pid() + " is gone; shutting this server down");
    Thread halter =
        new Thread(
            () -> {
              try {
                Thread.sleep(EXIT_GRACE_MILLIS);
              } catch (InterruptedException ignored) {
                // halt anyway
              }
              Runtime.getRuntime().halt(1);
            },
            "flick-parent-watcher-halt");
    halter.setDaemon(true);
    halter.start();
    System.exit(1);
  }
}
