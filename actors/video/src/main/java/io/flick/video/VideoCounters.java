package io.flick.video;

import io.flick.common.writeback.WriteBack;
import io.flick.common.writeback.WriteBackBuffer;
import io.flick.common.writeback.WriteBackReply;
import io.flick.video.VideoCommand.ApplyCounts;
import io.flick.video.VideoEvent.CountsFlushed;
import io.flick.video.VideoState.Counters;
import io.flick.video.VideoState.Live;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The write-back counters (views, likes, comments, shares, watch time) of a video, so a viral video
 * never turns into a hot journal partition.
 *
 * <p>The interactions consumer sends {@link ApplyCounts}, one pre-aggregated batch of the {@code
 * interactions} topic (keyed by video id, so all of a video's events in a partition are in that
 * partition) per video. A batch is summed in memory, not persisted, and its sender is not answered
 * yet; one timer ({@code flick.video.counter-flush-interval}) later, one {@link CountsFlushed}
 * event records everything summed since the last flush together with the highest offset it covers
 * in every partition, and only then is every waiting sender answered. So the journal sees at most
 * one counter write per video per interval however many batches arrive, and since the consumer
 * commits its Kafka offsets only after those answers, a crash before the flush loses nothing (Kafka
 * redelivers) and one after it counts nothing twice (a batch whose offsets are already counted, or
 * already waiting for the flush, is answered without being added again).
 *
 * <p>Counts apply in every live state, and never fail an overdue upload first; a video that does
 * not exist, or was deleted, answers success and counts nothing, so the consumer never stalls on
 * it. One handler per entity incarnation: it holds what is summed but not yet written.
 */
final class VideoCounters {
  /**
   * Stops the entity, first writing the counts it holds; sharding's stop message for passivation
   * and hand-off.
   */
  record Passivate() implements VideoCommand {}

  /** The flush timer fired: write every pending batch as one event. */
  record FlushCounts() implements VideoCommand {}

  private static final String FLUSH_TIMER = "flush";

  private final String videoId;
  private final EffectFactories<VideoEvent, VideoState> effect;

  /** What one batch adds: its sum, and the ids of the identified events in it. */
  private record Taken(CountDeltas deltas, List<String> eventIds) {}

  /** Batches taken since the last flush, and who waits for it. */
  private final WriteBackBuffer<Taken> pending;

  VideoCounters(
      String videoId,
      Duration flushInterval,
      TimerScheduler<VideoCommand> timers,
      EffectFactories<VideoEvent, VideoState> effect) {
    this.videoId = videoId;
    this.effect = effect;
    this.pending = new WriteBackBuffer<>(timers, FLUSH_TIMER, new FlushCounts(), flushInterval);
  }

  ReplyEffect<VideoEvent, VideoState> onApplyCounts(Live state, ApplyCounts cmd) {
    Optional<String> problem = batchProblem(cmd);
    if (problem.isPresent()) {
      return effect.reply(cmd.replyTo(), new WriteBackReply.Invalid(problem.get()));
    }
    int partition = cmd.partition();
    long counted = state.counters().countedThrough(partition);
    if (cmd.toOffset() <= counted) {
      return effect.reply(cmd.replyTo(), WriteBackReply.WRITTEN); // a redelivery: already counted
    }
    long covered = pending.covered(partition, counted);
    if (cmd.toOffset() <= covered) {
      pending.await(cmd.replyTo()); // a redelivery of a batch the next flush writes
      return effect.noReply();
    }
    if (cmd.previousThrough() > covered) {
      return effect.reply(cmd.replyTo(), new WriteBackReply.Gap(covered, gap(cmd, covered)));
    }
    if (cmd.fromOffset() <= covered) {
      return effect.reply(
          cmd.replyTo(), new WriteBackReply.Overlap(covered, overlap(cmd, covered)));
    }
    pending.add(newIn(state.counters(), cmd), partition, cmd.toOffset());
    pending.await(cmd.replyTo());
    pending.scheduleFlush();
    return effect.noReply();
  }

  /**
   * The batch's sum without the identified events counted already (written, waiting for the flush,
   * or earlier in this batch): a repeat from an outbox counts nothing.
   */
  private Taken newIn(Counters counters, ApplyCounts cmd) {
    CountDeltas sum = cmd.deltas();
    List<String> ids = new ArrayList<>();
    for (CountDeltas.Identified event : cmd.identified()) {
      String id = event.eventId();
      if (counters.hasCounted(id) || ids.contains(id) || isPending(id)) {
        continue;
      }
      sum = sum.plus(event.delta());
      ids.add(id);
    }
    return new Taken(sum, ids);
  }

  private boolean isPending(String eventId) {
    return pending.items().stream().anyMatch(t -> t.eventIds().contains(eventId));
  }

  /** A video that does not exist, or no longer does: nothing to count, and nothing to wait for. */
  ReplyEffect<VideoEvent, VideoState> nothingToCount(VideoState state, ApplyCounts cmd) {
    return effect.reply(cmd.replyTo(), WriteBackReply.WRITTEN);
  }

  /** Writes every pending batch as one event, then answers everyone who waits for it. */
  ReplyEffect<VideoEvent, VideoState> onFlush(Live state, FlushCounts cmd) {
    return pending.flush(effect, this::flushed);
  }

  ReplyEffect<VideoEvent, VideoState> onPassivate(Live state, Passivate cmd) {
    return pending.flushAndStop(effect, this::flushed);
  }

  /** The video was deleted while batches were pending: there is nothing left to count them for. */
  ReplyEffect<VideoEvent, VideoState> dropPending(VideoState state, FlushCounts cmd) {
    return pending.drop(effect);
  }

  ReplyEffect<VideoEvent, VideoState> dropPendingAndStop(VideoState state, Passivate cmd) {
    return pending.dropAndStop(effect);
  }

  private static Optional<String> batchProblem(ApplyCounts cmd) {
    CountDeltas d = cmd.deltas();
    if (d == null) {
      return Optional.of("deltas are required");
    }
    for (CountDeltas.Identified event : cmd.identified()) {
      if (event.eventId() == null || event.eventId().isBlank() || event.delta() == null) {
        return Optional.of("an identified event needs an id and deltas, not " + event);
      }
      if (event.delta().views() != 0 || event.delta().shares() != 0) {
        return Optional.of("identified events are likes and comments, not " + event);
      }
    }
    if (cmd.partition() < 0 || cmd.fromOffset() < 0 || cmd.toOffset() < cmd.fromOffset()) {
      return Optional.of(
          "a batch needs a partition and offsets 0 <= fromOffset <= toOffset, not "
              + describe(cmd));
    }
    if (d.views() < 0 || d.shares() < 0 || d.watchMs() < 0 || d.completedViews() < 0) {
      return Optional.of("only likes and comments may be negative, not in " + d);
    }
    return Optional.empty();
  }

  private String overlap(ApplyCounts cmd, long covered) {
    return "already counted through offset "
        + covered
        + " in partition "
        + cmd.partition()
        + " for video "
        + videoId
        + ", and batch "
        + describe(cmd)
        + " starts before that: count only the events after offset "
        + covered;
  }

  private String gap(ApplyCounts cmd, long covered) {
    return "batch "
        + describe(cmd)
        + " for video "
        + videoId
        + " follows a batch through offset "
        + cmd.previousThrough()
        + " that was never counted here (counted through "
        + covered
        + "): redeliver from the committed offset";
  }

  private static String describe(ApplyCounts cmd) {
    return cmd.partition() + ":" + cmd.fromOffset() + ".." + cmd.toOffset();
  }

  private CountsFlushed flushed(WriteBack.Taken<Taken> flush) {
    return new CountsFlushed(
        videoId,
        flush.items().stream().map(Taken::deltas).reduce(CountDeltas.ZERO, CountDeltas::plus),
        flush.offsets(),
        flush.items().stream().flatMap(t -> t.eventIds().stream()).toList());
  }
}
