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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The studio's Cassandra tables (V008__studio.cql, V010__studio_months.cql): rows by key, offsets,
 * follows. Day rows sit in month partitions so a period is one range read per month.
 */
public final class StudioTables {
  public static final Duration DAILY_TTL = Duration.ofDays(400);
  public static final Duration HOURLY_TTL = Duration.ofDays(4);

  private static final String FIGURES =
      "views, plays, watch_ms, completed, likes, comments, shares, viewers, retention, sources,"
          + " regions, devices, through_offset";
  private static final String FIGURE_MARKS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
  // what a creator's day or hour row and a video's lifetime row store: no query reads their
  // retention or breakdowns (the overview and the video table show neither), so they are not
  // written (fewer cells per write and per read; rows of before V013 keep theirs, unread)
  private static final String NARROW =
      "views, plays, watch_ms, completed, likes, comments, shares, viewers, through_offset";
  private static final String NARROW_MARKS = "?, ?, ?, ?, ?, ?, ?, ?, ?";
  // what a series point and a period's totals need: no retention, no breakdowns
  private static final String SCALARS =
      "views, plays, watch_ms, completed, likes, comments, shares, viewers";

  private final CqlSession cql;
  private final PreparedStatement readVideoDay;
  private final PreparedStatement readVideoDays;
  private final PreparedStatement writeVideoDay;
  private final PreparedStatement readVideoHour;
  private final PreparedStatement readVideoHours;
  private final PreparedStatement writeVideoHour;
  private final PreparedStatement readVideoTotal;
  private final PreparedStatement writeVideoTotal;
  private final PreparedStatement readCreatorTotals;
  private final PreparedStatement readCreatorDay;
  private final PreparedStatement readCreatorDays;
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
  private final PreparedStatement writeRemoval;
  private final PreparedStatement readRemovals;

  public StudioTables(CqlSession cql, String keyspace) {
    this.cql = cql;
    String ks = keyspace + ".";
    readVideoDay =
        cql.prepare(
            "SELECT creator_id, recent_ids, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_days WHERE video_id = ? AND month = ? AND day = ?");
    readVideoDays =
        cql.prepare(
            "SELECT day, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_days WHERE video_id = ? AND month = ? AND day >= ? AND day <= ?");
    writeVideoDay =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_video_days (video_id, month, day, kafka_partition, creator_id,"
                + " recent_ids, "
                + FIGURES
                + ") VALUES (?, ?, ?, ?, ?, ?, "
                + FIGURE_MARKS
                + ") USING TTL ?");
    readVideoHour =
        cql.prepare(
            "SELECT creator_id, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_hours WHERE video_id = ? AND day = ? AND hour = ?");
    readVideoHours =
        cql.prepare(
            "SELECT hour, kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_video_hours WHERE video_id = ? AND day = ?");
    writeVideoHour =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_video_hours (video_id, day, hour, kafka_partition, creator_id, "
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
            "SELECT video_id, kafka_partition, views, plays, watch_ms, completed, likes, comments,"
                + " shares, unique_viewers FROM "
                + ks
                + "studio_video_totals WHERE creator_id = ?");
    writeVideoTotal =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_video_totals (creator_id, video_id, kafka_partition, unique_viewers, "
                + NARROW
                + ") VALUES (?, ?, ?, ?, "
                + NARROW_MARKS
                + ")");
    readCreatorDay =
        cql.prepare(
            "SELECT kafka_partition, "
                + FIGURES
                + " FROM "
                + ks
                + "studio_creator_days WHERE creator_id = ? AND month = ? AND day = ?");
    readCreatorDays =
        cql.prepare(
            "SELECT day, kafka_partition, "
                + SCALARS
                + " FROM "
                + ks
                + "studio_creator_days WHERE creator_id = ? AND month = ? AND day >= ? AND day <= ?");
    writeCreatorDay =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_creator_days (creator_id, month, day, kafka_partition, "
                + NARROW
                + ") VALUES (?, ?, ?, ?, "
                + NARROW_MARKS
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
                + SCALARS
                + " FROM "
                + ks
                + "studio_creator_hourly WHERE creator_id = ? AND day = ?");
    writeCreatorHour =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_creator_hourly (creator_id, day, hour, kafka_partition, "
                + NARROW
                + ") VALUES (?, ?, ?, ?, "
                + NARROW_MARKS
                + ") USING TTL ?");
    writeRemoval =
        cql.prepare(
            "INSERT INTO "
                + ks
                + "studio_video_removals (creator_id, video_id, removed_at, by_moderator)"
                + " VALUES (?, ?, ?, ?)");
    readRemovals =
        cql.prepare(
            "SELECT video_id, by_moderator FROM "
                + ks
                + "studio_video_removals WHERE creator_id = ?");
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
                + "studio_follow_events (creator_id, month, day, event_key, follower_id, followed)"
                + " VALUES (?, ?, ?, ?, ?, ?) USING TTL ?");
    readFollows =
        cql.prepare(
            "SELECT day, followed FROM "
                + ks
                + "studio_follow_events WHERE creator_id = ? AND month = ? AND day >= ? AND day <= ?");
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
      select = readVideoDay.bind(k.videoId(), monthOf(k.day()), k.day());
    } else if (key instanceof RowKey.VideoHour k) {
      select = readVideoHour.bind(k.videoId(), dayOf(k.hour()), k.hour());
    } else if (key instanceof RowKey.VideoTotal k) {
      select = readVideoTotal.bind(k.creatorId(), k.videoId());
    } else if (key instanceof RowKey.CreatorDay k) {
      select = readCreatorDay.bind(k.creatorId(), monthOf(k.day()), k.day());
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
                String creator =
                    row.getColumnDefinitions().contains("creator_id")
                        ? row.getString("creator_id")
                        : null;
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
   * Writes {@code row} (one atomic upsert: figures and the offset they include): a video's day or
   * hour whole, a creator's day or hour and a video's lifetime row without retention and breakdowns
   * (no query reads those). An hourly row already past its lifetime is not written.
   */
  public CompletionStage<Void> write(RowKey key, int partition, StudioRow row, Instant now) {
    Figures f = row.figures;
    ByteBuffer viewers = ByteBuffer.wrap(f.viewersBytes());
    Object[] narrow = {
      f.views,
      f.plays,
      f.watchMs,
      f.completed,
      f.likes,
      f.comments,
      f.shares,
      viewers,
      row.throughOffset
    };
    if (key instanceof RowKey.VideoTotal k) {
      return execute(
          bind(
              writeVideoTotal,
              new Object[] {k.creatorId(), k.videoId(), partition, f.uniqueViewers()},
              narrow));
    } else if (key instanceof RowKey.CreatorDay k) {
      return execute(
          bind(
              writeCreatorDay,
              new Object[] {k.creatorId(), monthOf(k.day()), k.day(), partition},
              narrow,
              ttl(k.day().atStartOfDay(ZoneOffset.UTC).toInstant(), DAILY_TTL, now)));
    } else if (key instanceof RowKey.CreatorHour k) {
      return execute(
          bind(
              writeCreatorHour,
              new Object[] {k.creatorId(), dayOf(k.hour()), k.hour(), partition},
              narrow,
              ttl(k.hour(), HOURLY_TTL, now)));
    }
    Object[] figures = {
      f.views,
      f.plays,
      f.watchMs,
      f.completed,
      f.likes,
      f.comments,
      f.shares,
      viewers,
      retentionList(f),
      f.sources,
      f.regions,
      f.devices,
      row.throughOffset
    };
    if (key instanceof RowKey.VideoDay k) {
      return execute(
          bind(
              writeVideoDay,
              new Object[] {
                k.videoId(), monthOf(k.day()), k.day(), partition, row.creatorId, row.recentIds
              },
              figures,
              ttl(k.day().atStartOfDay(ZoneOffset.UTC).toInstant(), DAILY_TTL, now)));
    }
    RowKey.VideoHour k = (RowKey.VideoHour) key;
    return execute(
        bind(
            writeVideoHour,
            new Object[] {k.videoId(), dayOf(k.hour()), k.hour(), partition, row.creatorId},
            figures,
            ttl(k.hour(), HOURLY_TTL, now)));
  }

  /** Runs {@code insert}; nothing when it is null (a row past its lifetime). */
  private CompletionStage<Void> execute(BoundStatement insert) {
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
    LocalDate day = dayOf(at);
    return cql.executeAsync(
            writeFollow.bind(creatorId, monthOf(day), day, eventKey, followerId, followed, ttl))
        .thenApply(rs -> null);
  }

  /**
   * Follows gained and lost ({@code [gained, lost]}) on each day from {@code first} to {@code
   * last}.
   */
  public CompletionStage<Map<LocalDate, long[]>> follows(
      String creatorId, LocalDate first, LocalDate last) {
    Map<LocalDate, long[]> days = new ConcurrentHashMap<>();
    return perMonth(
            first,
            last,
            (month, from, to) ->
                all(
                    cql.executeAsync(readFollows.bind(creatorId, month, from, to)),
                    row ->
                        days.computeIfAbsent(row.getLocalDate("day"), d -> new long[2])[
                            row.getBoolean("followed") ? 0 : 1]++))
        .thenApply(done -> days);
  }

  // ---- removed videos

  public CompletionStage<Void> saveRemoval(
      String creatorId, String videoId, Instant at, boolean byModerator) {
    return cql.executeAsync(writeRemoval.bind(creatorId, videoId, at, byModerator))
        .thenApply(rs -> null);
  }

  /** The creator's videos that are gone: video id → {@code "deleted"} or {@code "removed"}. */
  public CompletionStage<Map<String, String>> removals(String creatorId) {
    Map<String, String> removed = new HashMap<>();
    return all(
            cql.executeAsync(readRemovals.bind(creatorId)),
            row ->
                removed.put(
                    row.getString("video_id"),
                    row.getBoolean("by_moderator") ? "removed" : "deleted"))
        .thenApply(done -> removed);
  }

  // ---- the query side

  /**
   * The creator's figures of each day from {@code first} to {@code last} that has any, its
   * partitions' shares merged; without retention and breakdowns (the overview shows neither).
   */
  public CompletionStage<Map<LocalDate, Figures>> creatorDays(
      String creatorId, LocalDate first, LocalDate last) {
    return days(readCreatorDays, creatorId, first, last);
  }

  /** The creator's hours of {@code day} that have figures (scalars and viewers). */
  public CompletionStage<Map<Instant, Figures>> creatorHours(String creatorId, LocalDate day) {
    return hours(readCreatorHours, creatorId, day);
  }

  /** The video's hours of {@code day} that have figures, whole (retention and breakdowns too). */
  public CompletionStage<Map<Instant, Figures>> videoHours(String videoId, LocalDate day) {
    return hours(readVideoHours, videoId, day);
  }

  private CompletionStage<Map<Instant, Figures>> hours(
      PreparedStatement select, String id, LocalDate day) {
    Map<Instant, List<Figures>> parts = new HashMap<>();
    return all(
            cql.executeAsync(select.bind(id, day)),
            row ->
                parts
                    .computeIfAbsent(row.getInstant("hour"), h -> new ArrayList<>())
                    .add(figuresOf(row)))
        .thenApply(
            done -> {
              Map<Instant, Figures> hours = new HashMap<>();
              parts.forEach((hour, list) -> hours.put(hour, mergedParts(list)));
              return hours;
            });
  }

  /** The video's figures of each day from {@code first} to {@code last} that has any. */
  public CompletionStage<Map<LocalDate, Figures>> videoDays(
      String videoId, LocalDate first, LocalDate last) {
    return days(readVideoDays, videoId, first, last);
  }

  private CompletionStage<Map<LocalDate, Figures>> days(
      PreparedStatement select, String id, LocalDate first, LocalDate last) {
    Map<LocalDate, List<Figures>> parts = new ConcurrentHashMap<>();
    return perMonth(
            first,
            last,
            (month, from, to) ->
                all(
                    cql.executeAsync(select.bind(id, month, from, to)),
                    row ->
                        parts
                            .computeIfAbsent(
                                row.getLocalDate("day"),
                                d -> Collections.synchronizedList(new ArrayList<>()))
                            .add(figuresOf(row))))
        .thenApply(
            done -> {
              Map<LocalDate, Figures> days = new HashMap<>();
              parts.forEach((day, list) -> days.put(day, mergedParts(list)));
              return days;
            });
  }

  /**
   * Every video of the creator with its figures since its first event, scalars only (no sketch, no
   * breakdowns): the video table sorts and pages over these.
   */
  public CompletionStage<List<VideoTotals>> videoTotals(String creatorId) {
    Map<String, List<Row>> parts = new HashMap<>();
    return all(
            cql.executeAsync(readCreatorTotals.bind(creatorId)),
            row ->
                parts.computeIfAbsent(row.getString("video_id"), v -> new ArrayList<>()).add(row))
        .thenCompose(
            done -> {
              List<VideoTotals> videos = new ArrayList<>(parts.size());
              List<CompletableFuture<VideoTotals>> united = new ArrayList<>();
              parts.forEach(
                  (video, rows) -> {
                    Row only = rows.get(0);
                    if (rows.size() == 1 && !only.isNull("unique_viewers")) {
                      videos.add(
                          VideoTotals.of(video, List.of(only), only.getLong("unique_viewers")));
                    } else {
                      // rows of several partitions (demo history and real events), or written
                      // before V010: their sketches are united
                      united.add(
                          videoTotalViewers(creatorId, video)
                              .thenApply(u -> VideoTotals.of(video, rows, u))
                              .toCompletableFuture());
                    }
                  });
              return CompletableFuture.allOf(united.toArray(CompletableFuture[]::new))
                  .thenApply(
                      all -> {
                        united.forEach(f -> videos.add(f.join()));
                        return videos;
                      });
            });
  }

  private CompletionStage<Long> videoTotalViewers(String creatorId, String videoId) {
    List<Figures> parts = new ArrayList<>();
    return all(
            cql.executeAsync(readVideoTotal.bind(creatorId, videoId)),
            row -> parts.add(figuresOf(row)))
        .thenApply(done -> Figures.merged(parts).uniqueViewers());
  }

  /** A video's lifetime scalars, its partitions' shares summed: a row of the video table. */
  public record VideoTotals(
      String videoId,
      long views,
      long plays,
      long watchMs,
      long completed,
      long likes,
      long comments,
      long shares,
      long uniqueViewers,
      boolean demo) {
    static VideoTotals of(String videoId, List<Row> rows, long uniqueViewers) {
      long views = 0, plays = 0, watchMs = 0, completed = 0, likes = 0, comments = 0, shares = 0;
      boolean demo = false;
      for (Row row : rows) {
        views += row.getLong("views");
        plays += row.getLong("plays");
        watchMs += row.getLong("watch_ms");
        completed += row.getLong("completed");
        likes += row.getLong("likes");
        comments += row.getLong("comments");
        shares += row.getLong("shares");
        demo |= row.getInt("kafka_partition") == StudioDemoHistory.DEMO_PARTITION;
      }
      return new VideoTotals(
          videoId, views, plays, watchMs, completed, likes, comments, shares, uniqueViewers, demo);
    }

    public long averageWatchMs() {
      return plays == 0 ? 0 : watchMs / plays;
    }

    public double completionRate() {
      return plays == 0 ? 0 : (double) completed / plays;
    }
  }

  // ---- helpers

  /** A bucket's partitions' shares merged; a bucket of one share is that share (no union). */
  private static Figures mergedParts(List<Figures> parts) {
    return parts.size() == 1 ? parts.get(0) : Figures.merged(parts);
  }

  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  /** The month partition of {@code day}: its first day. */
  static LocalDate monthOf(LocalDate day) {
    return day.withDayOfMonth(1);
  }

  private interface MonthRead {
    CompletionStage<Void> read(LocalDate month, LocalDate from, LocalDate to);
  }

  /** The month partitions from {@code first} to {@code last}: month, first day, last day read. */
  static List<LocalDate[]> months(LocalDate first, LocalDate last) {
    List<LocalDate[]> months = new ArrayList<>();
    for (LocalDate month = monthOf(first); !month.isAfter(last); month = month.plusMonths(1)) {
      LocalDate end = month.plusMonths(1).minusDays(1);
      months.add(
          new LocalDate[] {
            month, month.isBefore(first) ? first : month, end.isAfter(last) ? last : end
          });
    }
    return months;
  }

  /** {@code read} of each month partition from {@code first} to {@code last}, at once. */
  private static CompletionStage<Void> perMonth(LocalDate first, LocalDate last, MonthRead read) {
    List<CompletableFuture<Void>> reads = new ArrayList<>();
    for (LocalDate[] m : months(first, last)) {
      reads.add(read.read(m[0], m[1], m[2]).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
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
    boolean whole = row.getColumnDefinitions().contains("retention");
    List<Long> retention = whole ? row.getList("retention", Long.class) : null;
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
    if (!row.getColumnDefinitions().contains(column)) {
      return Map.of();
    }
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
