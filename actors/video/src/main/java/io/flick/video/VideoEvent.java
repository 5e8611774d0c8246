package io.flick.video;

import io.flick.common.CborSerializable;
import io.flick.video.VideoSummary.Rendition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link VideoActor} journals. Events are forever: change one by adding a type or a Jackson
 * migration, never by editing it. Until the split into files they were nested in VideoActor; {@link
 * VideoJournalRenames} reads the events written under those names into these.
 */
public sealed interface VideoEvent extends CborSerializable {

  // ---- lifecycle

  /** {@code soundId} is null when the video has no sound. */
  record Created(
      String videoId,
      String creatorId,
      String caption,
      List<String> hashtags,
      String soundId,
      long sizeBytes,
      String contentType,
      String sourceKey,
      Instant uploadDeadline,
      Instant at)
      implements VideoEvent {}

  /**
   * UPLOADING → PROCESSING. {@code processingDeadline} is when the video fails if still PROCESSING;
   * null in events written before it existed, which means {@code at} plus the processing timeout.
   */
  record UploadCompleted(String videoId, String creatorId, Instant at, Instant processingDeadline)
      implements VideoEvent {}

  /** {@code posterKey} is null when there is no poster yet. */
  record FirstRungPublished(
      String videoId,
      String creatorId,
      long durationMs,
      int width,
      int height,
      Rendition rendition,
      String masterPlaylistKey,
      String posterKey,
      Instant at)
      implements VideoEvent {}

  /**
   * Carries creator, hashtags and sound so a feed index can add the video from this event alone.
   * {@code soundId}, {@code posterKey} and {@code dhash} (base64) may be null; so may {@code
   * content}, the video's content vector for the recommender (absent from events written before it
   * existed, and when the pipeline could not compute one).
   */
  record Readied(
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      String masterPlaylistKey,
      String posterKey,
      String dhash,
      List<Float> content,
      Instant at)
      implements VideoEvent {}

  record Failed(String videoId, String creatorId, String reason, Instant at)
      implements VideoEvent {}

  /**
   * The video is gone. {@code keys} are the objects it is known to have; every object under {@code
   * keyPrefix} (segments included) belongs to it too. Hashtags and sound let indexes drop it.
   */
  record Deleted(
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      List<String> keys,
      String keyPrefix,
      Instant at)
      implements VideoEvent {}

  // ---- moderation

  /**
   * READY → HELD for review. {@code moderatorId} is null when the pipeline's moderation hook held
   * it before it was ever listed (then {@link Readied} and this are written together).
   */
  record Held(
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      String moderatorId,
      String reason,
      Instant at)
      implements VideoEvent {}

  /** HELD → READY by a moderator. */
  record Released(String videoId, String creatorId, String moderatorId, Instant at)
      implements VideoEvent {}

  /** Removed by a moderator: gone as after {@link Deleted}, with who and why. */
  record Removed(
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      List<String> keys,
      String keyPrefix,
      String moderatorId,
      String reason,
      Instant at)
      implements VideoEvent {}

  // ---- sounds (a video owns the sound its own audio made; the sound's id is the video's id)

  /**
   * The clip's own audio matched no known sound: it is a new sound, "original sound" of this
   * video's creator, with the same id as the video. Written with {@link Readied}. {@code
   * fingerprint} is the raw Chromaprint fingerprint, base64 ({@code AudioFingerprint}).
   */
  record SoundCreated(
      String videoId, String creatorId, long durationMs, String fingerprint, Instant at)
      implements VideoEvent {}

  /** The creator let others use this video's sound and remix the video, or stopped them. */
  record ReuseSet(String videoId, String creatorId, boolean allowed, Instant at)
      implements VideoEvent {}

  // ---- remixes (duet, stitch)

  /**
   * This video is a remix of another: written with {@link Created}, in the same write, so the
   * remix's facts name their source from the start (and keep naming it after the source is gone).
   * {@code kind} is {@code DUET} or {@code STITCH}; {@code fromMs}/{@code toMs} are the stitched
   * part of the source (0 for a duet); {@code ofCreatorHandle} may be null.
   */
  record Remixed(
      String videoId,
      String creatorId,
      String ofVideoId,
      VideoSummary.RemixKind kind,
      String ofCreatorId,
      String ofCreatorHandle,
      long fromMs,
      long toMs,
      Instant at)
      implements VideoEvent {
    VideoSummary.RemixOf remixOf() {
      return new VideoSummary.RemixOf(ofVideoId, kind, ofCreatorId, ofCreatorHandle, fromMs, toMs);
    }
  }

  /** The creator let others duet and stitch this video, or stopped them. */
  record RemixSet(String videoId, String creatorId, boolean allowed, Instant at)
      implements VideoEvent {}

  // ---- write-back counters

  /**
   * One write of the write-back counters: {@code total} sums every batch counted since the last
   * one, {@code offsets} holds, for every partition of the {@code interactions} topic those batches
   * came from, the highest offset they cover, {@code eventIds} the identified events it counted.
   */
  record CountsFlushed(
      String videoId, CountDeltas total, Map<Integer, Long> offsets, List<String> eventIds)
      implements VideoEvent {
    public CountsFlushed {
      total = Objects.requireNonNullElse(total, CountDeltas.ZERO);
      offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
      // none in events written before identified events existed
      eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    }

    public CountsFlushed(String videoId, CountDeltas total, Map<Integer, Long> offsets) {
      this(videoId, total, offsets, List.of());
    }
  }
}
