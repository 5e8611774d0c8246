package io.flick.studio;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dev mode's demo history: a few days of generated studio figures for the demo creators' videos, so
 * the Studio has something to plot at first open. Written under their own partition ({@link
 * #DEMO_PARTITION}, never a Kafka partition), so the stream's rows never add to them and the API
 * marks every answer that includes them ({@code demo: true}); only the demo creators get any.
 */
public final class StudioDemoHistory {
  /** The row partition of generated demo figures. */
  public static final int DEMO_PARTITION = -1;

  private static final String[] SOURCES = {
    "foryou", "following", "hashtag", "sound", "profile", "link"
  };
  private static final String[] REGIONS = {"DE", "US", "FR", "BR", "JP", "GB"};
  private static final String[] DEVICES = {"mobile", "desktop"};

  private StudioDemoHistory() {}

  /**
   * The rows of {@code days} days before {@code now} (hourly rows for the last 48 hours), for the
   * videos of {@code durationsMs} (video id → duration), seeded so a rerun writes the same figures.
   */
  public static Map<RowKey, StudioRow> generate(
      String creatorId, Map<String, Long> durationsMs, int days, Instant now, long seed) {
    Random random = new Random(seed ^ creatorId.hashCode());
    Map<RowKey, StudioRow> rows = new HashMap<>();
    Instant start = now.truncatedTo(ChronoUnit.HOURS).minus(days * 24L, ChronoUnit.HOURS);
    for (Map.Entry<String, Long> video : durationsMs.entrySet()) {
      long duration = video.getValue() > 0 ? video.getValue() : 10_000;
      for (Instant hour = start; hour.isBefore(now); hour = hour.plus(1, ChronoUnit.HOURS)) {
        int plays = random.nextInt(4 + (int) ChronoUnit.DAYS.between(start, hour));
        LocalDate day = LocalDate.ofInstant(hour, ZoneOffset.UTC);
        List<RowKey> keys =
            new ArrayList<>(
                List.of(
                    new RowKey.VideoDay(video.getKey(), day),
                    new RowKey.VideoTotal(creatorId, video.getKey()),
                    new RowKey.CreatorDay(creatorId, day)));
        if (hour.isAfter(now.minus(48, ChronoUnit.HOURS))) {
          keys.add(new RowKey.VideoHour(video.getKey(), hour));
          keys.add(new RowKey.CreatorHour(creatorId, hour));
        }
        for (int p = 0; p < plays; p++) {
          String viewer = "demo-viewer-" + random.nextInt(400);
          long watch = (long) (duration * Math.pow(random.nextDouble(), 0.6) * 1.05);
          boolean completed = watch >= duration;
          boolean liked = random.nextInt(6) == 0;
          boolean shared = random.nextInt(15) == 0;
          boolean commented = random.nextInt(20) == 0;
          String source =
              SOURCES[
                  Math.min(
                      SOURCES.length - 1,
                      (int) (random.nextDouble() * random.nextDouble() * SOURCES.length))];
          String region = REGIONS[random.nextInt(REGIONS.length)];
          String device = DEVICES[random.nextInt(10) < 7 ? 0 : 1];
          for (RowKey key : keys) {
            StudioRow row = rows.computeIfAbsent(key, k -> StudioRow.empty());
            row.creatorId = creatorId;
            row.figures.addView(viewer, false, watch, completed, duration, source, region, device);
            row.figures.likes += liked ? 1 : 0;
            row.figures.shares += shared ? 1 : 0;
            row.figures.comments += commented ? 1 : 0;
          }
        }
      }
    }
    return rows;
  }

  /** Writes {@link #generate}'s rows under the demo partition. */
  public static CompletionStage<Integer> write(
      StudioTables tables, String creatorId, Map<String, Long> durationsMs, int days, Instant now) {
    Map<RowKey, StudioRow> rows = generate(creatorId, durationsMs, days, now, 42);
    List<CompletableFuture<Void>> writes = new ArrayList<>(rows.size());
    rows.forEach(
        (key, row) ->
            writes.add(tables.write(key, DEMO_PARTITION, row, now).toCompletableFuture()));
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .thenApply(done -> rows.size());
  }
}
