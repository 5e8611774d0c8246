package io.flick.video;

import io.flick.common.CborSerializable;
import io.flick.common.NodeRoles;
import io.flick.common.projection.ReadSide;
import io.flick.common.writeback.WriteBack;
import io.flick.common.writeback.WriteBackReply;
import io.flick.video.VideoService.NotCreatorException;
import io.flick.video.VideoService.VideoNotFoundException;
import io.flick.video.VideoService.VideoStateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One video: its metadata and its lifecycle UPLOADING → PROCESSING → READY, or FAILED with a reason
 * the uploader can read, and DELETED at the end. The lowest HLS rung may be published while the
 * video is still PROCESSING so playback can start before the whole ladder is done.
 *
 * <p>Every command is idempotent: repeated in the state it already produced, it answers success
 * without a new event, so the upload route and the transcode pipeline can simply retry.
 *
 * <p>An upload has a deadline, and so has processing: when the upload completes the video must
 * leave PROCESSING within {@code flick.transcode.processing-timeout} (publishing the first rung
 * does not extend that). {@link VideoSummary#deadline()} is the deadline of the current state. A
 * timer fails the video when its deadline passes; the timer is re-armed when the entity recovers,
 * and a command reaching an UPLOADING or PROCESSING video past its deadline fails it first (but
 * {@link MarkFailed}, which records its own reason, and {@link Delete}), so a video read after its
 * deadline is never seen UPLOADING or PROCESSING. A passivated or rebalanced entity holds no timer
 * until something wakes it: {@link DeadlineSweeper} sends overdue videos a {@link Get}.
 *
 * <p>Write-back counters: the interactions consumer sends {@link ApplyCounts}, one pre-aggregated
 * batch of the {@code interactions} topic (keyed by video id, so all of a video's events in a
 * partition are in that partition) per video. A batch is summed in memory, not persisted, and its
 * sender is not answered yet; one timer ({@code flick.video.counter-flush-interval}) later, one
 * {@link CountsFlushed} event records everything summed since the last flush together with the
 * highest offset it covers in every partition, and only then is every waiting sender answered. So
 * the journal sees at most one counter write per video per interval however many batches arrive,
 * and since the consumer commits its Kafka offsets only after those answers, a crash before the
 * flush loses nothing (Kafka redelivers) and one after it counts nothing twice (a batch whose
 * offsets are already counted, or already waiting for the flush, is answered without being added
 * again). Counts apply in every live state, and never fail an overdue upload first; a video that
 * does not exist, or was deleted, answers success and counts nothing, so the consumer never stalls
 * on it. A counter-carrying video gets one event per interval forever: the entity snapshots every
 * {@value #SNAPSHOT_EVERY} events.
 */
public final class VideoActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        VideoActor.Command, VideoActor.Event, VideoActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Video");

  public static final int MAX_CAPTION_LENGTH = 2200;

  static final String DEADLINE_REASON = "upload was not completed before its deadline";

  /** Where the processing timeout is configured; this module's reference.conf has a default. */
  public static final String PROCESSING_TIMEOUT_PATH = "flick.transcode.processing-timeout";

  // the scheduler cannot hold a timer for much more than 248 days; longer waits are re-armed
  private static final Duration MAX_TIMER_DELAY = Duration.ofDays(30);
  private static final String DEADLINE_TIMER = "deadline";

  /**
   * Where the interval of the write-back counters is configured; this module's reference.conf has a
   * default.
   */
  public static final String COUNTER_FLUSH_INTERVAL_PATH = "flick.video.counter-flush-interval";

  private static final String FLUSH_TIMER = "flush";
  static final int SNAPSHOT_EVERY = 200;

  /**
   * A rebalanced or passivated entity is stopped with {@link Passivate}, so it writes the counts it
   * holds before it goes.
   */
  public static void init(ActorSystem<?> system) {
    Duration processingTimeout = processingTimeout(system);
    Duration flushInterval = counterFlushInterval(system);
    Entity<Command, ShardingEnvelope<Command>> entity =
        Entity.of(
                ENTITY_TYPE_KEY,
                ctx ->
                    VideoActor.create(
                        ctx.getEntityId(), Clock.systemUTC(), processingTimeout, flushInterval))
            .withStopMessage(new Passivate());
    // hosted on the nodes with the entities role; a proxy on the others
    ClusterSharding.get(system)
        .init(
            NodeRoles.restrictTo(system, NodeRoles.ENTITIES).map(entity::withRole).orElse(entity));
  }

  /**
   * Reads the processing timeout ({@value #PROCESSING_TIMEOUT_PATH}) and the counter flush interval
   * ({@value #COUNTER_FLUSH_INTERVAL_PATH}) from the system's config.
   */
  public static Behavior<Command> create(String videoId) {
    return create(videoId, Clock.systemUTC());
  }

  static Behavior<Command> create(String videoId, Clock clock) {
    return Behaviors.setup(
        context ->
            create(
                videoId,
                clock,
                processingTimeout(context.getSystem()),
                counterFlushInterval(context.getSystem())));
  }

  static Behavior<Command> create(
      String videoId, Clock clock, Duration processingTimeout, Duration flushInterval) {
    if (processingTimeout.isNegative() || processingTimeout.isZero()) {
      throw new IllegalArgumentException(PROCESSING_TIMEOUT_PATH + " must be positive");
    }
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException(COUNTER_FLUSH_INTERVAL_PATH + " must be positive");
    }
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new VideoActor(
                        videoId, clock, processingTimeout, flushInterval, context, timers)));
  }

  public static Duration processingTimeout(ActorSystem<?> system) {
    return system.settings().config().getDuration(PROCESSING_TIMEOUT_PATH);
  }

  static Duration counterFlushInterval(ActorSystem<?> system) {
    return system.settings().config().getDuration(COUNTER_FLUSH_INTERVAL_PATH);
  }

  /**
   * Why a video that stayed PROCESSING past its deadline failed, in words its uploader can read.
   */
  static String processingDeadlineReason(Duration timeout) {
    return "processing did not finish in time (" + readable(timeout) + "); please upload again";
  }

  private static String readable(Duration d) {
    if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) {
      long minutes = d.toMinutes();
      return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
    long seconds = Math.max(1, d.toSeconds());
    return seconds == 1 ? "1 second" : seconds + " seconds";
  }

  /** Every object of a video that the pipeline writes lives under this prefix. */
  public static String keyPrefix(String videoId) {
    return "videos/" + videoId + "/";
  }

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /**
   * Creates the video in UPLOADING. Idempotent: repeated with the same creator and source key it
   * answers the existing summary. Hashtags are normalised (see {@link Hashtags}).
   */
  public record Create(
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      long sizeBytes,
      String contentType,
      String sourceKey,
      Instant uploadDeadline,
      ActorRef<StatusReply<VideoSummary>> replyTo)
      implements Command {}

  /** The creator has put every part: UPLOADING → PROCESSING. */
  public record CompleteUpload(String creatorId, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements Command {}

  /**
   * The lowest rung is in the bucket with a master playlist naming only it: the video becomes
   * playable while still PROCESSING. {@code durationMs}, {@code width} and {@code height} describe
   * the display size of the source.
   */
  public record PublishFirstRung(
      long durationMs,
      int width,
      int height,
      Rendition rendition,
      String masterPlaylistKey,
      Optional<String> posterKey,
      ActorRef<StatusReply<VideoSummary>> replyTo)
      implements Command {}

  /**
   * The whole ladder is in the bucket: PROCESSING → READY. {@code dhash} is the base64 of the
   * fingerprint's dHash bytes, empty when none could be computed; an empty {@code posterKey} keeps
   * the first rung's poster.
   */
  public record MarkReady(
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      String masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash,
      ActorRef<StatusReply<VideoSummary>> replyTo)
      implements Command {}

  /** UPLOADING or PROCESSING → FAILED; refused once READY. */
  public record MarkFailed(String reason, ActorRef<StatusReply<VideoSummary>> replyTo)
      implements Command {}

  /** Only the creator; the {@link Deleted} event names every object to remove. */
  public record Delete(String requesterId, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record Get(ActorRef<VideoLookup> replyTo) implements Command {}

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
   */
  public record ApplyCounts(
      int partition,
      long fromOffset,
      long toOffset,
      long previousThrough,
      CountDeltas deltas,
      ActorRef<WriteBackReply> replyTo)
      implements Command {
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

  /** {@link ApplyCounts#previousThrough()} when no earlier batch of the video is in flight. */
  public static final long NO_PREVIOUS = -1;

  /**
   * Stops the entity, first writing the counts it holds; sharding's stop message for passivation
   * and hand-off.
   */
  record Passivate() implements Command {}

  /** The flush timer fired: write every pending batch as one event. */
  private record FlushCounts() implements Command {}

  /** The timer of the current state's deadline ({@code deadline}) fired. */
  private record DeadlinePassed(Instant deadline) implements Command {}

  /** A deadline beyond the scheduler's reach: arm the timer again, closer to it. */
  private record RearmDeadline(Instant deadline) implements Command {}

  // ---- replies

  /** What a client sees; a deleted video is never summarised. */
  public enum Status {
    UPLOADING,
    PROCESSING,
    READY,
    FAILED
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

  /**
   * What one batch of interactions adds to a video's counters, or a sum of batches. Likes and
   * comments may be negative (unlikes, deleted comments).
   */
  public record CountDeltas(
      long views, long likes, long comments, long shares, long watchMs, long completedViews)
      implements CborSerializable {
    public static final CountDeltas ZERO = new CountDeltas(0, 0, 0, 0, 0, 0);

    public CountDeltas plus(CountDeltas other) {
      return new CountDeltas(
          views + other.views,
          likes + other.likes,
          comments + other.comments,
          shares + other.shares,
          watchMs + other.watchMs,
          completedViews + other.completedViews);
    }
  }

  /** What the client declared when it started the upload, and where the original goes. */
  public record Upload(long sizeBytes, String contentType, String sourceKey, Instant deadline)
      implements CborSerializable {}

  /**
   * What transcoding produced; {@link #NONE} before. Sizes are the display size (rotation applied);
   * durations in milliseconds; {@code dhash} is base64.
   */
  public record Media(
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      Optional<String> masterPlaylistKey,
      Optional<String> posterKey,
      Optional<String> dhash)
      implements CborSerializable {
    public static final Media NONE =
        new Media(0, 0, 0, List.of(), Optional.empty(), Optional.empty(), Optional.empty());

    public Media {
      renditions = renditions == null ? List.of() : List.copyOf(renditions);
      masterPlaylistKey = Objects.requireNonNullElse(masterPlaylistKey, Optional.empty());
      posterKey = Objects.requireNonNullElse(posterKey, Optional.empty());
      dhash = Objects.requireNonNullElse(dhash, Optional.empty());
    }
  }

  /**
   * Everything known about a live video. {@code playable} is true once a master playlist exists
   * (the first rung while PROCESSING, the whole ladder when READY) and the video has not failed.
   * {@code deadline} is the instant by which the current state must change, or the video fails:
   * present while UPLOADING (the upload deadline) and PROCESSING (the processing deadline), empty
   * once READY or FAILED. {@code counts} and {@code engagement} are the flushed totals of the
   * write-back counters.
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
      Engagement engagement)
      implements CborSerializable {
    public VideoSummary {
      hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
      soundId = Objects.requireNonNullElse(soundId, Optional.empty());
      failureReason = Objects.requireNonNullElse(failureReason, Optional.empty());
      media = Objects.requireNonNullElse(media, Media.NONE);
      counts = Objects.requireNonNullElse(counts, Counts.ZERO);
      deadline = Objects.requireNonNullElse(deadline, Optional.empty());
      engagement = Objects.requireNonNullElse(engagement, Engagement.ZERO);
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
          engagement);
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
          engagement);
    }
  }

  /** Empty when the video was never created, or was deleted. */
  public record VideoLookup(Optional<VideoSummary> video) implements CborSerializable {
    static final VideoLookup NONE = new VideoLookup(Optional.empty());

    static VideoLookup of(Live state) {
      return new VideoLookup(Optional.of(state.video()));
    }
  }

  // ---- events

  public sealed interface Event extends CborSerializable {}

  /** {@code soundId} is null when the video has no sound. */
  public record Created(
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
      implements Event {}

  /**
   * UPLOADING → PROCESSING. {@code processingDeadline} is when the video fails if still PROCESSING;
   * null in events written before it existed, which means {@code at} plus the processing timeout.
   */
  public record UploadCompleted(
      String videoId, String creatorId, Instant at, Instant processingDeadline) implements Event {}

  /** {@code posterKey} is null when there is no poster yet. */
  public record FirstRungPublished(
      String videoId,
      String creatorId,
      long durationMs,
      int width,
      int height,
      Rendition rendition,
      String masterPlaylistKey,
      String posterKey,
      Instant at)
      implements Event {}

  /**
   * Carries creator, hashtags and sound so a feed index can add the video from this event alone.
   * {@code soundId}, {@code posterKey} and {@code dhash} (base64) may be null.
   */
  public record Readied(
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
      Instant at)
      implements Event {}

  public record Failed(String videoId, String creatorId, String reason, Instant at)
      implements Event {}

  /**
   * The video is gone. {@code keys} are the objects it is known to have; every object under {@code
   * keyPrefix} (segments included) belongs to it too. Hashtags and sound let indexes drop it.
   */
  public record Deleted(
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      List<String> keys,
      String keyPrefix,
      Instant at)
      implements Event {}

  /**
   * One write of the write-back counters: {@code total} sums every batch counted since the last
   * one, {@code offsets} holds, for every partition of the {@code interactions} topic those batches
   * came from, the highest offset they cover.
   */
  public record CountsFlushed(String videoId, CountDeltas total, Map<Integer, Long> offsets)
      implements Event {
    public CountsFlushed {
      total = Objects.requireNonNullElse(total, CountDeltas.ZERO);
      offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
    }
  }

  // ---- state

  public sealed interface State extends CborSerializable {}

  public record Empty() implements State {}

  /**
   * What the write-back counters have counted: {@code totals}, the plain sum of every flushed batch
   * (likes and comments may be below zero here, e.g. when unlikes of likes counted before the
   * counters existed come in; the summary shows them as zero), and {@code countedOffsets}, for
   * every partition of the {@code interactions} topic, the highest offset counted.
   */
  public record Counters(CountDeltas totals, Map<Integer, Long> countedOffsets)
      implements CborSerializable {
    public static final Counters NONE = new Counters(CountDeltas.ZERO, Map.of());

    public Counters {
      totals = Objects.requireNonNullElse(totals, CountDeltas.ZERO);
      countedOffsets = countedOffsets == null ? Map.of() : Map.copyOf(countedOffsets);
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
      return new Counters(totals.plus(e.total()), offsets);
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

  /**
   * A video that exists; one record per lifecycle phase, each holding the summary a client sees,
   * {@code mediaKeys}, every object key the video has named so far, and its {@link Counters}.
   */
  public sealed interface Live extends State {
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

    default Gone apply(Deleted e) {
      return new Gone(e.videoId(), e.creatorId(), e.at());
    }
  }

  public record Uploading(VideoSummary video, List<String> mediaKeys, Counters counters)
      implements Live {
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
  public record Processing(VideoSummary video, List<String> mediaKeys, Counters counters)
      implements Live {
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
              Optional.ofNullable(e.dhash()));
      List<String> keys = new ArrayList<>();
      keys.add(e.masterPlaylistKey());
      keys.add(e.posterKey());
      e.renditions().forEach(r -> keys.add(r.playlistKey()));
      return new Ready(
          video.with(Status.READY, Optional.empty(), true, media, Optional.empty()),
          withKeys(mediaKeys, keys.toArray(String[]::new)),
          counters);
    }
  }

  public record Ready(VideoSummary video, List<String> mediaKeys, Counters counters)
      implements Live {
    public Ready {
      mediaKeys = List.copyOf(mediaKeys);
      counters = Objects.requireNonNullElse(counters, Counters.NONE);
    }

    @Override
    public Ready with(VideoSummary video, Counters counters) {
      return new Ready(video, mediaKeys, counters);
    }
  }

  /** FAILED: final but for deletion. */
  public record Failure(VideoSummary video, List<String> mediaKeys, Counters counters)
      implements Live {
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
  public record Gone(String videoId, String creatorId, Instant deletedAt) implements State {}

  private static List<String> withKeys(List<String> known, String... keys) {
    Set<String> all = new LinkedHashSet<>(known);
    for (String key : keys) {
      if (key != null && !key.isBlank()) {
        all.add(key);
      }
    }
    return List.copyOf(all);
  }

  private final String videoId;
  private final Clock clock;
  private final Duration processingTimeout;
  private final Duration flushInterval;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;

  /** Batches taken since the last flush, and who waits for it (see {@link WriteBack}). */
  private final WriteBack<CountDeltas> pending = new WriteBack<>();

  private VideoActor(
      String videoId,
      Clock clock,
      Duration processingTimeout,
      Duration flushInterval,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), videoId));
    this.videoId = videoId;
    this.clock = clock;
    this.processingTimeout = processingTimeout;
    this.flushInterval = flushInterval;
    this.context = context;
    this.timers = timers;
  }

  @Override
  public State emptyState() {
    return new Empty();
  }

  /**
   * The lifecycle feeds the deadline index ({@link DeadlinesProjection}), READY and deletion the
   * video's listings (the upload context's VideoListingProjection). The first rung and the
   * counters' frequent flushes are not tagged, so they cost the tag tables nothing.
   */
  @Override
  public Set<String> tagsFor(Event event) {
    return event instanceof Created
            || event instanceof UploadCompleted
            || event instanceof Readied
            || event instanceof Failed
            || event instanceof Deleted
        ? ReadSide.tag(ENTITY_TYPE_KEY, videoId)
        : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();

    builder
        .forStateType(Empty.class)
        .onCommand(Create.class, this::onCreate)
        .onCommand(CompleteUpload.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(PublishFirstRung.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(MarkReady.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(MarkFailed.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(Delete.class, (s, c) -> refuse(c.replyTo(), notFound()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), VideoLookup.NONE))
        .onCommand(DeadlinePassed.class, (s, c) -> Effect().noReply())
        .onCommand(RearmDeadline.class, (s, c) -> Effect().noReply())
        .onCommand(ApplyCounts.class, this::nothingToCount)
        .onCommand(FlushCounts.class, (s, c) -> dropPending())
        .onCommand(Passivate.class, (s, c) -> dropPendingAndStop());

    builder
        .forStateType(Uploading.class)
        .onCommand(Create.class, this::onCreateWhileUploading)
        .onCommand(CompleteUpload.class, this::onCompleteUpload)
        .onCommand(PublishFirstRung.class, (s, c) -> onTranscodedTooEarly(s, c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> onTranscodedTooEarly(s, c.replyTo()))
        .onCommand(MarkFailed.class, this::onMarkFailed)
        .onCommand(Get.class, this::onGetWhileUploading)
        .onCommand(DeadlinePassed.class, this::onUploadDeadlinePassed)
        .onCommand(RearmDeadline.class, (s, c) -> rearm(s.deadline(), c));

    builder
        .forStateType(Processing.class)
        .onCommand(Create.class, this::onCreateWhileProcessing)
        .onCommand(CompleteUpload.class, this::onCompleteUploadWhileProcessing)
        .onCommand(PublishFirstRung.class, this::onPublishFirstRung)
        .onCommand(MarkReady.class, this::onMarkReady)
        .onCommand(MarkFailed.class, this::onMarkFailed)
        .onCommand(Get.class, this::onGetWhileProcessing)
        .onCommand(DeadlinePassed.class, this::onProcessingDeadlinePassed)
        .onCommand(RearmDeadline.class, (s, c) -> rearm(s.deadline(), c));

    builder
        .forStateType(Ready.class)
        .onCommand(CompleteUpload.class, this::onCompleteUploadAgain)
        .onCommand(PublishFirstRung.class, (s, c) -> answer(c.replyTo(), s))
        .onCommand(MarkReady.class, (s, c) -> answer(c.replyTo(), s))
        .onCommand(MarkFailed.class, (s, c) -> refuse(c.replyTo(), alreadyReady()));

    builder
        .forStateType(Failure.class)
        .onCommand(CompleteUpload.class, (s, c) -> reply(c.replyTo(), completeWhenFailed(s, c)))
        .onCommand(PublishFirstRung.class, (s, c) -> reply(c.replyTo(), failedRefusal(s)))
        .onCommand(MarkReady.class, (s, c) -> reply(c.replyTo(), failedRefusal(s)))
        .onCommand(MarkFailed.class, (s, c) -> answer(c.replyTo(), s));

    builder
        .forStateType(Live.class)
        .onCommand(Create.class, (s, c) -> reply(c.replyTo(), createAgain(s, c)))
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Get.class, (s, c) -> reply(c.replyTo(), VideoLookup.of(s)))
        .onCommand(DeadlinePassed.class, (s, c) -> Effect().noReply())
        .onCommand(RearmDeadline.class, (s, c) -> Effect().noReply())
        .onCommand(ApplyCounts.class, this::onApplyCounts)
        .onCommand(FlushCounts.class, (s, c) -> flush())
        .onCommand(Passivate.class, (s, c) -> flushAndStop());

    builder
        .forStateType(Gone.class)
        .onCommand(Create.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(CompleteUpload.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(PublishFirstRung.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(MarkReady.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(MarkFailed.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(Delete.class, this::onDeleteAgain)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), VideoLookup.NONE))
        .onCommand(DeadlinePassed.class, (s, c) -> Effect().noReply())
        .onCommand(RearmDeadline.class, (s, c) -> Effect().noReply())
        .onCommand(ApplyCounts.class, this::nothingToCount)
        .onCommand(FlushCounts.class, (s, c) -> dropPending())
        .onCommand(Passivate.class, (s, c) -> dropPendingAndStop());

    return builder.build();
  }

  // -- create

  private ReplyEffect<Event, State> onCreate(Empty state, Create cmd) {
    List<String> hashtags;
    try {
      hashtags = Hashtags.normaliseAll(cmd.hashtags());
    } catch (IllegalArgumentException e) {
      return refuse(cmd.replyTo(), invalid(e.getMessage()));
    }
    String caption = cmd.caption() == null ? "" : cmd.caption().strip();
    Optional<String> problem =
        blank(cmd.creatorId(), "creatorId")
            .or(() -> blank(cmd.sourceKey(), "sourceKey"))
            .or(() -> blank(cmd.contentType(), "contentType"))
            .or(() -> check(cmd.sizeBytes() > 0, "sizeBytes must be positive"))
            .or(() -> check(cmd.uploadDeadline() != null, "uploadDeadline is required"))
            .or(
                () ->
                    check(
                        caption.codePointCount(0, caption.length()) <= MAX_CAPTION_LENGTH,
                        "a caption may have at most " + MAX_CAPTION_LENGTH + " characters"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), invalid(problem.get()));
    }
    String soundId =
        Objects.requireNonNullElse(cmd.soundId(), Optional.<String>empty())
            .map(String::strip)
            .filter(id -> !id.isEmpty())
            .orElse(null);
    var created =
        new Created(
            videoId,
            cmd.creatorId(),
            caption,
            hashtags,
            soundId,
            cmd.sizeBytes(),
            cmd.contentType(),
            cmd.sourceKey(),
            cmd.uploadDeadline(),
            clock.instant());
    return Effect()
        .persist(created)
        .thenRun(s -> armDeadline(cmd.uploadDeadline()))
        .thenReply(cmd.replyTo(), VideoActor::summaryOf);
  }

  private ReplyEffect<Event, State> onCreateWhileUploading(Uploading state, Create cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), failed -> createAgain(failed, cmd));
    }
    return reply(cmd.replyTo(), createAgain(state, cmd));
  }

  private StatusReply<VideoSummary> createAgain(Live state, Create cmd) {
    VideoSummary video = state.video();
    if (video.creatorId().equals(cmd.creatorId())
        && video.upload().sourceKey().equals(cmd.sourceKey())) {
      return StatusReply.success(video);
    }
    return StatusReply.error(new VideoStateException("video " + videoId + " already exists"));
  }

  // -- upload

  private ReplyEffect<Event, State> onCompleteUpload(Uploading state, CompleteUpload cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), failed -> completeWhenFailed(failed, cmd));
    }
    if (!isCreator(state, cmd.creatorId())) {
      return refuse(cmd.replyTo(), forbidden("complete this upload"));
    }
    Instant now = clock.instant();
    Instant processingDeadline = now.plus(processingTimeout);
    return Effect()
        .persist(new UploadCompleted(videoId, cmd.creatorId(), now, processingDeadline))
        // replaces the upload deadline's timer: one key, one deadline at a time
        .thenRun(s -> armDeadline(processingDeadline))
        .thenReply(cmd.replyTo(), VideoActor::summaryOf);
  }

  private ReplyEffect<Event, State> onCompleteUploadWhileProcessing(
      Processing state, CompleteUpload cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), failed -> completeWhenFailed(failed, cmd));
    }
    return onCompleteUploadAgain(state, cmd);
  }

  private ReplyEffect<Event, State> onCompleteUploadAgain(Live state, CompleteUpload cmd) {
    if (!isCreator(state, cmd.creatorId())) {
      return refuse(cmd.replyTo(), forbidden("complete this upload"));
    }
    return answer(cmd.replyTo(), state);
  }

  private StatusReply<VideoSummary> completeWhenFailed(Failure state, CompleteUpload cmd) {
    return isCreator(state, cmd.creatorId())
        ? failedRefusal(state)
        : StatusReply.error(forbidden("complete this upload"));
  }

  private ReplyEffect<Event, State> onTranscodedTooEarly(
      Uploading state, ActorRef<StatusReply<VideoSummary>> replyTo) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, replyTo, this::failedRefusal);
    }
    return refuse(
        replyTo,
        new VideoStateException("the upload of video " + videoId + " is not complete yet"));
  }

  private ReplyEffect<Event, State> onGetWhileUploading(Uploading state, Get cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), VideoLookup::of);
    }
    return reply(cmd.replyTo(), VideoLookup.of(state));
  }

  private ReplyEffect<Event, State> onUploadDeadlinePassed(Uploading state, DeadlinePassed msg) {
    if (!msg.deadline().equals(state.deadline())) {
      return Effect().noReply(); // left over from another deadline
    }
    return Effect().persist(deadlineFailure(state)).thenNoReply();
  }

  private ReplyEffect<Event, State> rearm(Instant current, RearmDeadline msg) {
    if (!msg.deadline().equals(current)) {
      return Effect().noReply();
    }
    return Effect().none().thenRun(s -> armDeadline(msg.deadline())).thenNoReply();
  }

  /**
   * An UPLOADING or PROCESSING video past its deadline records its failure before anything else,
   * then answers as a FAILED one would; so nobody sees it in that state after its deadline, timer
   * or not.
   */
  private <R> ReplyEffect<Event, State> failForDeadlineThen(
      Live state, ActorRef<R> replyTo, Function<Failure, R> reply) {
    return Effect()
        .persist(deadlineFailure(state))
        .thenRun(s -> timers.cancel(DEADLINE_TIMER))
        .thenReply(replyTo, s -> reply.apply((Failure) s));
  }

  private Failed deadlineFailure(Live state) {
    String reason =
        state instanceof Processing ? processingDeadlineReason(processingTimeout) : DEADLINE_REASON;
    return new Failed(videoId, state.creatorId(), reason, clock.instant());
  }

  // -- processing deadline

  private ReplyEffect<Event, State> onCreateWhileProcessing(Processing state, Create cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), failed -> createAgain(failed, cmd));
    }
    return reply(cmd.replyTo(), createAgain(state, cmd));
  }

  private ReplyEffect<Event, State> onGetWhileProcessing(Processing state, Get cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), VideoLookup::of);
    }
    return reply(cmd.replyTo(), VideoLookup.of(state));
  }

  private ReplyEffect<Event, State> onProcessingDeadlinePassed(
      Processing state, DeadlinePassed msg) {
    if (!msg.deadline().equals(state.deadline())) {
      return Effect().noReply(); // left over from the upload deadline
    }
    return Effect().persist(deadlineFailure(state)).thenNoReply();
  }

  // -- transcoding

  private ReplyEffect<Event, State> onPublishFirstRung(Processing state, PublishFirstRung cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), this::failedRefusal);
    }
    Optional<String> problem =
        mediaProblem(cmd.durationMs(), cmd.width(), cmd.height(), cmd.masterPlaylistKey())
            .or(() -> renditionProblem(cmd.rendition()));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), invalid(problem.get()));
    }
    Media current = state.video().media();
    String posterKey = posterOf(cmd.posterKey(), current);
    var media =
        new Media(
            cmd.durationMs(),
            cmd.width(),
            cmd.height(),
            List.of(cmd.rendition()),
            Optional.of(cmd.masterPlaylistKey()),
            Optional.ofNullable(posterKey),
            Optional.empty());
    if (state.video().playable() && media.equals(current)) {
      return answer(cmd.replyTo(), state);
    }
    return Effect()
        .persist(
            new FirstRungPublished(
                videoId,
                state.creatorId(),
                cmd.durationMs(),
                cmd.width(),
                cmd.height(),
                cmd.rendition(),
                cmd.masterPlaylistKey(),
                posterKey,
                clock.instant()))
        .thenReply(cmd.replyTo(), VideoActor::summaryOf);
  }

  private ReplyEffect<Event, State> onMarkReady(Processing state, MarkReady cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), this::failedRefusal);
    }
    Optional<String> problem =
        mediaProblem(cmd.durationMs(), cmd.width(), cmd.height(), cmd.masterPlaylistKey())
            .or(() -> renditionsProblem(cmd.renditions()))
            .or(() -> dhashProblem(cmd.dhash()));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), invalid(problem.get()));
    }
    VideoSummary video = state.video();
    return Effect()
        .persist(
            new Readied(
                videoId,
                video.creatorId(),
                video.hashtags(),
                video.soundId().orElse(null),
                cmd.durationMs(),
                cmd.width(),
                cmd.height(),
                List.copyOf(cmd.renditions()),
                cmd.masterPlaylistKey(),
                posterOf(cmd.posterKey(), video.media()),
                Objects.requireNonNullElse(cmd.dhash(), Optional.<String>empty()).orElse(null),
                clock.instant()))
        .thenRun(s -> timers.cancel(DEADLINE_TIMER))
        .thenReply(cmd.replyTo(), VideoActor::summaryOf);
  }

  private ReplyEffect<Event, State> onMarkFailed(Live state, MarkFailed cmd) {
    if (cmd.reason() == null || cmd.reason().isBlank()) {
      return refuse(cmd.replyTo(), invalid("a failure needs a reason"));
    }
    return Effect()
        .persist(new Failed(videoId, state.creatorId(), cmd.reason().strip(), clock.instant()))
        .thenRun(s -> timers.cancel(DEADLINE_TIMER))
        .thenReply(cmd.replyTo(), VideoActor::summaryOf);
  }

  // -- delete

  private ReplyEffect<Event, State> onDelete(Live state, Delete cmd) {
    if (!isCreator(state, cmd.requesterId())) {
      return refuse(cmd.replyTo(), forbidden("delete this video"));
    }
    VideoSummary video = state.video();
    return Effect()
        .persist(
            new Deleted(
                videoId,
                video.creatorId(),
                video.hashtags(),
                video.soundId().orElse(null),
                state.mediaKeys(),
                keyPrefix(videoId),
                clock.instant()))
        .thenRun(s -> timers.cancel(DEADLINE_TIMER))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onDeleteAgain(Gone state, Delete cmd) {
    if (state.creatorId().equals(cmd.requesterId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.ack());
    }
    return refuse(cmd.replyTo(), gone());
  }

  // -- write-back counters

  private ReplyEffect<Event, State> onApplyCounts(Live state, ApplyCounts cmd) {
    Optional<String> problem = batchProblem(cmd);
    if (problem.isPresent()) {
      return Effect().reply(cmd.replyTo(), new WriteBackReply.Invalid(problem.get()));
    }
    int partition = cmd.partition();
    long counted = state.counters().countedThrough(partition);
    if (cmd.toOffset() <= counted) {
      return Effect().reply(cmd.replyTo(), WriteBackReply.WRITTEN); // a redelivery: already counted
    }
    long covered = pending.covered(partition, counted);
    if (cmd.toOffset() <= covered) {
      pending.await(cmd.replyTo()); // a redelivery of a batch the next flush writes
      return Effect().noReply();
    }
    if (cmd.previousThrough() > covered) {
      return Effect().reply(cmd.replyTo(), new WriteBackReply.Gap(covered, gap(cmd, covered)));
    }
    if (cmd.fromOffset() <= covered) {
      return Effect()
          .reply(cmd.replyTo(), new WriteBackReply.Overlap(covered, overlap(cmd, covered)));
    }
    pending.add(cmd.deltas(), partition, cmd.toOffset());
    pending.await(cmd.replyTo());
    if (!timers.isTimerActive(FLUSH_TIMER)) {
      timers.startSingleTimer(FLUSH_TIMER, new FlushCounts(), flushInterval);
    }
    return Effect().noReply();
  }

  /** A video that does not exist, or no longer does: nothing to count, and nothing to wait for. */
  private ReplyEffect<Event, State> nothingToCount(State state, ApplyCounts cmd) {
    return Effect().reply(cmd.replyTo(), WriteBackReply.WRITTEN);
  }

  /** Writes every pending batch as one event, then answers everyone who waits for it. */
  private ReplyEffect<Event, State> flush() {
    if (pending.isEmpty()) {
      return Effect().noReply();
    }
    WriteBack.Taken<CountDeltas> flush = pending.take();
    return Effect()
        .persist(new CountsFlushed(videoId, sum(flush.items()), flush.offsets()))
        .thenRun(s -> flush.answer())
        .thenNoReply();
  }

  private ReplyEffect<Event, State> flushAndStop() {
    timers.cancel(FLUSH_TIMER);
    if (pending.isEmpty()) {
      return Effect().stop().thenNoReply();
    }
    WriteBack.Taken<CountDeltas> flush = pending.take();
    return Effect()
        .persist(new CountsFlushed(videoId, sum(flush.items()), flush.offsets()))
        .thenRun(s -> flush.answer())
        .thenStop()
        .thenNoReply();
  }

  /** The video was deleted while batches were pending: there is nothing left to count them for. */
  private ReplyEffect<Event, State> dropPending() {
    WriteBack.Taken<CountDeltas> dropped = pending.take();
    return Effect().none().thenRun(s -> dropped.answer()).thenNoReply();
  }

  private ReplyEffect<Event, State> dropPendingAndStop() {
    timers.cancel(FLUSH_TIMER);
    WriteBack.Taken<CountDeltas> dropped = pending.take();
    return Effect().none().thenRun(s -> dropped.answer()).thenStop().thenNoReply();
  }

  private static Optional<String> batchProblem(ApplyCounts cmd) {
    CountDeltas d = cmd.deltas();
    if (d == null) {
      return Optional.of("deltas are required");
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

  private static CountDeltas sum(List<CountDeltas> batches) {
    return batches.stream().reduce(CountDeltas.ZERO, CountDeltas::plus);
  }

  // -- helpers

  private static StatusReply<VideoSummary> summaryOf(State state) {
    return StatusReply.success(((Live) state).video());
  }

  private ReplyEffect<Event, State> answer(ActorRef<StatusReply<VideoSummary>> replyTo, Live s) {
    return Effect().reply(replyTo, StatusReply.success(s.video()));
  }

  private <R> ReplyEffect<Event, State> reply(ActorRef<R> replyTo, R reply) {
    return Effect().reply(replyTo, reply);
  }

  /**
   * A refusal is a typed exception ({@link VideoNotFoundException}, {@link NotCreatorException},
   * {@link IllegalArgumentException}, {@link VideoStateException}): the caller's future fails with
   * it as it is (Pekko serializes it by class and message between nodes), and nobody reads the
   * message to learn what kind of refusal it was.
   */
  private <T> ReplyEffect<Event, State> refuse(
      ActorRef<StatusReply<T>> replyTo, RuntimeException refusal) {
    return Effect().reply(replyTo, StatusReply.error(refusal));
  }

  private StatusReply<VideoSummary> failedRefusal(Failure state) {
    return StatusReply.error(
        new VideoStateException(
            "video "
                + videoId
                + " failed: "
                + state.video().failureReason().orElse("no reason was given")));
  }

  private static boolean isCreator(Live state, String userId) {
    return state.creatorId().equals(userId);
  }

  private static String posterOf(Optional<String> given, Media current) {
    return Objects.requireNonNullElse(given, Optional.<String>empty())
        .filter(k -> !k.isBlank())
        .or(current::posterKey)
        .orElse(null);
  }

  private static Optional<String> check(boolean ok, String problem) {
    return ok ? Optional.empty() : Optional.of(problem);
  }

  private static Optional<String> renditionsProblem(List<Rendition> renditions) {
    if (renditions == null || renditions.isEmpty()) {
      return Optional.of("at least one rendition is required");
    }
    return renditions.stream()
        .map(VideoActor::renditionProblem)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> blank(String value, String name) {
    return value == null || value.isBlank() ? Optional.of(name + " is required") : Optional.empty();
  }

  private static Optional<String> mediaProblem(
      long durationMs, int width, int height, String masterPlaylistKey) {
    if (durationMs <= 0) {
      return Optional.of("durationMs must be positive");
    }
    if (width <= 0 || height <= 0) {
      return Optional.of("width and height must be positive");
    }
    return blank(masterPlaylistKey, "masterPlaylistKey");
  }

  private static Optional<String> renditionProblem(Rendition r) {
    if (r == null) {
      return Optional.of("a rendition is required");
    }
    if (r.name() == null
        || r.name().isBlank()
        || r.playlistKey() == null
        || r.playlistKey().isBlank()) {
      return Optional.of("a rendition needs a name and a playlistKey");
    }
    if (r.width() <= 0 || r.height() <= 0 || r.bandwidth() <= 0) {
      return Optional.of("rendition " + r.name() + " needs a positive size and bandwidth");
    }
    return Optional.empty();
  }

  private static Optional<String> dhashProblem(Optional<String> dhash) {
    if (dhash == null || dhash.isEmpty()) {
      return Optional.empty();
    }
    try {
      Base64.getDecoder().decode(dhash.get());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("dhash must be base64");
    }
  }

  private VideoNotFoundException notFound() {
    return new VideoNotFoundException("video " + videoId + " does not exist");
  }

  private VideoNotFoundException gone() {
    return new VideoNotFoundException("video " + videoId + " was deleted");
  }

  private static NotCreatorException forbidden(String action) {
    return new NotCreatorException("only the creator can " + action);
  }

  private static IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException("invalid request: " + problem);
  }

  private VideoStateException alreadyReady() {
    return new VideoStateException(
        "video " + videoId + " is READY; a late failure cannot undo that");
  }

  /** Arms the one deadline timer, replacing whatever deadline it was armed for. */
  private void armDeadline(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      timers.cancel(DEADLINE_TIMER);
      context.getSelf().tell(new DeadlinePassed(deadline));
    } else if (left.compareTo(MAX_TIMER_DELAY) > 0) {
      timers.startSingleTimer(DEADLINE_TIMER, new RearmDeadline(deadline), MAX_TIMER_DELAY);
    } else {
      timers.startSingleTimer(DEADLINE_TIMER, new DeadlinePassed(deadline), left);
    }
  }

  // ---- recovery

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state instanceof Uploading uploading) {
                armDeadline(uploading.deadline());
              } else if (state instanceof Processing processing) {
                armDeadline(processing.deadline());
              }
            })
        .build();
  }

  // ---- events

  @Override
  public EventHandler<State, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(Empty.class).onEvent(Created.class, (s, e) -> Uploading.created(e));
    builder
        .forStateType(Uploading.class)
        .onEvent(UploadCompleted.class, (s, e) -> s.apply(e, processingTimeout))
        .onEvent(Failed.class, Uploading::apply);
    builder
        .forStateType(Processing.class)
        .onEvent(FirstRungPublished.class, Processing::apply)
        .onEvent(Readied.class, Processing::apply)
        .onEvent(Failed.class, Processing::apply);
    builder
        .forStateType(Live.class)
        .onEvent(Deleted.class, Live::apply)
        .onEvent(CountsFlushed.class, Live::counted);
    return builder.build();
  }
}
