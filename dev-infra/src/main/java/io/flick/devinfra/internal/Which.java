package io.flick.devinfra.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Executable lookup on the PATH, then /usr/bin and /usr/local/bin. */
public final class Which {
  private Which() {}

  public static Optional<Path> find(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    String dirs = path + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/local/bin";
    for (String dir : dirs.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
