package io.flick.video;

import io.flick.common.CborSerializable;
import io.flick.common.writeback.WriteBackReply;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a {@link VideoActor} is asked: the lifecycle ({@link VideoLifecycle}) and the write-back
 * counters ({@link VideoCounters}). The timers' own messages are private to the handler that arms
 * them.
 */
public sealed interface VideoCommand extends CborSerializable
    permits VideoCommand.Create,
        VideoCommand.CompleteUpload,
        VideoCommand.PublishFirstRung,
        VideoCommand.MarkReady,
        VideoCommand.MarkFailed,
        VideoCommand.Delete,
        VideoCommand.Get,
        VideoCommand.Hold,
        VideoCommand.Release,
        VideoCommand.Remove,
        VideoCommand.SetReuse,
        VideoCommand.SetRemix,
        VideoCommand.ApplyCounts,
        VideoCounters.Passivate,
        VideoCounters.FlushCounts,
        VideoDeadlines.DeadlinePassed,
        VideoDeadlines.RearmDeadline {

  // ---- lifecycle

  /**
   * Creates the video in UPLOADING. Idempotent: repeated with the same creator and source key it
   * answers the existing summary. Hashtags are normalised (see {@link Hashtags}). With {@code
   * remix}, the video is a duet or stitch of another (the caller has checked that the source may be
   * remixed); a remix has no chosen sound.
   */
  record Create(
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      long sizeBytes,
      String contentType,
      String sourceKey,
      Instant uploadDeadline,
      Optional<VideoSummary.RemixOf> remix,
      ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {
    public Create {
      soundId = Objects.requireNonNullElse(soundId, Optional.empty());
      remix = Objects.requireNonNullElse(remix, Optional.empty());
    }

    /** Not a remix. */
    public Create(
        String creatorId,
        String caption,
        List<String> hashtags,
        Optional<String> soundId,
        long sizeBytes,
        String contentType,
        String sourceKey,
        Instant uploadDeadline,
        ActorRef<StatusReply<VideoSummary>> replyTo) {
      this(
          creatorId,
          caption,
          hashtags,
          soundId,
          sizeBytes,
          contentType,
          sourceKey,
          uploadDeadline,
          Optional.empty(),
          replyTo);
    }
  }

  /** The creator has put every part: UPLOADING → PROCESSING. */
  record CompleteUpload(String creatorId, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  /**
   * The lowest rung is in the bucket with a master playlist naming only it: the video becomes
   * playable while still PROCESSING. {@code durationMs}, {@code width} and {@code height} describe
   * the display size of the source.
   */
  record PublishFirstRung(
      long durationMs,
      int width,
      int height,
      VideoSummary.Rendition rendition,
      String masterPlaylistKey,
      Optional<String> posterKey,
      ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  /**
   * The whole ladder is in the bucket: PROCESSING → READY. {@code dhash} is the base64 of the
   * fingerprint's dHash bytes, empty when none could be computed; an empty {@code posterKey} keeps
   * the first rung's poster; {@code content} is the content vector, empty when none was computed.
   */
  record MarkReady(
      long durationMs,
      int width,
      int height,
      List<VideoSummary.Rendition> renditions,
      String masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash,
      Optional<String> holdFor,
      Optional<ClipAudio> audio,
      List<Float> content,
      ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {

    public MarkReady {
      audio = Objects.requireNonNullElse(audio, Optional.empty());
      content = content == null ? List.of() : List.copyOf(content);
    }

    /** Without a content vector. */
    public MarkReady(
        long durationMs,
        int width,
        int height,
        List<VideoSummary.Rendition> renditions,
        String masterPlaylistKey,
        Optional<String> posterKey,
        Optional<String> dhash,
        Optional<String> holdFor,
        Optional<ClipAudio> audio,
        ActorRef<StatusReply<VideoSummary>> replyTo) {
      this(
          durationMs,
          width,
          height,
          renditions,
          masterPlaylistKey,
          posterKey,
          dhash,
          holdFor,
          audio,
          List.of(),
          replyTo);
    }

    /** Without what the clip's audio is (no audio, or not fingerprinted). */
    public MarkReady(
        long durationMs,
        int width,
        int height,
        List<VideoSummary.Rendition> renditions,
        String masterPlaylistKey,
        Optional<String> posterKey,
        Optional<String> dhash,
        Optional<String> holdFor,
        List<Float> content,
        ActorRef<StatusReply<VideoSummary>> replyTo) {
      this(
          durationMs,
          width,
          height,
          renditions,
          masterPlaylistKey,
          posterKey,
          dhash,
          holdFor,
          Optional.empty(),
          content,
          replyTo);
    }

    /** Without either. */
    public MarkReady(
        long durationMs,
        int width,
        int height,
        List<VideoSummary.Rendition> renditions,
        String masterPlaylistKey,
        Optional<String> posterKey,
        Optional<String> dhash,
        Optional<String> holdFor,
        ActorRef<StatusReply<VideoSummary>> replyTo) {
      this(
          durationMs,
          width,
          height,
          renditions,
          masterPlaylistKey,
          posterKey,
          dhash,
          holdFor,
          Optional.empty(),
          List.of(),
          replyTo);
    }

    /** READY at once: nothing asked for a review. */
    public MarkReady(
        long durationMs,
        int width,
        int height,
        List<VideoSummary.Rendition> renditions,
        String masterPlaylistKey,
        Optional<String> posterKey,
        Optional<String> dhash,
        ActorRef<StatusReply<VideoSummary>> replyTo) {
      this(
          durationMs,
          width,
          height,
          renditions,
          masterPlaylistKey,
          posterKey,
          dhash,
          Optional.empty(),
          Optional.empty(),
          List.of(),
          replyTo);
    }
  }

  /**
   * What the pipeline found the clip's own audio to be: a known sound ({@code matchedSoundId}), or
   * a new one with this fingerprint (raw Chromaprint, base64). Ignored when the uploader chose a
   * sound: then the chosen sound is the clip's.
   */
  record ClipAudio(Optional<String> matchedSoundId, String fingerprint, long durationMs)
      implements CborSerializable {
    public ClipAudio {
      matchedSoundId = Objects.requireNonNullElse(matchedSoundId, Optional.empty());
    }
  }

  /** UPLOADING or PROCESSING → FAILED; refused once READY. */
  record MarkFailed(String reason, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  /** Only the creator; the {@link VideoEvent.Deleted} event names every object to remove. */
  record Delete(String requesterId, ActorRef<StatusReply<Done>> replyTo) implements VideoCommand {}

  record Get(ActorRef<VideoLookup> replyTo) implements VideoCommand {}

  // ---- moderation (the caller has checked that {@code moderatorId} is a moderator)

  /** READY → HELD: off every list and not playable until released or removed. */
  record Hold(String moderatorId, String reason, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  /** HELD → READY. */
  record Release(String moderatorId, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  /** Any existing video → gone, as a deletion but by a moderator, with the reason. */
  record Remove(String moderatorId, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements VideoCommand {}

  // ---- sounds and remixes

  /** Only the creator: lets others use the video's sound and remix it, or stops them. */
  record SetReuse(String requesterId, boolean allowed, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  /** Only the creator: lets others duet and stitch the video, or stops them. */
  record SetRemix(String requesterId, boolean allowed, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements VideoCommand {}

  // ---- write-back counters

  /** {@link ApplyCounts#previousThrough()} when no earlier batch of the video is in flight. */
  long NO_PREVIOUS = -1;

  /**
   * One pre-aggregated batch of the {@code interactions} topic for this video: {@code deltas} sum
   * the video's events at offsets {@code fromOffset} to {@code toOffset} (inclusive) of {@code
   * partition}, {@code toOffset} being the highest offset the batch covers. Answered once the batch
   * is in the journal (up to one flush interval later), or at once when it already is, or when
   * there is no video to count for; only then may the consumer commit the offsets.
   *
   * <p>Batches of one partition must come in offset order, each answered before the consumer
   * commits past it: a batch at or below the offset counted (or waiting to be written) for its
   * partition is taken for a redelivery and not added again. A batch that starts at or below that
   * offset but ends above it (a redelivery cut differently, e.g. after the consumer restarted
   * between a flush and its commit) can be neither skipped nor added without losing or doubling
   * counts: it is answered {@link WriteBackReply.Overlap}, which says the offset after which the
   * consumer should re-aggregate. A batch that ends below its start, or has a negative partition,
   * offset, view, share, watch-time or completed-view count is answered {@link
   * WriteBackReply.Invalid}; only likes and comments may be negative (unlikes, deleted comments).
   *
   * <p>{@code previousThrough} is the end of the previous batch the consumer sent this video for
   * the partition while that one was still unanswered ({@link #NO_PREVIOUS} if none). A consumer
   * keeps several batches in flight; if an earlier one was lost here (the entity stopped before
   * writing it, e.g. Cassandra failed), adding the later one would move the counted offset past the
   * lost events and its redelivery would then be taken as already counted. So a batch whose
   * predecessor is neither counted nor waiting to be written is answered {@link
   * WriteBackReply.Gap}: the consumer sends it again once that predecessor is answered, or, if the
   * predecessor was lost, restarts from its committed offset and delivers both again.
   *
   * <p>{@code identified} are the batch's events that carry an id because their publisher may
   * repeat them (likes, comments: outboxes); each id counts once, whatever offsets it arrives at,
   * and {@code deltas} sums the others.
   */
  record ApplyCounts(
      int partition,
      long fromOffset,
      long toOffset,
      long previousThrough,
      CountDeltas deltas,
      List<CountDeltas.Identified> identified,
      ActorRef<WriteBackReply> replyTo)
      implements VideoCommand {
    public ApplyCounts {
      identified = identified == null ? List.of() : List.copyOf(identified);
    }

    /** A batch of events without ids (views, shares). */
    public ApplyCounts(
        int partition,
        long fromOffset,
        long toOffset,
        long previousThrough,
        CountDeltas deltas,
        ActorRef<WriteBackReply> replyTo) {
      this(partition, fromOffset, toOffset, previousThrough, deltas, List.of(), replyTo);
    }

    /** A batch with no earlier batch of this video still unanswered before it. */
    public ApplyCounts(
        int partition,
        long fromOffset,
        long toOffset,
        CountDeltas deltas,
        ActorRef<WriteBackReply> replyTo) {
      this(partition, fromOffset, toOffset, NO_PREVIOUS, deltas, replyTo);
    }
  }
}
