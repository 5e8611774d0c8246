package io.flick.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flick.proto.events.Interaction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The studio's aggregation against a direct computation over a generated event set: N viewers,
 * watch times, completions, regions, devices, sources, likes (with outbox republishes), unlikes,
 * comments, shares; then the same events delivered twice and a consumer restarted mid-stream.
 */
class PartitionAggregatorTest {
  static final String CREATOR = "creator-1";
  static final List<String> VIDEOS = List.of("v1", "v2", "v3");
  static final Map<String, Long> DURATION = Map.of("v1", 15_000L, "v2", 60_000L, "v3", 180_000L);
  static final Instant DAY1 = Instant.parse("2026-12-01T10:00:00Z");
  static final String[] REGIONS = {"US", "DE", "BR", "ZZ"};
  static final String[] DEVICES = {"mobile", "desktop"};
  static final String[] SOURCES = {"foryou", "following", "hashtag", "sound", "profile", "search"};

  /** The generated stream: records at offsets 0…, likes republished under their id. */
  static List<PartitionAggregator.Record> generate(int viewers, int events, long seed) {
    Random random = new Random(seed);
    List<PartitionAggregator.Record> records = new ArrayList<>();
    List<Interaction> likes = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      String video = VIDEOS.get(random.nextInt(VIDEOS.size()));
      Instant at = DAY1.plusSeconds(random.nextInt(3 * 24 * 3600));
      String viewer = "user-" + random.nextInt(viewers);
      Interaction.Builder e =
          Interaction.newBuilder()
              .setVideoId(video)
              .setCreatorId(CREATOR)
              .setUserId(random.nextInt(10) == 0 ? "" : viewer) // some anonymous
              .setAtEpochMs(at.toEpochMilli())
              .setEventId("e" + i);
      int kind = random.nextInt(20);
      if (kind < 14) {
        long duration = DURATION.get(video);
        long watch = (long) (random.nextDouble() * duration * 1.1);
        e.setKind(Interaction.Kind.VIEW)
            .setWatchMs(watch)
            .setCompleted(watch >= duration)
            .setDurationMs(duration)
            .setRepeat(random.nextInt(8) == 0)
            .setRegion(REGIONS[random.nextInt(REGIONS.length)])
            .setDevice(DEVICES[random.nextInt(DEVICES.length)])
            .setSource(SOURCES[random.nextInt(SOURCES.length)]);
      } else if (kind < 16) {
        e.setKind(Interaction.Kind.LIKE);
        likes.add(e.build());
      } else if (kind < 17 && !likes.isEmpty()) {
        // an unlike names no creator: the stream resolves it from the video
        Interaction liked = likes.get(random.nextInt(likes.size()));
        e.setKind(Interaction.Kind.UNLIKE).setVideoId(liked.getVideoId()).setCreatorId("");
      } else if (kind < 18) {
        e.setKind(Interaction.Kind.SHARE);
      } else if (kind < 19) {
        e.setKind(Interaction.Kind.COMMENT);
      } else {
        e.setKind(Interaction.Kind.COMMENT_DELETED);
      }
      records.add(new PartitionAggregator.Record(records.size(), e.build()));
      // an outbox restart republishes a like under the same id, a little later in the partition
      if (kind >= 14 && kind < 16 && random.nextInt(5) == 0) {
        records.add(new PartitionAggregator.Record(records.size(), e.build()));
      }
    }
    return records;
  }

  /** A consumer's rows, kept in memory as the table keeps them (copied in and out). */
  static final class Consumer {
    final Map<RowKey, StudioRow> stored;
    final Map<String, String> creators =
        new HashMap<>(Map.of("v1", CREATOR, "v2", CREATOR, "v3", CREATOR));

    Consumer(Map<RowKey, StudioRow> stored) {
      this.stored = stored;
    }

    void consume(List<PartitionAggregator.Record> batch) {
      Map<RowKey, StudioRow> rows = new HashMap<>();
      for (PartitionAggregator.Record r : batch) {
        String creator = creators.get(r.event().getVideoId());
        for (RowKey key :
            PartitionAggregator.rowsOf(r.event(), java.util.Optional.ofNullable(creator))) {
          rows.computeIfAbsent(key, k -> copy(k, stored.getOrDefault(k, StudioRow.empty())));
        }
      }
      for (RowKey key : PartitionAggregator.apply(batch, rows, creators)) {
        stored.put(key, copy(key, rows.get(key)));
      }
    }
  }

  /**
   * A row as a store round trip gives it (serialized sketch; retention and breakdowns only on the
   * rows that store them).
   */
  static StudioRow copy(RowKey key, StudioRow row) {
    Figures f = row.figures;
    boolean detailed = key.detailed();
    return new StudioRow(
        Figures.of(
            f.views,
            f.plays,
            f.watchMs,
            f.completed,
            f.likes,
            f.comments,
            f.shares,
            f.viewersBytes(),
            detailed ? f.retention : new long[Figures.RETENTION_POINTS],
            detailed ? f.sources : Map.of(),
            detailed ? f.regions : Map.of(),
            detailed ? f.devices : Map.of()),
        row.creatorId,
        row.throughOffset,
        row.recentIds);
  }

  static void consumeInBatches(
      Consumer consumer, List<PartitionAggregator.Record> records, int size) {
    for (int i = 0; i < records.size(); i += size) {
      consumer.consume(records.subList(i, Math.min(records.size(), i + size)));
    }
  }

  /** The direct computation: each distinct event id once. */
  static Map<String, Object> expected(
      List<PartitionAggregator.Record> records, String video, LocalDate day) {
    return expected(records, video, day, null);
  }

  /** The same over the events of one hour (when {@code hour} is not null). */
  static Map<String, Object> expected(
      List<PartitionAggregator.Record> records, String video, LocalDate day, Instant hour) {
    Set<String> seen = new HashSet<>();
    long views = 0, plays = 0, watch = 0, completed = 0, likes = 0, comments = 0, shares = 0;
    Set<String> viewers = new HashSet<>();
    long[] retention = new long[21];
    Map<String, Long> sources = new TreeMap<>(),
        regions = new TreeMap<>(),
        devices = new TreeMap<>();
    for (PartitionAggregator.Record r : records) {
      Interaction e = r.event();
      if (!seen.add(e.getEventId())) {
        continue;
      }
      if (video != null && !e.getVideoId().equals(video)) {
        continue;
      }
      if (day != null
          && !LocalDate.ofInstant(Instant.ofEpochMilli(e.getAtEpochMs()), ZoneOffset.UTC)
              .equals(day)) {
        continue;
      }
      if (hour != null
          && !Instant.ofEpochMilli(e.getAtEpochMs()).truncatedTo(ChronoUnit.HOURS).equals(hour)) {
        continue;
      }
      switch (e.getKind()) {
        case VIEW -> {
          plays++;
          views += e.getRepeat() ? 0 : 1;
          watch += e.getWatchMs();
          completed += e.getCompleted() ? 1 : 0;
          if (!e.getUserId().isEmpty()) {
            viewers.add(e.getUserId());
          }
          for (int i = 0; i <= 20; i++) {
            if (e.getCompleted() || e.getWatchMs() >= e.getDurationMs() * i / 20.0) {
              retention[i]++;
            }
          }
          sources.merge(e.getSource(), 1L, Long::sum);
          regions.merge(e.getRegion(), 1L, Long::sum);
          devices.merge(e.getDevice(), 1L, Long::sum);
        }
        case LIKE -> likes++;
        case UNLIKE -> likes--;
        case SHARE -> shares++;
        case COMMENT -> comments++;
        case COMMENT_DELETED -> comments--;
        default -> {}
      }
    }
    Map<String, Object> m = new HashMap<>();
    m.put("views", views);
    m.put("plays", plays);
    m.put("watchMs", watch);
    m.put("completed", completed);
    m.put("likes", likes);
    m.put("comments", comments);
    m.put("shares", shares);
    m.put("viewers", (long) viewers.size());
    m.put("retention", retention);
    m.put("sources", sources);
    m.put("regions", regions);
    m.put("devices", devices);
    return m;
  }

  static void assertFigures(Map<String, Object> expected, Figures actual, String what) {
    assertFigures(expected, actual, what, true);
  }

  /** Without {@code detailed}, the scalars and viewers only (what a narrow row stores). */
  static void assertFigures(
      Map<String, Object> expected, Figures actual, String what, boolean detailed) {
    assertEquals(expected.get("views"), actual.views(), what + " views");
    assertEquals(expected.get("plays"), actual.plays(), what + " plays");
    assertEquals(expected.get("watchMs"), actual.watchMs(), what + " watch time");
    assertEquals(expected.get("completed"), actual.completed(), what + " completed");
    assertEquals(expected.get("likes"), actual.likes(), what + " likes");
    assertEquals(expected.get("comments"), actual.comments(), what + " comments");
    assertEquals(expected.get("shares"), actual.shares(), what + " shares");
    if (detailed) {
      assertArrayEquals(
          (long[]) expected.get("retention"), actual.retentionCounts(), what + " retention");
      assertEquals(expected.get("sources"), new TreeMap<>(actual.sources()), what + " sources");
      assertEquals(expected.get("regions"), new TreeMap<>(actual.regions()), what + " regions");
      assertEquals(expected.get("devices"), new TreeMap<>(actual.devices()), what + " devices");
    }
    long viewers = (long) expected.get("viewers");
    // the sketch's stated error: RSE 1.6 % at lgK 12; allow 3 standard errors
    double tolerance = Math.max(1, viewers * 3 * 1.04 / Math.sqrt(1 << Figures.LG_K));
    assertTrue(
        Math.abs(actual.uniqueViewers() - viewers) <= tolerance,
        what + " unique viewers " + actual.uniqueViewers() + " vs " + viewers);
  }

  static void assertAll(Map<RowKey, StudioRow> stored, List<PartitionAggregator.Record> records) {
    for (String video : VIDEOS) {
      assertFigures(
          expected(records, video, null),
          stored.get(new RowKey.VideoTotal(CREATOR, video)).figures(),
          video,
          false);
      for (int d = 0; d < 3; d++) {
        LocalDate day = LocalDate.ofInstant(DAY1, ZoneOffset.UTC).plusDays(d);
        assertFigures(
            expected(records, video, day),
            stored.get(new RowKey.VideoDay(video, day)).figures(),
            video + " on " + day);
      }
      // the video's hours (the studio's 48-hour view): each equals its events, and they cover all
      List<Figures> hours = new ArrayList<>();
      for (Map.Entry<RowKey, StudioRow> e : stored.entrySet()) {
        if (e.getKey() instanceof RowKey.VideoHour k && k.videoId().equals(video)) {
          assertFigures(
              expected(records, video, null, k.hour()),
              e.getValue().figures(),
              video + " at " + k.hour());
          hours.add(e.getValue().figures());
        }
      }
      assertTrue(hours.size() > 24, video + " has rows of " + hours.size() + " hours");
      assertFigures(
          expected(records, video, null), Figures.merged(hours), video + " over its hours");
    }
    List<Figures> days = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      StudioRow row =
          stored.get(
              new RowKey.CreatorDay(
                  CREATOR, LocalDate.ofInstant(DAY1, ZoneOffset.UTC).plusDays(d)));
      if (row != null) {
        days.add(row.figures());
      }
    }
    assertFigures(
        expected(records, null, null), Figures.merged(days), "creator over the days", false);
    List<Figures> hours =
        stored.entrySet().stream()
            .filter(e -> e.getKey() instanceof RowKey.CreatorHour)
            .map(e -> e.getValue().figures())
            .toList();
    assertFigures(
        expected(records, null, null), Figures.merged(hours), "creator over the hours", false);
  }

  @Test
  void everyAggregateEqualsTheDirectComputation() {
    List<PartitionAggregator.Record> records = generate(5_000, 40_000, 1);
    Consumer consumer = new Consumer(new HashMap<>());
    consumeInBatches(consumer, records, 500);
    assertAll(consumer.stored, records);
  }

  @Test
  void sameEventsDeliveredTwiceAreCountedOnce() {
    List<PartitionAggregator.Record> records = generate(300, 5_000, 2);
    Consumer consumer = new Consumer(new HashMap<>());
    consumeInBatches(consumer, records, 100);
    // the whole partition again, cut differently (a consumer that resumed from an old offset)
    consumeInBatches(consumer, records, 333);
    // and a stretch in the middle once more
    consumer.consume(records.subList(1_000, 2_500));
    assertAll(consumer.stored, records);
  }

  @Test
  void aConsumerStoppedMidStreamAndRestartedIsStillExact() {
    List<PartitionAggregator.Record> records = generate(300, 5_000, 3);
    Map<RowKey, StudioRow> table = new HashMap<>();
    Consumer first = new Consumer(table);
    consumeInBatches(first, records.subList(0, 2_750), 250);
    // the crash: some rows of the last batch were written, the stored offset is older (1,500);
    // the new consumer knows nothing but the table and the offset
    Map<RowKey, StudioRow> crashed = new HashMap<>(table);
    Consumer restarted = new Consumer(crashed);
    restarted.creators.clear();
    restarted.creators.putAll(Map.of("v1", CREATOR, "v2", CREATOR, "v3", CREATOR));
    consumeInBatches(restarted, records.subList(1_500, records.size()), 400);
    assertAll(crashed, records);
  }
}
