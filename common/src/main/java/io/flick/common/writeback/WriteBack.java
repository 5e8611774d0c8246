package io.flick.common.writeback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a {@link WriteBackBuffer} holds for an entity fed from Kafka (the VideoActor's counts, the
 * UserActor's profile signals): what it took in since its last write, the highest offset that
 * covers per partition, and everyone waiting for that write, who is answered only once it is in the
 * journal.
 *
 * <p>Mutable state in a behavior: safe because it is never persisted and only the entity's own
 * thread touches it; every incarnation starts with an empty one. What a lost incarnation held is
 * not lost: none of its senders was answered, so their offsets are not committed and Kafka delivers
 * the records again.
 */
public final class WriteBack<T> {
  /** {@link #through(int)} of a partition with nothing pending. */
  public static final long NONE = -1;

  private final List<T> items = new ArrayList<>();
  private final Map<Integer, Long> offsets = new HashMap<>();
  private final List<ActorRef<WriteBackReply>> waiting = new ArrayList<>();

  /** What one write takes: the items, the offsets they cover, and whom to answer after it. */
  public record Taken<T>(
      List<T> items, Map<Integer, Long> offsets, List<ActorRef<WriteBackReply>> waiting) {
    /** Tells everyone waiting that the write is done. */
    public void answer() {
      waiting.forEach(replyTo -> replyTo.tell(WriteBackReply.WRITTEN));
    }
  }

  /** The highest offset pending in {@code partition}, or {@link #NONE}. */
  public long through(int partition) {
    return offsets.getOrDefault(partition, NONE);
  }

  /** The offset {@code partition} is written or about to be written through. */
  public long covered(int partition, long writtenThrough) {
    return Math.max(writtenThrough, through(partition));
  }

  public boolean isEmpty() {
    return items.isEmpty() && offsets.isEmpty() && waiting.isEmpty();
  }

  /** The items pending, oldest first (a view: read, don't keep). */
  public List<T> items() {
    return java.util.Collections.unmodifiableList(items);
  }

  /** How many items are pending. */
  public int size() {
    return items.size();
  }

  /** Takes {@code item}, covering {@code partition} through {@code offset}. */
  public void add(T item, int partition, long offset) {
    items.add(item);
    offsets.merge(partition, offset, Math::max);
  }

  /**
   * Covers {@code partition} through {@code offset} without an item (a record that is dropped, but
   * whose offset must count as dealt with).
   */
  public void advance(int partition, long offset) {
    offsets.merge(partition, offset, Math::max);
  }

  /** {@code replyTo} is answered after the next write (its records are pending, or part of it). */
  public void await(ActorRef<WriteBackReply> replyTo) {
    waiting.add(replyTo);
  }

  /** Everything pending, leaving nothing behind. */
  public Taken<T> take() {
    var taken = new Taken<>(List.copyOf(items), Map.copyOf(offsets), List.copyOf(waiting));
    items.clear();
    offsets.clear();
    waiting.clear();
    return taken;
  }
}
