package io.flick.common.writeback;

import io.flick.common.CborSerializable;

/**
 * What a write-back entity answers to records it was given from a Kafka partition (the VideoActor's
 * counts, the UserActor's profile signals): typed, so no caller reads a message to decide.
 */
public sealed interface WriteBackReply extends CborSerializable {
  WriteBackReply WRITTEN = new Written();

  /**
   * In the journal (or already was, or there was nothing to write them for): the offsets may be
   * committed.
   */
  record Written() implements WriteBackReply {}

  /**
   * The records start at or before {@code writtenThrough}, the offset their partition is written
   * (or about to be) through, and end after it, and they were summed, so they can be neither
   * skipped nor added: nothing was taken; send the records after {@code writtenThrough} again.
   */
  record Overlap(long writtenThrough, String detail) implements WriteBackReply {}

  /**
   * The records follow a batch (the sender's {@code previousThrough}) that is neither written nor
   * waiting to be written here ({@code writtenThrough} is): nothing was taken. Send them again once
   * that batch is answered; if it was lost, redeliver both.
   */
  record Gap(long writtenThrough, String detail) implements WriteBackReply {}

  /** Malformed records; {@code reason} says what is wrong with them. */
  record Invalid(String reason) implements WriteBackReply {}
}
