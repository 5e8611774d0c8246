package io.flick.devinfra.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A java executable and its feature version (17, 21, 25...; 0 when unknown). */
public record JavaRuntime(Path executable, int feature, String origin) {

  public boolean supportsCassandra() {
    return feature == 11 || feature == 17;
  }

  public String describe() {
    return "java " + (feature == 0 ? "?" : feature) + " " + executable;
  }

  /** The java running this JVM. */
  public static JavaRuntime current() {
    Path exe =
        ProcessHandle.current()
            .info()
            .command()
            .map(Path::of)
            .filter(Files::isExecutable)
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
    return new JavaRuntime(exe, Runtime.version().feature(), "this JVM");
  }

  /**
   * The java to run Cassandra 5.0 with, which supports only Java 11 and 17: env
   * FLICK_CASSANDRA_JAVA_HOME when set; else this JVM when it is 11 or 17; else a JDK 17 (then 11)
   * under JAVA_HOME or /usr/lib/jvm; else this JVM (which Cassandra will probably refuse).
   */
  public static JavaRuntime forCassandra() {
    String configured = System.getenv("FLICK_CASSANDRA_JAVA_HOME");
    if (configured != null && !configured.isBlank()) {
      Path home = Path.of(configured.trim());
      return new JavaRuntime(
          home.resolve("bin").resolve("java"), featureOf(home), "FLICK_CASSANDRA_JAVA_HOME");
    }
    JavaRuntime current = current();
    if (current.supportsCassandra()) {
      return current;
    }
    List<Path> homes = new ArrayList<>();
    Optional.ofNullable(System.getenv("JAVA_HOME"))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .ifPresent(homes::add);
    Path jvmDir = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvmDir)) {
      try (Stream<Path> s = Files.list(jvmDir)) {
        s.sorted(Comparator.naturalOrder()).forEach(homes::add);
      } catch (IOException ignored) {
        // none found there
      }
    }
    for (int wanted : new int[] {17, 11}) {
      for (Path home : homes) {
        Path java = home.resolve("bin").resolve("java");
        if (Files.isExecutable(java) && featureOf(home) == wanted) {
          return new JavaRuntime(java, wanted, home.toString());
        }
      }
    }
    return current;
  }

  /** The feature version from a JDK's "release" file (JAVA_VERSION="17.0.15"), 0 if unknown. */
  static int featureOf(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
          if (v.startsWith("1.")) {
            v = v.substring(2);
          }
          int end = 0;
          while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
          }
          return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // unknown
    }
    return 0;
  }
}
