package io.flick.studio;

import io.flick.proto.events.Interaction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The aggregation of one Kafka partition's interactions into studio rows, free of I/O so it can be
 * checked against a direct computation.
 *
 * <p>Exactly once in effect: every row carries the highest offset it includes and an event is added
 * only to rows below its offset, so a redelivered record (a restart, a rebalance, a crash between
 * writes) changes nothing. Likes and comments come from outbox projections that may publish one
 * event twice under one id at a new offset; the video-day row remembers the newest {@link
 * StudioRow#RECENT_IDS} ids with their offsets and drops such a copy. Buckets come from the event's
 * own time, so a replay lands where the first delivery did.
 */
public final class PartitionAggregator {
  /** One record of the partition. */
  public record Record(long offset, Interaction event) {}

  private PartitionAggregator() {}

  /** The rows {@code record}'s event adds to; none for events no studio figure counts. */
  public static List<RowKey> rowsOf(Interaction event, Optional<String> creatorId) {
    if (!counts(event)) {
      return List.of();
    }
    Instant at = Instant.ofEpochMilli(event.getAtEpochMs());
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    Instant hour = at.truncatedTo(ChronoUnit.HOURS);
    List<RowKey> rows = new ArrayList<>(5);
    // the video day first: it remembers the ids of likes and comments (see apply)
    rows.add(new RowKey.VideoDay(event.getVideoId(), day));
    rows.add(new RowKey.VideoHour(event.getVideoId(), hour));
    creatorId.ifPresent(
        creator -> {
          rows.add(new RowKey.VideoTotal(creator, event.getVideoId()));
          rows.add(new RowKey.CreatorDay(creator, day));
          rows.add(new RowKey.CreatorHour(creator, hour));
        });
    return rows;
  }

  /** The creator an event names; unlikes name none (the stream looks those up). */
  public static Optional<String> creatorOf(Interaction event) {
    return event.getCreatorId().isEmpty() ? Optional.empty() : Optional.of(event.getCreatorId());
  }

  static boolean counts(Interaction event) {
    return !event.getVideoId().isEmpty()
        && switch (event.getKind()) {
          case VIEW, LIKE, UNLIKE, SHARE, COMMENT, COMMENT_DELETED -> true;
          default -> false;
        };
  }

  /**
   * The rows each of {@code records} adds to ({@link #rowsOf}), in order; {@code creators} resolves
   * events that name no creator. A batch's events mostly share a few videos and one hour, so equal
   * key lists are made once and shared.
   */
  public static List<List<RowKey>> rowsOf(List<Record> records, Map<String, String> creators) {
    record Bucket(String videoId, String creatorId, long hour) {}
    Map<Bucket, List<RowKey>> made = new HashMap<>();
    List<List<RowKey>> keys = new ArrayList<>(records.size());
    for (Record record : records) {
      Interaction event = record.event();
      if (!counts(event)) {
        keys.add(List.of());
        continue;
      }
      Optional<String> creator = creatorOf(event, creators);
      keys.add(
          made.computeIfAbsent(
              new Bucket(
                  event.getVideoId(),
                  creator.orElse(null),
                  Math.floorDiv(event.getAtEpochMs(), HOUR_MS)),
              b -> List.copyOf(rowsOf(event, creator))));
    }
    return keys;
  }

  private static final long HOUR_MS = 3_600_000;

  /** The creator an event names, else the one {@code creators} knows for its video. */
  static Optional<String> creatorOf(Interaction event, Map<String, String> creators) {
    return creatorOf(event).or(() -> Optional.ofNullable(creators.get(event.getVideoId())));
  }

  /**
   * Adds {@code records} (in offset order) to {@code rows}, which must hold every row their events
   * name ({@link #rowsOf}); {@code creators} resolves events that name no creator. Returns the keys
   * of the rows that changed.
   */
  public static Set<RowKey> apply(
      List<Record> records, Map<RowKey, StudioRow> rows, Map<String, String> creators) {
    return apply(records, rowsOf(records, creators), rows);
  }

  /** {@link #apply(List, Map, Map)} with each record's rows already named ({@link #rowsOf}). */
  static Set<RowKey> apply(
      List<Record> records, List<List<RowKey>> rowsOfRecords, Map<RowKey, StudioRow> rows) {
    Set<RowKey> changed = new LinkedHashSet<>();
    for (int r = 0; r < records.size(); r++) {
      Record record = records.get(r);
      Interaction event = record.event();
      List<RowKey> keys = rowsOfRecords.get(r);
      if (keys.isEmpty()) {
        continue;
      }
      // a row key list names a creator only when the event has one (see rowsOf)
      String creator = keys.size() > 2 ? ((RowKey.VideoTotal) keys.get(2)).creatorId() : null;
      StudioRow videoDay = rows.get(keys.get(0));
      String id = identityOf(event);
      if (id != null) {
        Long seenAt = videoDay.recentIds.get(id);
        if (seenAt != null && seenAt != record.offset()) {
          continue; // a republished copy of an event counted at another offset
        }
      }
      for (RowKey key : keys) {
        StudioRow row = rows.get(key);
        if (row.throughOffset >= record.offset()) {
          continue; // this row has it
        }
        add(row.figures, event, key.detailed());
        if (creator != null) {
          row.creatorId = creator;
        }
        if (id != null && key == keys.get(0)) {
          row.remember(id, record.offset());
        }
        row.throughOffset = record.offset();
        changed.add(key);
      }
    }
    return changed;
  }

  /** The id an outbox may repeat an event under (likes, comments); null for views and shares. */
  static String identityOf(Interaction event) {
    return switch (event.getKind()) {
      case LIKE, UNLIKE, COMMENT, COMMENT_DELETED ->
          event.getEventId().isEmpty() ? null : event.getEventId();
      default -> null;
    };
  }

  /**
   * Adds {@code event} to {@code f}; to its retention and breakdowns only when {@code detailed}.
   */
  static void add(Figures f, Interaction event, boolean detailed) {
    switch (event.getKind()) {
      case VIEW -> {
        if (detailed) {
          f.addView(
              event.getUserId(),
              event.getRepeat(),
              event.getWatchMs(),
              event.getCompleted(),
              event.getDurationMs(),
              event.getSource(),
              event.getRegion(),
              event.getDevice());
        } else {
          f.addPlay(event.getUserId(), event.getRepeat(), event.getWatchMs(), event.getCompleted());
        }
      }
      case LIKE -> f.likes++;
      case UNLIKE -> f.likes--;
      case SHARE -> f.shares++;
      case COMMENT -> f.comments++;
      case COMMENT_DELETED -> f.comments--;
      default -> {}
    }
  }
}
