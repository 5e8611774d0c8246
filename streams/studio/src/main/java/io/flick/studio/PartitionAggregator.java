package io.flick.studio;

import io.flick.proto.events.Interaction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
   * Adds {@code records} (in offset order) to {@code rows}, which must hold every row their events
   * name ({@link #rowsOf}); {@code creators} resolves events that name no creator. Returns the keys
   * of the rows that changed.
   */
  public static Set<RowKey> apply(
      List<Record> records, Map<RowKey, StudioRow> rows, Map<String, String> creators) {
    Set<RowKey> changed = new LinkedHashSet<>();
    for (Record record : records) {
      Interaction event = record.event();
      Optional<String> creator =
          creatorOf(event).or(() -> Optional.ofNullable(creators.get(event.getVideoId())));
      List<RowKey> keys = rowsOf(event, creator);
      if (keys.isEmpty()) {
        continue;
      }
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
        add(row.figures, event);
        creator.ifPresent(c -> row.creatorId = c);
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

  static void add(Figures f, Interaction event) {
    switch (event.getKind()) {
      case VIEW ->
          f.addView(
              event.getUserId(),
              event.getRepeat(),
              event.getWatchMs(),
              event.getCompleted(),
              event.getDurationMs(),
              event.getSource(),
              event.getRegion(),
              event.getDevice());
      case LIKE -> f.likes++;
      case UNLIKE -> f.likes--;
      case SHARE -> f.shares++;
      case COMMENT -> f.comments++;
      case COMMENT_DELETED -> f.comments--;
      default -> {}
    }
  }
}
