package io.flick.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's /proc: of one process (user + system, its threads, not its children), and
 * of the whole machine (busy and total), so a bench can say what a request cost each JVM.
 */
public final class ProcessCpu {
  // USER_HZ: /proc counts in clock ticks of 10 ms on Linux
  private static final double MS_PER_TICK = 10;

  private ProcessCpu() {}

  /** CPU milliseconds {@code pid} has used so far; 0 once it is gone. */
  public static double millis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // fields after the command name (which may hold spaces) from its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  /** The machine's {busy, total} CPU milliseconds so far, all cores. */
  public static double[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new double[] {(total - idle) * MS_PER_TICK, total * MS_PER_TICK};
    } catch (IOException | RuntimeException e) {
      return new double[] {0, 0};
    }
  }

  /** The load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
