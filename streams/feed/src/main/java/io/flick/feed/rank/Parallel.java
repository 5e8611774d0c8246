package io.flick.feed.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A parallel for-loop over {@code 0..n-1} on a fixed number of plain threads (the offline
 * evaluation's models and the {@link ItemItemTable} fit).
 */
public final class Parallel {
  private Parallel() {}

  /** Runs {@code body} for every index, in chunks shared among {@code threads} threads. */
  public static void forEach(int threads, int n, IntConsumer body) {
    int t = Math.max(1, Math.min(threads, n));
    if (t == 1) {
      for (int i = 0; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    int chunk = Math.max(1, n / (t * 16));
    AtomicInteger next = new AtomicInteger();
    List<Thread> started = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int k = 0; k < t; k++) {
      Thread thread =
          new Thread(
              () -> {
                for (int from = next.getAndAdd(chunk); from < n; from = next.getAndAdd(chunk)) {
                  for (int i = from; i < Math.min(n, from + chunk); i++) {
                    body.accept(i);
                  }
                }
              },
              "flick-parallel-" + k);
      thread.setUncaughtExceptionHandler(
          (th, e) -> {
            synchronized (failures) {
              failures.add(e);
            }
          });
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      if (first instanceof RuntimeException re) {
        throw re;
      }
      if (first instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(first);
    }
  }
}
