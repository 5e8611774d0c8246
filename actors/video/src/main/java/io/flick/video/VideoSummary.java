package io.flick.video;

import io.flick.common.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything known about a live video, as a client sees it. {@code playable} is true once a master
 * playlist exists (the first rung while PROCESSING, the whole ladder when READY) and the video has
 * not failed. {@code deadline} is the instant by which the current state must change, or the video
 * fails: present while UPLOADING (the upload deadline) and PROCESSING (the processing deadline),
 * empty once READY or FAILED. {@code counts} and {@code engagement} are the flushed totals of the
 * write-back counters.
 *
 * <p>Part of the snapshot state too (inside {@link VideoState.Live}): a field added here needs a
 * default for snapshots written without it.
 */
public record VideoSummary(
    String id,
    String creatorId,
    String caption,
    List<String> hashtags,
    Optional<String> soundId,
    Instant createdAt,
    Upload upload,
    Status status,
    Optional<String> failureReason,
    boolean playable,
    Media media,
    Counts counts,
    Optional<Instant> deadline,
    Engagement engagement,
    boolean reuseOff,
    Optional<RemixOf> remixOf,
    boolean remixOff)
    implements CborSerializable {
  public VideoSummary {
    // snapshots written before remixes existed: not a remix, remixes allowed
    remixOf = Objects.requireNonNullElse(remixOf, Optional.empty());
    hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
    soundId = Objects.requireNonNullElse(soundId, Optional.empty());
    failureReason = Objects.requireNonNullElse(failureReason, Optional.empty());
    media = Objects.requireNonNullElse(media, Media.NONE);
    counts = Objects.requireNonNullElse(counts, Counts.ZERO);
    deadline = Objects.requireNonNullElse(deadline, Optional.empty());
    engagement = Objects.requireNonNullElse(engagement, Engagement.ZERO);
  }

  /** Reuse allowed (the default: snapshots written before {@code reuseOff} existed read so). */
  public VideoSummary(
      String id,
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      Instant createdAt,
      Upload upload,
      Status status,
      Optional<String> failureReason,
      boolean playable,
      Media media,
      Counts counts,
      Optional<Instant> deadline,
      Engagement engagement) {
    this(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        false);
  }

  /** Not a remix, remixes allowed. */
  public VideoSummary(
      String id,
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      Instant createdAt,
      Upload upload,
      Status status,
      Optional<String> failureReason,
      boolean playable,
      Media media,
      Counts counts,
      Optional<Instant> deadline,
      Engagement engagement,
      boolean reuseOff) {
    this(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        reuseOff,
        Optional.empty(),
        false);
  }

  /** Whether others may duet or stitch this video (the default; the creator can turn it off). */
  public boolean remixAllowed() {
    return !remixOff;
  }

  /** Whether others may use this video's sound and remix it (the creator can turn it off). */
  public boolean reuseAllowed() {
    return !reuseOff;
  }

  VideoSummary withSound(Optional<String> soundId) {
    return new VideoSummary(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        reuseOff,
        remixOf,
        remixOff);
  }

  VideoSummary withRemixAllowed(boolean allowed) {
    return new VideoSummary(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        reuseOff,
        remixOf,
        !allowed);
  }

  VideoSummary withRemixOf(RemixOf remixOf) {
    return new VideoSummary(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        reuseOff,
        Optional.of(remixOf),
        remixOff);
  }

  VideoSummary withReuseAllowed(boolean allowed) {
    return new VideoSummary(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        !allowed,
        remixOf,
        remixOff);
  }

  VideoSummary with(
      Status status,
      Optional<String> failureReason,
      boolean playable,
      Media media,
      Optional<Instant> deadline) {
    return new VideoSummary(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        reuseOff,
        remixOf,
        remixOff);
  }

  VideoSummary withCounts(Counts counts, Engagement engagement) {
    return new VideoSummary(
        id,
        creatorId,
        caption,
        hashtags,
        soundId,
        createdAt,
        upload,
        status,
        failureReason,
        playable,
        media,
        counts,
        deadline,
        engagement,
        reuseOff,
        remixOf,
        remixOff);
  }

  /**
   * What this video remixes, as it was when the remix was uploaded: the source's id, the kind
   * ({@code duet} or {@code stitch}), the source's creator and their handle (null if unknown), and
   * for a stitch the part of the source it starts with ({@code fromMs}..{@code toMs}; 0 and 0 for a
   * duet). The remix owns its media: the source's later deletion changes nothing here.
   */
  public record RemixOf(
      String videoId,
      RemixKind kind,
      String creatorId,
      String creatorHandle,
      long fromMs,
      long toMs)
      implements CborSerializable {
    public RemixOf {
      Objects.requireNonNull(videoId, "videoId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(creatorId, "creatorId");
    }
  }

  /** The two ways to remix a video. */
  public enum RemixKind {
    /** Side by side with the source, both audible, as long as the new clip. */
    DUET,
    /** A part of the source (1–5 s), then the new clip. */
    STITCH
  }

  /** What a client sees; a deleted video is never summarised. */
  public enum Status {
    UPLOADING,
    PROCESSING,
    READY,
    FAILED,
    /** Transcoded, but held for a moderator's review: not listed, not playable. */
    HELD
  }

  /** What the client declared when it started the upload, and where the original goes. */
  public record Upload(long sizeBytes, String contentType, String sourceKey, Instant deadline)
      implements CborSerializable {}

  /**
   * What transcoding produced; {@link #NONE} before. Sizes are the display size (rotation applied);
   * durations in milliseconds; {@code dhash} is base64; {@code content} is the content vector the
   * recommender compares videos by, empty when there is none (snapshots from before it read so).
   */
  public record Media(
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      Optional<String> masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash,
      List<Float> content)
      implements CborSerializable {
    public static final Media NONE =
        new Media(0, 0, 0, List.of(), Optional.empty(), Optional.empty(), Optional.empty());

    public Media {
      renditions = renditions == null ? List.of() : List.copyOf(renditions);
      masterPlaylistKey = Objects.requireNonNullElse(masterPlaylistKey, Optional.empty());
      posterKey = Objects.requireNonNullElse(posterKey, Optional.empty());
      dhash = Objects.requireNonNullElse(dhash, Optional.empty());
      content = content == null ? List.of() : List.copyOf(content);
    }

    /** Without a content vector. */
    public Media(
        long durationMs,
        int width,
        int height,
        List<Rendition> renditions,
        Optional<String> masterPlaylistKey,
        Optional<String> posterKey,
        Optional<String> dhash) {
      this(durationMs, width, height, renditions, masterPlaylistKey, posterKey, dhash, List.of());
    }
  }

  /** One HLS rung, as named in the master playlist. */
  public record Rendition(
      String name,
      int width,
      int height,
      long bandwidth,
      long averageBandwidth,
      String codecs,
      String playlistKey)
      implements CborSerializable {}

  /** Interaction counts as a client sees them; likes and comments never below zero. */
  public record Counts(long views, long likes, long comments, long shares)
      implements CborSerializable {
    public static final Counts ZERO = new Counts(0, 0, 0, 0);
  }

  /** Watch time in milliseconds and views that reached the end, summed over every counted batch. */
  public record Engagement(long watchMs, long completedViews) implements CborSerializable {
    public static final Engagement ZERO = new Engagement(0, 0);
  }
}
