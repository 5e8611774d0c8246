package io.flick.common.writeback;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The write-back buffer of an entity fed from Kafka (the VideoActor's counts, the UserActor's
 * profile signals): what it took in since its last journal write ({@link WriteBack}), the timer
 * that makes that write at most one flush interval after the first record, and the write itself,
 * one event for everything pending, after which everyone waiting is answered.
 *
 * <p>The entity decides what to take (its offsets, its redeliveries, its gaps) and what the event
 * is; the buffer makes every such entity flush, stop and drop the same way. One buffer per entity
 * incarnation, touched only by the entity's own thread (see {@link WriteBack}).
 */
public final class WriteBackBuffer<T> {
  private final WriteBack<T> pending = new WriteBack<>();
  private final Runnable arm;
  private final Runnable cancel;
  private final BooleanSupplier armed;

  /**
   * {@code flush} is the message the entity gets, from {@code timers} under {@code timerKey}, one
   * {@code interval} after the first record it took since its last write.
   */
  public <C> WriteBackBuffer(
      TimerScheduler<C> timers, Object timerKey, C flush, Duration interval) {
    this.arm = () -> timers.startSingleTimer(timerKey, flush, interval);
    this.cancel = () -> timers.cancel(timerKey);
    this.armed = () -> timers.isTimerActive(timerKey);
  }

  /** The highest offset pending in {@code partition}, or {@link WriteBack#NONE}. */
  public long through(int partition) {
    return pending.through(partition);
  }

  /** The offset {@code partition} is written or about to be written through. */
  public long covered(int partition, long writtenThrough) {
    return pending.covered(partition, writtenThrough);
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }

  /** The items pending, oldest first (a view: read, don't keep). */
  public java.util.List<T> items() {
    return pending.items();
  }

  /** How many items are pending. */
  public int size() {
    return pending.size();
  }

  /** Takes {@code item}, covering {@code partition} through {@code offset}. */
  public void add(T item, int partition, long offset) {
    pending.add(item, partition, offset);
  }

  /** Covers {@code partition} through {@code offset} without an item (a dropped record). */
  public void advance(int partition, long offset) {
    pending.advance(partition, offset);
  }

  /** {@code replyTo} is answered after the next write (its records are pending, or part of it). */
  public void await(ActorRef<WriteBackReply> replyTo) {
    pending.await(replyTo);
  }

  /**
   * Makes sure the next write comes: arms the flush timer unless it is armed already, so the first
   * record taken since the last write waits at most one interval, and later ones no longer.
   */
  public void scheduleFlush() {
    if (!armed.getAsBoolean()) {
      arm.run();
    }
  }

  /**
   * Writes everything pending as one {@code event} and answers everyone waiting once it is in the
   * journal; nothing when nothing is pending.
   */
  public <E, S> ReplyEffect<E, S> flush(
      EffectFactories<E, S> effect, Function<WriteBack.Taken<T>, E> event) {
    if (pending.isEmpty()) {
      return effect.noReply();
    }
    cancel.run();
    WriteBack.Taken<T> taken = pending.take();
    return effect.persist(event.apply(taken)).thenRun(s -> taken.answer()).thenNoReply();
  }

  /** Writes what is pending, as {@link #flush} does, then stops the entity (passivation). */
  public <E, S> ReplyEffect<E, S> flushAndStop(
      EffectFactories<E, S> effect, Function<WriteBack.Taken<T>, E> event) {
    cancel.run();
    if (pending.isEmpty()) {
      return effect.stop().thenNoReply();
    }
    WriteBack.Taken<T> taken = pending.take();
    return effect.persist(event.apply(taken)).thenRun(s -> taken.answer()).thenStop().thenNoReply();
  }

  /**
   * Drops what is pending and answers everyone waiting: the entity has nothing left to write it for
   * (it was deleted meanwhile).
   */
  public <E, S> ReplyEffect<E, S> drop(EffectFactories<E, S> effect) {
    WriteBack.Taken<T> dropped = pending.take();
    return effect.none().thenRun(s -> dropped.answer()).thenNoReply();
  }

  /** Drops what is pending, as {@link #drop} does, then stops the entity (passivation). */
  public <E, S> ReplyEffect<E, S> dropAndStop(EffectFactories<E, S> effect) {
    cancel.run();
    WriteBack.Taken<T> dropped = pending.take();
    return effect.none().thenRun(s -> dropped.answer()).thenStop().thenNoReply();
  }
}
