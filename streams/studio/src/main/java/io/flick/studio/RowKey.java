package io.flick.studio;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Which studio row an event adds to, within one Kafka partition's share (the partition is the row's
 * last key column, owned by the consumer of that partition).
 */
public sealed interface RowKey {
  /**
   * Whether the row stores retention and breakdowns (a video's day or hour); the others store the
   * scalar figures and the viewers only, so the aggregation spends nothing on the rest for them.
   */
  default boolean detailed() {
    return this instanceof VideoDay || this instanceof VideoHour;
  }

  /** A video's figures of a day, with its breakdowns and retention. */
  record VideoDay(String videoId, LocalDate day) implements RowKey {}

  /** A video's figures of an hour, with its breakdowns and retention (kept a few days). */
  record VideoHour(String videoId, Instant hour) implements RowKey {}

  /** A video's figures since its first event: the studio's video table. */
  record VideoTotal(String creatorId, String videoId) implements RowKey {}

  /** A creator's figures of a day (kept 400 days). */
  record CreatorDay(String creatorId, LocalDate day) implements RowKey {}

  /** A creator's figures of an hour (kept a few days). */
  record CreatorHour(String creatorId, Instant hour) implements RowKey {}
}
