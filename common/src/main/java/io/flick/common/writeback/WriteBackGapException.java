package io.flick.common.writeback;

/**
 * A {@link WriteBackReply.Gap} as a failure: the records follow a batch their entity has neither
 * written nor is about to write, and nothing was taken. Send them again once that batch is
 * answered; if it failed, both must be delivered again.
 */
public final class WriteBackGapException extends RuntimeException {
  public WriteBackGapException(String message) {
    super(message);
  }
}
