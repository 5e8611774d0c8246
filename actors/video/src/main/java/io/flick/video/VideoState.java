package io.flick.video;

import io.flick.common.CborSerializable;
import io.flick.video.VideoEvent.CountsFlushed;
import io.flick.video.VideoEvent.Created;
import io.flick.video.VideoEvent.Deleted;
import io.flick.video.VideoEvent.Failed;
import io.flick.video.VideoEvent.FirstRungPublished;
import io.flick.video.VideoEvent.Held;
import io.flick.video.VideoEvent.Readied;
import io.flick.video.VideoEvent.Released;
import io.flick.video.VideoEvent.RemixSet;
import io.flick.video.VideoEvent.Remixed;
import io.flick.video.VideoEvent.Removed;
import io.flick.video.VideoEvent.ReuseSet;
import io.flick.video.VideoEvent.UploadCompleted;
import io.flick.video.VideoSummary.Counts;
import io.flick.video.VideoSummary.Engagement;
import io.flick.video.VideoSummary.Media;
import io.flick.video.VideoSummary.Status;
import io.flick.video.VideoSummary.Upload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link VideoActor}'s state, one record per lifecycle phase; only the event handler calls the
 * methods that make the next one. Snapshots are these records: like events they must stay readable
 * (see {@link VideoJournalRenames}).
 */
public sealed interface VideoState extends CborSerializable {

  /** Never created. */
  record Empty() implements VideoState {}

  /**
   * A video that exists; one record per lifecycle phase, each holding the summary a client sees,
   * {@code mediaKeys}, every object key the video has named so far, and its {@link Counters}.
   */
  sealed interface Live extends VideoState {
    VideoSummary video();

    List<String> mediaKeys();

    Counters counters();

    /** The same phase with another summary and counters. */
    Live with(VideoSummary video, Counters counters);

    default String creatorId() {
      return video().creatorId();
    }

    default Failure apply(Failed e) {
      return new Failure(
          video()
              .with(
                  Status.FAILED, Optional.of(e.reason()), false, video().media(), Optional.empty()),
          mediaKeys(),
          counters());
    }

    default Live counted(CountsFlushed e) {
      Counters counted = counters().plus(e);
      return with(video().withCounts(counted.counts(), counted.engagement()), counted);
    }

    default Live apply(ReuseSet e) {
      return with(video().withReuseAllowed(e.allowed()), counters());
    }

    default Live apply(RemixSet e) {
      return with(video().withRemixAllowed(e.allowed()), counters());
    }

    default Gone apply(Deleted e) {
      return new Gone(e.videoId(), e.creatorId(), e.at());
    }

    default Gone apply(Removed e) {
      return new Gone(e.videoId(), e.creatorId(), e.at());
    }
  }

  record Uploading(VideoSummary video, List<String> mediaKeys, Counters counters) implements Live {
    public Uploading {
      mediaKeys = List.copyOf(mediaKeys);
      counters = Objects.requireNonNullElse(counters, Counters.NONE);
    }

    @Override
    public Uploading with(VideoSummary video, Counters counters) {
      return new Uploading(video, mediaKeys, counters);
    }

    static Uploading created(Created e) {
      var video =
          new VideoSummary(
              e.videoId(),
              e.creatorId(),
              e.caption(),
              e.hashtags(),
              Optional.ofNullable(e.soundId()),
              e.at(),
              new Upload(e.sizeBytes(), e.contentType(), e.sourceKey(), e.uploadDeadline()),
              Status.UPLOADING,
              Optional.empty(),
              false,
              Media.NONE,
              Counts.ZERO,
              Optional.ofNullable(e.uploadDeadline()),
              Engagement.ZERO);
      return new Uploading(video, List.of(e.sourceKey()), Counters.NONE);
    }

    Instant deadline() {
      return video.upload().deadline();
    }

    Uploading apply(Remixed e) {
      return new Uploading(video.withRemixOf(e.remixOf()), mediaKeys, counters);
    }

    boolean overdueAt(Instant now) {
      return !now.isBefore(deadline());
    }

    /** {@code processingTimeout} only counts for events written without a deadline. */
    Processing apply(UploadCompleted e, Duration processingTimeout) {
      Instant deadline =
          e.processingDeadline() != null ? e.processingDeadline() : e.at().plus(processingTimeout);
      return new Processing(
          video.with(
              Status.PROCESSING, Optional.empty(), false, video.media(), Optional.of(deadline)),
          mediaKeys,
          counters);
    }
  }

  /**
   * PROCESSING; playable once the first rung is published. Its deadline, set when the upload
   * completed, is in {@link VideoSummary#deadline()}.
   */
  record Processing(VideoSummary video, List<String> mediaKeys, Counters counters) implements Live {
    public Processing {
      mediaKeys = List.copyOf(mediaKeys);
      counters = Objects.requireNonNullElse(counters, Counters.NONE);
    }

    @Override
    public Processing with(VideoSummary video, Counters counters) {
      return new Processing(video, mediaKeys, counters);
    }

    Instant deadline() {
      return video.deadline().orElseThrow();
    }

    boolean overdueAt(Instant now) {
      return !now.isBefore(deadline());
    }

    Processing apply(FirstRungPublished e) {
      var media =
          new Media(
              e.durationMs(),
              e.width(),
              e.height(),
              List.of(e.rendition()),
              Optional.of(e.masterPlaylistKey()),
              Optional.ofNullable(e.posterKey()),
              Optional.empty());
      return new Processing(
          video.with(Status.PROCESSING, Optional.empty(), true, media, video.deadline()),
          withKeys(mediaKeys, e.masterPlaylistKey(), e.posterKey(), e.rendition().playlistKey()),
          counters);
    }

    Ready apply(Readied e) {
      var media =
          new Media(
              e.durationMs(),
              e.width(),
              e.height(),
              e.renditions(),
              Optional.of(e.masterPlaylistKey()),
              Optional.ofNullable(e.posterKey()),
              Optional.ofNullable(e.dhash()),
              e.content());
      List<String> keys = new ArrayList<>();
      keys.add(e.masterPlaylistKey());
      keys.add(e.posterKey());
      e.renditions().forEach(r -> keys.add(r.playlistKey()));
      // the sound is known at READY: the one chosen at upload, or what the clip's audio matched
      Optional<String> sound = e.soundId() != null ? Optional.of(e.soundId()) : video.soundId();
      return new Ready(
          video
              .withSound(sound)
              .with(Status.READY, Optional.empty(), true, media, Optional.empty()),
          withKeys(mediaKeys, keys.toArray(String[]::new)),
          counters);
    }
  }

  record Ready(VideoSummary video, List<String> mediaKeys, Counters counters) implements Live {
    public Ready {
      mediaKeys = List.copyOf(mediaKeys);
      counters = Objects.requireNonNullElse(counters, Counters.NONE);
    }

    @Override
    public Ready with(VideoSummary video, Counters counters) {
      return new Ready(video, mediaKeys, counters);
    }

    UnderReview apply(Held e) {
      return new UnderReview(
          video.with(Status.HELD, Optional.empty(), false, video.media(), Optional.empty()),
          mediaKeys,
          counters,
          e.reason());
    }
  }

  /** HELD: transcoded, waiting for a moderator; {@code reason} is why it was held. */
  record UnderReview(VideoSummary video, List<String> mediaKeys, Counters counters, String reason)
      implements Live {
    public UnderReview {
      mediaKeys = List.copyOf(mediaKeys);
      counters = Objects.requireNonNullElse(counters, Counters.NONE);
    }

    @Override
    public UnderReview with(VideoSummary video, Counters counters) {
      return new UnderReview(video, mediaKeys, counters, reason);
    }

    Ready apply(Released e) {
      return new Ready(
          video.with(Status.READY, Optional.empty(), true, video.media(), Optional.empty()),
          mediaKeys,
          counters);
    }
  }

  /** FAILED: final but for deletion. */
  record Failure(VideoSummary video, List<String> mediaKeys, Counters counters) implements Live {
    public Failure {
      mediaKeys = List.copyOf(mediaKeys);
      counters = Objects.requireNonNullElse(counters, Counters.NONE);
    }

    @Override
    public Failure with(VideoSummary video, Counters counters) {
      return new Failure(video, mediaKeys, counters);
    }
  }

  /** DELETED: only who deleted it and when; every query answers "gone". */
  record Gone(String videoId, String creatorId, Instant deletedAt) implements VideoState {}

  /**
   * What the write-back counters have counted: {@code totals}, the plain sum of every flushed batch
   * (likes and comments may be below zero here, e.g. when unlikes of likes counted before the
   * counters existed come in; the summary shows them as zero), and {@code countedOffsets}, for
   * every partition of the {@code interactions} topic, the highest offset counted.
   */
  record Counters(
      CountDeltas totals, Map<Integer, Long> countedOffsets, List<String> recentEventIds)
      implements CborSerializable {
    public static final Counters NONE = new Counters(CountDeltas.ZERO, Map.of(), List.of());

    /**
     * How many identified events' ids a video remembers (the newest). An outbox projection repeats
     * only what it published after its last stored offset — at most {@code
     * flick.projections.save-offset.after-envelopes} (100) events per tag, of all videos — so a
     * repeat of an id older than this many counted events of one video cannot arrive.
     */
    static final int EVENT_ID_WINDOW = 1000;

    public Counters {
      totals = Objects.requireNonNullElse(totals, CountDeltas.ZERO);
      countedOffsets = countedOffsets == null ? Map.of() : Map.copyOf(countedOffsets);
      recentEventIds = recentEventIds == null ? List.of() : List.copyOf(recentEventIds);
    }

    Counters(CountDeltas totals, Map<Integer, Long> countedOffsets) {
      this(totals, countedOffsets, List.of());
    }

    /** Whether the identified event {@code eventId} is counted already. */
    boolean hasCounted(String eventId) {
      return recentEventIds.contains(eventId);
    }

    /**
     * The highest offset of {@code partition} counted, -1 when none (Kafka's offsets start at 0).
     */
    long countedThrough(int partition) {
      return countedOffsets.getOrDefault(partition, -1L);
    }

    Counters plus(CountsFlushed e) {
      Map<Integer, Long> offsets = new HashMap<>(countedOffsets);
      e.offsets().forEach((partition, offset) -> offsets.merge(partition, offset, Math::max));
      List<String> ids = recentEventIds;
      if (!e.eventIds().isEmpty()) {
        List<String> all = new ArrayList<>(recentEventIds);
        all.addAll(e.eventIds());
        ids = all.subList(Math.max(0, all.size() - EVENT_ID_WINDOW), all.size());
      }
      return new Counters(totals.plus(e.total()), offsets, ids);
    }

    Counts counts() {
      return new Counts(
          Math.max(0, totals.views()),
          Math.max(0, totals.likes()),
          Math.max(0, totals.comments()),
          Math.max(0, totals.shares()));
    }

    Engagement engagement() {
      return new Engagement(Math.max(0, totals.watchMs()), Math.max(0, totals.completedViews()));
    }
  }

  private static List<String> withKeys(List<String> known, String... keys) {
    Set<String> all = new LinkedHashSet<>(known);
    for (String key : keys) {
      if (key != null && !key.isBlank()) {
        all.add(key);
      }
    }
    return List.copyOf(all);
  }
}
