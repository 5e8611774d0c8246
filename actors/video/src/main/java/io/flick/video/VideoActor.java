package io.flick.video;

import io.flick.common.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One video: its metadata and its lifecycle UPLOADING → PROCESSING → READY, or FAILED with a reason
 * the uploader can read, and DELETED at the end. The lowest HLS rung may be published while the
 * video is still PROCESSING so playback can start before the whole ladder is done.
 *
 * <p>Every command is idempotent: repeated in the state it already produced, it answers success
 * without a new event, so the upload route and the transcode pipeline can simply retry.
 *
 * <p>An upload has a deadline. A timer fails the video when it passes; the timer is re-armed when
 * the entity recovers, and a command reaching an UPLOADING video past its deadline fails it first,
 * so a video read after its deadline is never seen UPLOADING. A passivated or rebalanced entity
 * holds no timer until something wakes it: whatever must see every abandoned upload fail (a sweeper
 * over overdue uploads, or remember-entities) only has to send it a {@link Get}.
 *
 * <p>Write-back counters (views, likes, shares, comments) come later; {@link Counts} is zero for
 * now so the summary's shape is stable.
 */
public final class VideoActor
    extends EventSourcedBehaviorWithEnforcedReplies<
        VideoActor.Command, VideoActor.Event, VideoActor.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Video");

  public static final int MAX_CAPTION_LENGTH = 2200;

  static final String DEADLINE_REASON = "upload was not completed before its deadline";

  // the scheduler cannot hold a timer for much more than 248 days; longer waits are re-armed
  private static final Duration MAX_TIMER_DELAY = Duration.ofDays(30);
  private static final String DEADLINE_TIMER = "upload-deadline";

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_TYPE_KEY, ctx -> VideoActor.create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String videoId) {
    return create(videoId, Clock.systemUTC());
  }

  static Behavior<Command> create(String videoId, Clock clock) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new VideoActor(videoId, clock, context, timers)));
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

  private record UploadDeadlinePassed(Instant deadline) implements Command {}

  private record RearmUploadDeadline(Instant deadline) implements Command {}

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

  public record Counts(long views, long likes, long comments, long shares)
      implements CborSerializable {
    public static final Counts ZERO = new Counts(0, 0, 0, 0);
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
      Counts counts)
      implements CborSerializable {
    public VideoSummary {
      hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
      soundId = Objects.requireNonNullElse(soundId, Optional.empty());
      failureReason = Objects.requireNonNullElse(failureReason, Optional.empty());
      media = Objects.requireNonNullElse(media, Media.NONE);
      counts = Objects.requireNonNullElse(counts, Counts.ZERO);
    }

    VideoSummary with(
        Status status, Optional<String> failureReason, boolean playable, Media media) {
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
          counts);
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

  public record UploadCompleted(String videoId, String creatorId, Instant at) implements Event {}

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

  // ---- state

  public sealed interface State extends CborSerializable {}

  public record Empty() implements State {}

  /**
   * A video that exists; one record per lifecycle phase, each holding the summary a client sees and
   * {@code mediaKeys}, every object key the video has named so far.
   */
  public sealed interface Live extends State {
    VideoSummary video();

    List<String> mediaKeys();

    default String creatorId() {
      return video().creatorId();
    }

    default Failure apply(Failed e) {
      return new Failure(
          video().with(Status.FAILED, Optional.of(e.reason()), false, video().media()),
          mediaKeys());
    }

    default Gone apply(Deleted e) {
      return new Gone(e.videoId(), e.creatorId(), e.at());
    }
  }

  public record Uploading(VideoSummary video, List<String> mediaKeys) implements Live {
    public Uploading {
      mediaKeys = List.copyOf(mediaKeys);
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
              Counts.ZERO);
      return new Uploading(video, List.of(e.sourceKey()));
    }

    boolean overdueAt(Instant now) {
      return !now.isBefore(video.upload().deadline());
    }

    Processing apply(UploadCompleted e) {
      return new Processing(
          video.with(Status.PROCESSING, Optional.empty(), false, video.media()), mediaKeys);
    }
  }

  /** PROCESSING; playable once the first rung is published. */
  public record Processing(VideoSummary video, List<String> mediaKeys) implements Live {
    public Processing {
      mediaKeys = List.copyOf(mediaKeys);
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
          video.with(Status.PROCESSING, Optional.empty(), true, media),
          withKeys(mediaKeys, e.masterPlaylistKey(), e.posterKey(), e.rendition().playlistKey()));
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
          video.with(Status.READY, Optional.empty(), true, media),
          withKeys(mediaKeys, keys.toArray(String[]::new)));
    }
  }

  public record Ready(VideoSummary video, List<String> mediaKeys) implements Live {
    public Ready {
      mediaKeys = List.copyOf(mediaKeys);
    }
  }

  /** FAILED: final but for deletion. */
  public record Failure(VideoSummary video, List<String> mediaKeys) implements Live {
    public Failure {
      mediaKeys = List.copyOf(mediaKeys);
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

  // ---- refusals

  /**
   * What kind of refusal a {@link StatusReply} error from this entity is. The message is for
   * people; {@link #of(String)} classifies it so {@link VideoService} can map it to an exception.
   */
  public enum Refusal {
    NOT_FOUND,
    FORBIDDEN,
    INVALID,
    CONFLICT;

    private static final String NOT_FOUND_SUFFIX = " does not exist";
    private static final String GONE_SUFFIX = " was deleted";
    private static final String FORBIDDEN_PREFIX = "only the creator can ";
    private static final String INVALID_PREFIX = "invalid request: ";

    public static Refusal of(String message) {
      if (message == null) {
        return CONFLICT;
      }
      if (message.endsWith(NOT_FOUND_SUFFIX) || message.endsWith(GONE_SUFFIX)) {
        return NOT_FOUND;
      }
      if (message.startsWith(FORBIDDEN_PREFIX)) {
        return FORBIDDEN;
      }
      if (message.startsWith(INVALID_PREFIX)) {
        return INVALID;
      }
      return CONFLICT;
    }
  }

  private final String videoId;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;

  private VideoActor(
      String videoId, Clock clock, ActorContext<Command> context, TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), videoId));
    this.videoId = videoId;
    this.clock = clock;
    this.context = context;
    this.timers = timers;
  }

  @Override
  public State emptyState() {
    return new Empty();
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
        .onCommand(UploadDeadlinePassed.class, (s, c) -> Effect().noReply())
        .onCommand(RearmUploadDeadline.class, (s, c) -> Effect().noReply());

    builder
        .forStateType(Uploading.class)
        .onCommand(Create.class, this::onCreateWhileUploading)
        .onCommand(CompleteUpload.class, this::onCompleteUpload)
        .onCommand(PublishFirstRung.class, (s, c) -> onTranscodedTooEarly(s, c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> onTranscodedTooEarly(s, c.replyTo()))
        .onCommand(MarkFailed.class, this::onMarkFailed)
        .onCommand(Get.class, this::onGetWhileUploading)
        .onCommand(UploadDeadlinePassed.class, this::onUploadDeadlinePassed)
        .onCommand(RearmUploadDeadline.class, this::onRearmUploadDeadline);

    builder
        .forStateType(Processing.class)
        .onCommand(CompleteUpload.class, this::onCompleteUploadAgain)
        .onCommand(PublishFirstRung.class, this::onPublishFirstRung)
        .onCommand(MarkReady.class, this::onMarkReady)
        .onCommand(MarkFailed.class, this::onMarkFailed);

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
        .onCommand(UploadDeadlinePassed.class, (s, c) -> Effect().noReply())
        .onCommand(RearmUploadDeadline.class, (s, c) -> Effect().noReply());

    builder
        .forStateType(Gone.class)
        .onCommand(Create.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(CompleteUpload.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(PublishFirstRung.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(MarkReady.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(MarkFailed.class, (s, c) -> refuse(c.replyTo(), gone()))
        .onCommand(Delete.class, this::onDeleteAgain)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), VideoLookup.NONE))
        .onCommand(UploadDeadlinePassed.class, (s, c) -> Effect().noReply())
        .onCommand(RearmUploadDeadline.class, (s, c) -> Effect().noReply());

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
        .thenRun(s -> armUploadDeadline(cmd.uploadDeadline()))
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
    return StatusReply.error("video " + videoId + " already exists");
  }

  // -- upload

  private ReplyEffect<Event, State> onCompleteUpload(Uploading state, CompleteUpload cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), failed -> completeWhenFailed(failed, cmd));
    }
    if (!isCreator(state, cmd.creatorId())) {
      return refuse(cmd.replyTo(), forbidden("complete this upload"));
    }
    return Effect()
        .persist(new UploadCompleted(videoId, cmd.creatorId(), clock.instant()))
        .thenRun(s -> timers.cancel(DEADLINE_TIMER))
        .thenReply(cmd.replyTo(), VideoActor::summaryOf);
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
    return refuse(replyTo, "the upload of video " + videoId + " is not complete yet");
  }

  private ReplyEffect<Event, State> onGetWhileUploading(Uploading state, Get cmd) {
    if (state.overdueAt(clock.instant())) {
      return failForDeadlineThen(state, cmd.replyTo(), VideoLookup::of);
    }
    return reply(cmd.replyTo(), VideoLookup.of(state));
  }

  private ReplyEffect<Event, State> onUploadDeadlinePassed(
      Uploading state, UploadDeadlinePassed msg) {
    return Effect().persist(deadlineFailure(state)).thenNoReply();
  }

  private ReplyEffect<Event, State> onRearmUploadDeadline(
      Uploading state, RearmUploadDeadline msg) {
    return Effect().none().thenRun(s -> armUploadDeadline(msg.deadline())).thenNoReply();
  }

  /**
   * An UPLOADING video past its deadline records its failure before anything else, then answers as
   * a FAILED one would; so nobody sees it UPLOADING after its deadline, timer or not.
   */
  private <R> ReplyEffect<Event, State> failForDeadlineThen(
      Uploading state, ActorRef<R> replyTo, Function<Failure, R> reply) {
    return Effect()
        .persist(deadlineFailure(state))
        .thenRun(s -> timers.cancel(DEADLINE_TIMER))
        .thenReply(replyTo, s -> reply.apply((Failure) s));
  }

  private Failed deadlineFailure(Uploading state) {
    return new Failed(videoId, state.creatorId(), DEADLINE_REASON, clock.instant());
  }

  // -- transcoding

  private ReplyEffect<Event, State> onPublishFirstRung(Processing state, PublishFirstRung cmd) {
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

  private <T> ReplyEffect<Event, State> refuse(ActorRef<StatusReply<T>> replyTo, String message) {
    return Effect().reply(replyTo, StatusReply.error(message));
  }

  private StatusReply<VideoSummary> failedRefusal(Failure state) {
    return StatusReply.error(
        "video "
            + videoId
            + " failed: "
            + state.video().failureReason().orElse("no reason was given"));
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

  private String notFound() {
    return "video " + videoId + Refusal.NOT_FOUND_SUFFIX;
  }

  private String gone() {
    return "video " + videoId + Refusal.GONE_SUFFIX;
  }

  private static String forbidden(String action) {
    return Refusal.FORBIDDEN_PREFIX + action;
  }

  private static String invalid(String problem) {
    return Refusal.INVALID_PREFIX + problem;
  }

  private String alreadyReady() {
    return "video " + videoId + " is READY; a late failure cannot undo that";
  }

  private void armUploadDeadline(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      context.getSelf().tell(new UploadDeadlinePassed(deadline));
    } else if (left.compareTo(MAX_TIMER_DELAY) > 0) {
      timers.startSingleTimer(DEADLINE_TIMER, new RearmUploadDeadline(deadline), MAX_TIMER_DELAY);
    } else {
      timers.startSingleTimer(DEADLINE_TIMER, new UploadDeadlinePassed(deadline), left);
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
                armUploadDeadline(uploading.video().upload().deadline());
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
        .onEvent(UploadCompleted.class, Uploading::apply)
        .onEvent(Failed.class, Uploading::apply);
    builder
        .forStateType(Processing.class)
        .onEvent(FirstRungPublished.class, Processing::apply)
        .onEvent(Readied.class, Processing::apply)
        .onEvent(Failed.class, Processing::apply);
    builder.forStateType(Live.class).onEvent(Deleted.class, Live::apply);
    return builder.build();
  }
}
