package io.flick.transcode.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Small helpers around ffmpeg/ffprobe child processes. */
final class Processes {

  private Processes() {}

  /**
   * True when the exit code says the process ended because of a signal: the JDK reports 128+N for a
   * process killed by signal N, and ffmpeg exits 255 after it catches SIGINT/SIGTERM.
   */
  static boolean diedBySignal(int exitCode, String log) {
    if (exitCode > 128 && exitCode < 128 + 65) {
      return true;
    }
    return exitCode == 255 && log.contains("received signal");
  }

  /** The last {@code maxChars} characters of a log file, empty if it cannot be read. */
  static String tail(Path file, int maxChars) {
    if (file == null) {
      return "";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long len = raf.length();
      long start = Math.max(0, len - maxChars);
      byte[] buf = new byte[(int) (len - start)];
      raf.seek(start);
      raf.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills the process (SIGKILL) and waits briefly for it to be reaped. */
  static void kill(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover temp file is not worth failing for
    }
  }

  /** The last non-blank line of a log, for short messages. */
  static String lastLine(String log) {
    String[] lines = log.strip().split("\\R");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }
}
