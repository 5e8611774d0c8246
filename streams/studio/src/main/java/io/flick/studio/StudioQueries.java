package io.flick.studio;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToDoubleFunction;

/**
 * What the studio API answers, read from the studio tables: each period's figures merged from its
 * days (viewers united across days, so a viewer seen on two days counts once), set against the
 * period before it.
 */
public final class StudioQueries {
  /** The periods a creator can ask for: the last 48 hours by hour, or the last days by day. */
  public enum Range {
    H48(0),
    D7(7),
    D28(28),
    D60(60);

    /** The hours of {@link #H48} (and of every overview's hourly series). */
    public static final int HOURS = 48;

    /** Days of a daily range; 0 for {@link #H48}. */
    public final int days;

    Range(int days) {
      this.days = days;
    }

    /** Whether the period is {@link #HOURS} hours (figures from the hourly rows). */
    public boolean hourly() {
      return days == 0;
    }

    public String label() {
      return hourly() ? HOURS + "h" : days + "d";
    }

    public static Optional<Range> parse(String text) {
      for (Range r : values()) {
        if (r.label().equals(text)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }
  }

  /** The columns the video table sorts by (descending). */
  public enum Sort {
    views(v -> v.views()),
    uniqueViewers(v -> v.uniqueViewers()),
    likes(v -> v.likes()),
    comments(v -> v.comments()),
    shares(v -> v.shares()),
    watchMs(v -> v.watchMs()),
    averageWatchMs(v -> v.averageWatchMs()),
    completionRate(StudioTables.VideoTotals::completionRate);

    final ToDoubleFunction<StudioTables.VideoTotals> value;

    Sort(ToDoubleFunction<StudioTables.VideoTotals> value) {
      this.value = value;
    }

    public static Optional<Sort> parse(String text) {
      for (Sort s : values()) {
        if (s.name().equals(text)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  /** A figure of the period, the one before, and the change. */
  public record Change(double value, double previous, double change, Double changeRatio) {
    static Change of(double value, double previous) {
      return new Change(
          value, previous, value - previous, previous == 0 ? null : (value - previous) / previous);
    }
  }

  /** One bucket of a series (a day or an hour). */
  public record Point(
      String at,
      long views,
      long uniqueViewers,
      long likes,
      long comments,
      long shares,
      long watchMs,
      long averageWatchMs,
      double completionRate,
      Long followersGained,
      Long followersLost) {
    static Point of(String at, Figures f, long[] follows) {
      return new Point(
          at,
          f.views(),
          f.uniqueViewers(),
          f.likes(),
          f.comments(),
          f.shares(),
          f.watchMs(),
          f.averageWatchMs(),
          f.completionRate(),
          follows == null ? null : follows[0],
          follows == null ? null : follows[1]);
    }
  }

  /**
   * {@code daily}: the period's days (empty for 48h); {@code hourly}: the last 48 hours, whatever
   * the range. For 48h the figures are the hours' and carry no follower figures (followers are
   * counted by day).
   */
  public record Overview(
      String range,
      boolean demo,
      LocalDate from,
      LocalDate to,
      Map<String, Change> figures,
      List<Point> daily,
      List<Point> hourly) {}

  /**
   * A row of the video table. {@code removed}: null while the video is up, {@code "deleted"} by its
   * creator or {@code "removed"} by a moderator; its figures stay (the overview counts them).
   */
  public record VideoRow(
      String videoId,
      long views,
      long uniqueViewers,
      long likes,
      long comments,
      long shares,
      long watchMs,
      long averageWatchMs,
      double completionRate,
      boolean demo,
      String removed) {
    static VideoRow of(StudioTables.VideoTotals v, Map<String, String> removals) {
      return new VideoRow(
          v.videoId(),
          v.views(),
          v.uniqueViewers(),
          v.likes(),
          v.comments(),
          v.shares(),
          v.watchMs(),
          v.averageWatchMs(),
          v.completionRate(),
          v.demo(),
          removals.get(v.videoId()));
    }
  }

  public record VideoPage(List<VideoRow> items, String next) {}

  public record RetentionPoint(double at, double share) {}

  /** {@code daily} for a range of days, {@code hourly} for 48h (the other one empty). */
  public record VideoDetail(
      String videoId,
      String range,
      boolean demo,
      LocalDate from,
      LocalDate to,
      Map<String, Change> figures,
      List<Point> daily,
      List<Point> hourly,
      List<RetentionPoint> retention,
      Map<String, Long> sources,
      Map<String, Long> regions,
      Map<String, Long> devices) {}

  public record FollowerDay(LocalDate day, long gained, long lost, long net) {}

  public record Followers(
      String range,
      LocalDate from,
      LocalDate to,
      Change gained,
      Change lost,
      Change net,
      List<FollowerDay> daily) {}

  /** A cursor that is not one this API gave out, or for another sort. */
  public static final class BadCursorException extends IllegalArgumentException {
    public BadCursorException(String message) {
      super(message);
    }
  }

  private final StudioTables tables;
  private final Clock clock;

  public StudioQueries(StudioTables tables, Clock clock) {
    this.tables = tables;
    this.clock = clock;
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(ZoneOffset.UTC));
  }

  public CompletionStage<Overview> overview(String creatorId, Range range) {
    Instant now = clock.instant();
    Instant firstHour = firstHour(now);
    if (range.hourly()) {
      Instant previousFirst = firstHour.minus(Range.HOURS, ChronoUnit.HOURS);
      return hours(previousFirst, now, day -> tables.creatorHours(creatorId, day))
          .thenApply(
              byHour -> {
                List<Figures> previous = series(byHour, previousFirst);
                List<Figures> current = series(byHour, firstHour);
                Figures cur = Figures.merged(current);
                Figures prev = Figures.merged(previous);
                return new Overview(
                    range.label(),
                    cur.demo() || prev.demo(),
                    StudioTables.dayOf(firstHour),
                    StudioTables.dayOf(now),
                    changes(cur, prev),
                    List.of(),
                    hourPoints(current, firstHour));
              });
    }
    LocalDate to = today();
    LocalDate from = to.minusDays(range.days - 1);
    LocalDate previousFrom = from.minusDays(range.days);
    CompletableFuture<List<Figures>> days =
        perDay(previousFrom, to, tables.creatorDays(creatorId, previousFrom, to), Figures::new);
    CompletableFuture<List<long[]>> follows =
        perDay(previousFrom, to, tables.follows(creatorId, previousFrom, to), () -> new long[2]);
    CompletableFuture<Map<Instant, Figures>> hours =
        hours(firstHour, now, day -> tables.creatorHours(creatorId, day));
    return days.thenCombine(follows, (d, f) -> new Object[] {d, f})
        .thenCombine(
            hours,
            (df, h) -> {
              @SuppressWarnings("unchecked")
              List<Figures> dayFigures = (List<Figures>) df[0];
              @SuppressWarnings("unchecked")
              List<long[]> dayFollows = (List<long[]>) df[1];
              int n = range.days;
              Figures previous = Figures.merged(dayFigures.subList(0, n));
              Figures current = Figures.merged(dayFigures.subList(n, 2 * n));
              long[] prevFollows = sum(dayFollows.subList(0, n));
              long[] curFollows = sum(dayFollows.subList(n, 2 * n));
              Map<String, Change> figures = changes(current, previous);
              figures.put("followersGained", Change.of(curFollows[0], prevFollows[0]));
              figures.put("followersLost", Change.of(curFollows[1], prevFollows[1]));
              figures.put(
                  "followersNet",
                  Change.of(curFollows[0] - curFollows[1], prevFollows[0] - prevFollows[1]));
              List<Point> daily = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                daily.add(
                    Point.of(
                        from.plusDays(i).toString(), dayFigures.get(n + i), dayFollows.get(n + i)));
              }
              return new Overview(
                  range.label(),
                  current.demo() || previous.demo(),
                  from,
                  to,
                  figures,
                  daily,
                  hourPoints(series(h, firstHour), firstHour));
            });
  }

  /** The first of the last 48 hours (the current hour is the 48th). */
  private static Instant firstHour(Instant now) {
    return now.truncatedTo(ChronoUnit.HOURS).minus(Range.HOURS - 1, ChronoUnit.HOURS);
  }

  /** The hours from {@code first} to {@code now}'s that have figures: one read per day. */
  private static CompletableFuture<Map<Instant, Figures>> hours(
      Instant first,
      Instant now,
      java.util.function.Function<LocalDate, CompletionStage<Map<Instant, Figures>>> readDay) {
    List<CompletableFuture<Map<Instant, Figures>>> reads = new ArrayList<>();
    for (LocalDate day = StudioTables.dayOf(first);
        !day.isAfter(StudioTables.dayOf(now));
        day = day.plusDays(1)) {
      reads.add(readDay.apply(day).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<Instant, Figures> byHour = new HashMap<>();
              reads.forEach(r -> byHour.putAll(r.join()));
              return byHour;
            });
  }

  /** The 48 hours from {@code first} in order, empty figures where none were read. */
  private static List<Figures> series(Map<Instant, Figures> byHour, Instant first) {
    Figures none = new Figures();
    List<Figures> hours = new ArrayList<>(Range.HOURS);
    for (int i = 0; i < Range.HOURS; i++) {
      hours.add(byHour.getOrDefault(first.plus(i, ChronoUnit.HOURS), none));
    }
    return hours;
  }

  private static List<Point> hourPoints(List<Figures> hours, Instant first) {
    List<Point> points = new ArrayList<>(hours.size());
    for (int i = 0; i < hours.size(); i++) {
      points.add(Point.of(first.plus(i, ChronoUnit.HOURS).toString(), hours.get(i), null));
    }
    return points;
  }

  public CompletionStage<VideoPage> videos(
      String creatorId, Sort sort, Optional<String> cursor, int limit) {
    Optional<Cursor> after = cursor.map(c -> Cursor.decode(c, sort));
    return tables
        .videoTotals(creatorId)
        .thenCombine(
            tables.removals(creatorId),
            (totals, removals) -> {
              Comparator<StudioTables.VideoTotals> order =
                  Comparator.<StudioTables.VideoTotals>comparingDouble(
                          v -> -sort.value.applyAsDouble(v))
                      .thenComparing(StudioTables.VideoTotals::videoId);
              List<StudioTables.VideoTotals> sorted =
                  totals.stream()
                      .filter(v -> after.map(a -> a.before(sort, v)).orElse(true))
                      .sorted(order)
                      .toList();
              List<VideoRow> items =
                  sorted.stream().limit(limit).map(v -> VideoRow.of(v, removals)).toList();
              String next = null;
              if (sorted.size() > limit) {
                StudioTables.VideoTotals last = sorted.get(limit - 1);
                next = new Cursor(sort, sort.value.applyAsDouble(last), last.videoId()).encode();
              }
              return new VideoPage(items, next);
            });
  }

  public CompletionStage<VideoDetail> video(String videoId, Range range) {
    if (range.hourly()) {
      Instant now = clock.instant();
      Instant firstHour = firstHour(now);
      Instant previousFirst = firstHour.minus(Range.HOURS, ChronoUnit.HOURS);
      return hours(previousFirst, now, day -> tables.videoHours(videoId, day))
          .thenApply(
              byHour -> {
                List<Figures> current = series(byHour, firstHour);
                return detail(
                    videoId,
                    range,
                    StudioTables.dayOf(firstHour),
                    StudioTables.dayOf(now),
                    Figures.merged(current),
                    Figures.merged(series(byHour, previousFirst)),
                    List.of(),
                    hourPoints(current, firstHour));
              });
    }
    LocalDate to = today();
    LocalDate from = to.minusDays(range.days - 1);
    LocalDate previousFrom = from.minusDays(range.days);
    return perDay(previousFrom, to, tables.videoDays(videoId, previousFrom, to), Figures::new)
        .thenApply(
            dayFigures -> {
              int n = range.days;
              List<Point> daily = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                daily.add(Point.of(from.plusDays(i).toString(), dayFigures.get(n + i), null));
              }
              return detail(
                  videoId,
                  range,
                  from,
                  to,
                  Figures.merged(dayFigures.subList(n, 2 * n)),
                  Figures.merged(dayFigures.subList(0, n)),
                  daily,
                  List.of());
            });
  }

  private static VideoDetail detail(
      String videoId,
      Range range,
      LocalDate from,
      LocalDate to,
      Figures current,
      Figures previous,
      List<Point> daily,
      List<Point> hourly) {
    double[] curve = current.retentionCurve();
    List<RetentionPoint> retention = new ArrayList<>(curve.length);
    for (int i = 0; i < curve.length; i++) {
      retention.add(new RetentionPoint((double) i / (Figures.RETENTION_POINTS - 1), curve[i]));
    }
    return new VideoDetail(
        videoId,
        range.label(),
        current.demo() || previous.demo(),
        from,
        to,
        changes(current, previous),
        daily,
        hourly,
        retention,
        current.sources(),
        current.regions(),
        current.devices());
  }

  /** Followers by day; {@code range} is a range of days (follows are not kept by hour). */
  public CompletionStage<Followers> followers(String creatorId, Range range) {
    if (range.hourly()) {
      throw new IllegalArgumentException("followers are counted by day, not by hour");
    }
    LocalDate to = today();
    LocalDate from = to.minusDays(range.days - 1);
    LocalDate previousFrom = from.minusDays(range.days);
    return perDay(previousFrom, to, tables.follows(creatorId, previousFrom, to), () -> new long[2])
        .thenApply(
            days -> {
              int n = range.days;
              long[] prev = sum(days.subList(0, n));
              long[] cur = sum(days.subList(n, 2 * n));
              List<FollowerDay> daily = new ArrayList<>(n);
              for (int i = 0; i < n; i++) {
                long[] d = days.get(n + i);
                daily.add(new FollowerDay(from.plusDays(i), d[0], d[1], d[0] - d[1]));
              }
              return new Followers(
                  range.label(),
                  from,
                  to,
                  Change.of(cur[0], prev[0]),
                  Change.of(cur[1], prev[1]),
                  Change.of(cur[0] - cur[1], prev[0] - prev[1]),
                  daily);
            });
  }

  private static Map<String, Change> changes(Figures current, Figures previous) {
    Map<String, Change> figures = new LinkedHashMap<>();
    figures.put("views", Change.of(current.views(), previous.views()));
    figures.put("uniqueViewers", Change.of(current.uniqueViewers(), previous.uniqueViewers()));
    figures.put("likes", Change.of(current.likes(), previous.likes()));
    figures.put("comments", Change.of(current.comments(), previous.comments()));
    figures.put("shares", Change.of(current.shares(), previous.shares()));
    figures.put("watchMs", Change.of(current.watchMs(), previous.watchMs()));
    figures.put("averageWatchMs", Change.of(current.averageWatchMs(), previous.averageWatchMs()));
    figures.put("completionRate", Change.of(current.completionRate(), previous.completionRate()));
    return figures;
  }

  private static long[] sum(List<long[]> days) {
    long[] total = new long[2];
    for (long[] d : days) {
      total[0] += d[0];
      total[1] += d[1];
    }
    return total;
  }

  /**
   * Every day from {@code first} to {@code last} in day order, {@code none} where nothing was read.
   */
  private static <T> CompletableFuture<List<T>> perDay(
      LocalDate first,
      LocalDate last,
      CompletionStage<Map<LocalDate, T>> read,
      java.util.function.Supplier<T> none) {
    return read.toCompletableFuture()
        .thenApply(
            byDay -> {
              List<T> days = new ArrayList<>();
              for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                T found = byDay.get(day);
                days.add(found == null ? none.get() : found);
              }
              return days;
            });
  }

  /** Where a video page ends: the sort, the last row's value and video id, base64url. */
  record Cursor(Sort sort, double value, String videoId) {
    String encode() {
      String text = sort.name() + "|" + value + "|" + videoId;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor, Sort expected) {
      String text;
      try {
        text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new BadCursorException("cursor is not one this API gave out");
      }
      String[] parts = text.split("\\|", 3);
      if (parts.length != 3 || parts[2].isEmpty()) {
        throw new BadCursorException("cursor is not one this API gave out");
      }
      Optional<Sort> sort = Sort.parse(parts[0]);
      if (sort.isEmpty() || sort.get() != expected) {
        throw new BadCursorException(
            "cursor belongs to another sort; start again without a cursor for sort="
                + expected.name());
      }
      try {
        return new Cursor(expected, Double.parseDouble(parts[1]), parts[2]);
      } catch (NumberFormatException e) {
        throw new BadCursorException("cursor is not one this API gave out");
      }
    }

    /** Whether {@code e} comes after this cursor in the page order. */
    boolean before(Sort s, StudioTables.VideoTotals video) {
      double v = s.value.applyAsDouble(video);
      return v < value || (v == value && video.videoId().compareTo(videoId) > 0);
    }
  }
}
