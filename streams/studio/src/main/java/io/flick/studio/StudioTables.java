package io.flick.studio;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The studio's Cassandra tables (V008__studio.cql): rows by key, offsets, follows. */
public final class StudioTables {
  public static final Duration DAILY_TTL = Duration.ofDays(400);
  public static final Duration HOURLY_TTL = Duration.ofDays(4);

  private static final String FIGURES =
      "views, plays, watch_ms, completed, likes, comments, shares, viewers, retention, sources,"
          + " regions, devices, through_offset";
  private static final String FIGURE_MARKS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

  private final CqlSession cql;
  private final PreparedStatement readVideoDay;
  private final PreparedStatement writeVideoDay;
  private final PreparedStatement readVideoTotal;
  private final PreparedStatement writeVideoTotal;
  private final PreparedStatement readCreatorTotals;
  private final PreparedStatement readCreatorDay;
  private final PreparedStatement writeCreatorDay;
  private final PreparedStatement readCreatorHour;
  private final PreparedStatement readCreatorHours;
  private final PreparedStatement writeCreatorHour;
  private final PreparedStatement readOffsets;
  private final PreparedStatement writeOffset;
  private final PreparedStatement readCreator;
  private final PreparedStatement writeCreator;
  private final PreparedStatement writeFollow;
  private final PreparedStatement readFollows;

  public StudioTables(CqlSession cql, String keyspace) {
    this.cql = cql;
    String ks = keyspace + ".";
    readVideoDay =
        cql.prepare(
            "SELECT creator_id, recent_ids, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_daily WHERE video_id = ? AND day = ?");
    writeVideoDay =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_video_daily (video_id, day, kafka_partition, creator_id, recent_ids, "
                + FIGURES
                + ") VALUES (?, ?, ?, ?, ?, "
                + FIGURE_MARKS
                + ") USING TTL ?");
    readVideoTotal =
        cql.prepare(
            "SELECT kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_totals WHERE creator_id = ? AND video_id = ?");
    readCreatorTotals =
        cql.prepare(
            "SELECT video_id, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_totals WHERE creator_id = ?");
    writeVideoTotal =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_video_totals (creator_id, video_id, kafka_partition, "
                + FIGURES
                + ") VALUES (?, ?, ?, "
                + FIGURE_MARKS
                + ")");
    readCreatorDay =
        cql.prepare(
            "SELECT kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_creator_daily WHERE creator_id = ? AND day = ?");
    writeCreatorDay =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_creator_daily (creator_id, day, kafka_partition, "
                + FIGURES
                + ") VALUES (?, ?, ?, "
                + FIGURE_MARKS
                + ") USING TTL ?");
    readCreatorHour =
        cql.prepare(
            "SELECT kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_creator_hourly WHERE creator_id = ? AND day = ? AND hour = ?");
    readCreatorHours =
        cql.prepare(
            "SELECT hour, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_creator_hourly WHERE creator_id = ? AND day = ?");
    writeCreatorHour =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_creator_hourly (creator_id, day, hour, kafka_partition, "
                + FIGURES
                + ") VALUES (?, ?, ?, ?, "
                + FIGURE_MARKS
                + ") USING TTL ?");
    readOffsets =
        cql.prepare(
            "SELECT kafka_partition, next_offset FROM " + ks + "studio_offsets WHERE consumer = ?");
    writeOffset =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_offsets (consumer, kafka_partition, next_offset) VALUES (?, ?, ?)");
    readCreator =
        cql.prepare("SELECT creator_id FROM " + ks + "studio_video_creators WHERE video_id = ?");
    writeCreator =
        cql.prepare(
            "INSERT INTO " + ks + "studio_video_creators (video_id, creator_id) VALUES (?, ?)");
    writeFollow =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_follows (creator_id, day, event_key, follower_id, followed)"
                + " VALUES (?, ?, ?, ?, ?) USING TTL ?");
    readFollows =
        cql.prepare(
            "SELECT followed FROM " + ks + "studio_follows WHERE creator_id = ? AND day = ?");
  }

  // ---- the consumer's side

  /** Partition → the offset its consumer resumes from. */
  public CompletionStage<Map<Integer, Long>> offsets(String consumer) {
    Map<Integer, Long> offsets = new HashMap<>();
    return all(
            cql.executeAsync(readOffsets.bind(consumer)),
            row -> offsets.put(row.getInt("kafka_partition"), row.getLong("next_offset")))
        .thenApply(done -> offsets);
  }

  public CompletionStage<Void> saveOffset(String consumer, int partition, long nextOffset) {
    return cql.executeAsync(writeOffset.bind(consumer, partition, nextOffset))
        .thenApply(rs -> null);
  }

  public CompletionStage<Optional<String>> creatorOf(String videoId) {
    return cql.executeAsync(readCreator.bind(videoId))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map(r -> r.getString("creator_id")));
  }

  public CompletionStage<Void> saveCreator(String videoId, String creatorId) {
    return cql.executeAsync(writeCreator.bind(videoId, creatorId)).thenApply(rs -> null);
  }

  /** The row {@code key} of {@code partition}, empty if none was written. */
  public CompletionStage<StudioRow> read(RowKey key, int partition) {
    BoundStatement select;
    if (key instanceof RowKey.VideoDay k) {
      select = readVideoDay.bind(k.videoId(), k.day());
    } else if (key instanceof RowKey.VideoTotal k) {
      select = readVideoTotal.bind(k.creatorId(), k.videoId());
    } else if (key instanceof RowKey.CreatorDay k) {
      select = readCreatorDay.bind(k.creatorId(), k.day());
    } else {
      RowKey.CreatorHour k = (RowKey.CreatorHour) key;
      select = readCreatorHour.bind(k.creatorId(), dayOf(k.hour()), k.hour());
    }
    StudioRow[] found = {StudioRow.empty()};
    return all(
            cql.executeAsync(select),
            row -> {
              if (row.getInt("kafka_partition") == partition) {
                boolean videoDay = row.getColumnDefinitions().contains("recent_ids");
                Map<String, Long> recent =
                    videoDay ? row.getMap("recent_ids", String.class, Long.class) : null;
                String creator = videoDay ? row.getString("creator_id") : null;
                found[0] =
                    new StudioRow(
                        figuresOf(row),
                        creator == null ? "" : creator,
                        row.getLong("through_offset"),
                        recent == null ? Map.of() : recent);
              }
            })
        .thenApply(done -> found[0]);
  }

  /**
   * Writes {@code row} whole (one atomic upsert: figures and the offset they include). An hourly
   * row already past its lifetime is not written.
   */
  public CompletionStage<Void> write(RowKey key, int partition, StudioRow row, Instant now) {
    Figures f = row.figures;
    Object[] figures = {
      f.views,
      f.plays,
      f.watchMs,
      f.completed,
      f.likes,
      f.comments,
      f.shares,
      ByteBuffer.wrap(f.viewersBytes()),
      retentionList(f),
      f.sources,
      f.regions,
      f.devices,
      row.throughOffset
    };
    BoundStatement insert;
    if (key instanceof RowKey.VideoDay k) {
      insert =
          bind(
              writeVideoDay,
              new Object[] {k.videoId(), k.day(), partition, row.creatorId, row.recentIds},
              figures,
              ttl(k.day().atStartOfDay(ZoneOffset.UTC).toInstant(), DAILY_TTL, now));
    } else if (key instanceof RowKey.VideoTotal k) {
      insert = bind(writeVideoTotal, new Object[] {k.creatorId(), k.videoId(), partition}, figures);
    } else if (key instanceof RowKey.CreatorDay k) {
      insert =
          bind(
              writeCreatorDay,
              new Object[] {k.creatorId(), k.day(), partition},
              figures,
              ttl(k.day().atStartOfDay(ZoneOffset.UTC).toInstant(), DAILY_TTL, now));
    } else {
      RowKey.CreatorHour k = (RowKey.CreatorHour) key;
      insert =
          bind(
              writeCreatorHour,
              new Object[] {k.creatorId(), dayOf(k.hour()), k.hour(), partition},
              figures,
              ttl(k.hour(), HOURLY_TTL, now));
    }
    if (insert == null) {
      return CompletableFuture.completedFuture(null);
    }
    return cql.executeAsync(insert).thenApply(rs -> null);
  }

  // ---- follows

  public CompletionStage<Void> saveFollow(
      String creatorId, Instant at, String eventKey, String followerId, boolean followed) {
    Integer ttl = ttl(at, DAILY_TTL, Instant.now());
    if (ttl == null) {
      return CompletableFuture.completedFuture(null);
    }
    return cql.executeAsync(
            writeFollow.bind(creatorId, dayOf(at), eventKey, followerId, followed, ttl))
        .thenApply(rs -> null);
  }

  /** Follows gained and lost on {@code day}. */
  public CompletionStage<long[]> follows(String creatorId, LocalDate day) {
    long[] gainedLost = new long[2];
    return all(
            cql.executeAsync(readFollows.bind(creatorId, day)),
            row -> gainedLost[row.getBoolean("followed") ? 0 : 1]++)
        .thenApply(done -> gainedLost);
  }

  // ---- the query side

  /** The creator's figures of {@code day}, its partitions' shares merged. */
  public CompletionStage<Figures> creatorDay(String creatorId, LocalDate day) {
    List<Figures> parts = new ArrayList<>();
    return all(
            cql.executeAsync(readCreatorDay.bind(creatorId, day)), row -> parts.add(figuresOf(row)))
        .thenApply(done -> Figures.merged(parts));
  }

  /** The creator's hours of {@code day} that have figures. */
  public CompletionStage<Map<Instant, Figures>> creatorHours(String creatorId, LocalDate day) {
    Map<Instant, List<Figures>> parts = new HashMap<>();
    return all(
            cql.executeAsync(readCreatorHours.bind(creatorId, day)),
            row ->
                parts
                    .computeIfAbsent(row.getInstant("hour"), h -> new ArrayList<>())
                    .add(figuresOf(row)))
        .thenApply(
            done -> {
              Map<Instant, Figures> hours = new HashMap<>();
              parts.forEach((hour, list) -> hours.put(hour, Figures.merged(list)));
              return hours;
            });
  }

  /** The video's figures of {@code day}, with the creator that owns it ("" if none). */
  public CompletionStage<Figures> videoDay(String videoId, LocalDate day) {
    List<Figures> parts = new ArrayList<>();
    return all(cql.executeAsync(readVideoDay.bind(videoId, day)), row -> parts.add(figuresOf(row)))
        .thenApply(done -> Figures.merged(parts));
  }

  /** Every video of the creator with its figures since its first event. */
  public CompletionStage<Map<String, Figures>> videoTotals(String creatorId) {
    Map<String, List<Figures>> parts = new HashMap<>();
    return all(
            cql.executeAsync(readCreatorTotals.bind(creatorId)),
            row ->
                parts
                    .computeIfAbsent(row.getString("video_id"), v -> new ArrayList<>())
                    .add(figuresOf(row)))
        .thenApply(
            done -> {
              Map<String, Figures> videos = new HashMap<>();
              parts.forEach((video, list) -> videos.put(video, Figures.merged(list)));
              return videos;
            });
  }

  // ---- helpers

  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  /** Seconds a row of a bucket starting at {@code start} has left to live; null when none. */
  static Integer ttl(Instant start, Duration lifetime, Instant now) {
    long seconds = Duration.between(now, start.plus(lifetime)).getSeconds();
    return seconds <= 0 ? null : (int) Math.min(seconds, Integer.MAX_VALUE);
  }

  private static BoundStatement bind(PreparedStatement statement, Object[] keys, Object[] figures) {
    return bind(statement, keys, figures, 0, false);
  }

  private static BoundStatement bind(
      PreparedStatement statement, Object[] keys, Object[] figures, Integer ttl) {
    return ttl == null ? null : bind(statement, keys, figures, ttl, true);
  }

  private static BoundStatement bind(
      PreparedStatement statement, Object[] keys, Object[] figures, int ttl, boolean withTtl) {
    List<Object> values = new ArrayList<>(keys.length + figures.length + 1);
    values.addAll(List.of(keys));
    values.addAll(List.of(figures));
    if (withTtl) {
      values.add(ttl);
    }
    return statement.bind(values.toArray());
  }

  private static List<Long> retentionList(Figures f) {
    List<Long> list = new ArrayList<>(Figures.RETENTION_POINTS);
    for (long v : f.retention) {
      list.add(v);
    }
    return list;
  }

  private static Figures figuresOf(Row row) {
    ByteBuffer viewers = row.getByteBuffer("viewers");
    byte[] bytes = null;
    if (viewers != null) {
      bytes = new byte[viewers.remaining()];
      viewers.duplicate().get(bytes);
    }
    List<Long> retention = row.getList("retention", Long.class);
    long[] points = new long[Figures.RETENTION_POINTS];
    for (int i = 0; retention != null && i < Math.min(points.length, retention.size()); i++) {
      points[i] = retention.get(i);
    }
    Figures figures =
        Figures.of(
            row.getLong("views"),
            row.getLong("plays"),
            row.getLong("watch_ms"),
            row.getLong("completed"),
            row.getLong("likes"),
            row.getLong("comments"),
            row.getLong("shares"),
            bytes,
            points,
            mapOf(row, "sources"),
            mapOf(row, "regions"),
            mapOf(row, "devices"));
    figures.demo = row.getInt("kafka_partition") == StudioDemoHistory.DEMO_PARTITION;
    return figures;
  }

  private static Map<String, Long> mapOf(Row row, String column) {
    Map<String, Long> map = row.getMap(column, String.class, Long.class);
    return map == null ? Map.of() : map;
  }

  /** Runs {@code each} over every row of every page. */
  private static CompletionStage<Void> all(
      CompletionStage<AsyncResultSet> first, Consumer<Row> each) {
    return first.thenCompose(
        rs -> {
          for (Row row : rs.currentPage()) {
            each.accept(row);
          }
          return rs.hasMorePages()
              ? all(rs.fetchNextPage(), each)
              : CompletableFuture.<Void>completedFuture(null);
        });
  }
}
