package io.flick.video;

import io.flick.common.NodeRoles;
import io.flick.common.projection.ReadSide;
import io.flick.video.VideoCommand.ApplyCounts;
import io.flick.video.VideoCommand.CompleteUpload;
import io.flick.video.VideoCommand.Create;
import io.flick.video.VideoCommand.Delete;
import io.flick.video.VideoCommand.Get;
import io.flick.video.VideoCommand.Hold;
import io.flick.video.VideoCommand.MarkFailed;
import io.flick.video.VideoCommand.MarkReady;
import io.flick.video.VideoCommand.PublishFirstRung;
import io.flick.video.VideoCommand.Release;
import io.flick.video.VideoCommand.Remove;
import io.flick.video.VideoCommand.SetRemix;
import io.flick.video.VideoCommand.SetReuse;
import io.flick.video.VideoCounters.FlushCounts;
import io.flick.video.VideoCounters.Passivate;
import io.flick.video.VideoDeadlines.DeadlinePassed;
import io.flick.video.VideoDeadlines.RearmDeadline;
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
import io.flick.video.VideoEvent.SoundCreated;
import io.flick.video.VideoEvent.UploadCompleted;
import io.flick.video.VideoState.Empty;
import io.flick.video.VideoState.Failure;
import io.flick.video.VideoState.Gone;
import io.flick.video.VideoState.Live;
import io.flick.video.VideoState.Processing;
import io.flick.video.VideoState.Ready;
import io.flick.video.VideoState.UnderReview;
import io.flick.video.VideoState.Uploading;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One video, sharded by id. This class wires the video's three concerns to its states; each has its
 * handler: {@link VideoLifecycle} (UPLOADING → PROCESSING → READY or FAILED, then DELETED), {@link
 * VideoDeadlines} (an upload, then its processing, must end in time) and {@link VideoCounters} (the
 * write-back counters fed from the {@code interactions} topic). {@link VideoCommand}, {@link
 * VideoEvent} and {@link VideoState} are its protocol, journal and state; {@link VideoSummary} is
 * what a client sees.
 *
 * <p>A counter-carrying video gets one event per flush interval forever: the entity snapshots every
 * {@value #SNAPSHOT_EVERY} events.
 */
public final class VideoActor
    extends EventSourcedBehaviorWithEnforcedReplies<VideoCommand, VideoEvent, VideoState> {

  public static final EntityTypeKey<VideoCommand> ENTITY_TYPE_KEY =
      EntityTypeKey.create(VideoCommand.class, "Video");

  /** Where the processing timeout is configured; this module's reference.conf has a default. */
  public static final String PROCESSING_TIMEOUT_PATH = "flick.transcode.processing-timeout";

  /**
   * Where the interval of the write-back counters is configured; this module's reference.conf has a
   * default.
   */
  public static final String COUNTER_FLUSH_INTERVAL_PATH = "flick.video.counter-flush-interval";

  static final int SNAPSHOT_EVERY = 200;

  /**
   * A rebalanced or passivated entity is stopped with {@link Passivate}, so it writes the counts it
   * holds before it goes.
   */
  public static void init(ActorSystem<?> system) {
    Duration processingTimeout = processingTimeout(system);
    Duration flushInterval = counterFlushInterval(system);
    Entity<VideoCommand, ShardingEnvelope<VideoCommand>> entity =
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
  public static Behavior<VideoCommand> create(String videoId) {
    return create(videoId, Clock.systemUTC());
  }

  static Behavior<VideoCommand> create(String videoId, Clock clock) {
    return Behaviors.setup(
        context ->
            create(
                videoId,
                clock,
                processingTimeout(context.getSystem()),
                counterFlushInterval(context.getSystem())));
  }

  static Behavior<VideoCommand> create(
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

  private final String videoId;
  private final Duration processingTimeout;
  private final VideoLifecycle lifecycle;
  private final VideoDeadlines deadlines;
  private final VideoCounters counters;
  private final VideoSounds sounds;

  private VideoActor(
      String videoId,
      Clock clock,
      Duration processingTimeout,
      Duration flushInterval,
      ActorContext<VideoCommand> context,
      TimerScheduler<VideoCommand> timers) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), videoId));
    this.videoId = videoId;
    this.processingTimeout = processingTimeout;
    this.deadlines =
        new VideoDeadlines(videoId, clock, processingTimeout, context, timers, Effect());
    this.lifecycle = new VideoLifecycle(videoId, clock, deadlines, Effect());
    this.counters = new VideoCounters(videoId, flushInterval, timers, Effect());
    this.sounds = new VideoSounds(videoId, clock, Effect());
  }

  @Override
  public VideoState emptyState() {
    return new Empty();
  }

  /**
   * The lifecycle feeds the deadline index ({@link DeadlinesProjection}), READY and deletion the
   * video's listings (the upload context's VideoListingProjection). The first rung and the
   * counters' frequent flushes are not tagged, so they cost the tag tables nothing.
   */
  @Override
  public Set<String> tagsFor(VideoEvent event) {
    return event instanceof Created
            || event instanceof UploadCompleted
            || event instanceof Readied
            || event instanceof Failed
            || event instanceof Deleted
            || event instanceof Held
            || event instanceof Released
            || event instanceof Removed
            || event instanceof SoundCreated
            || event instanceof ReuseSet
            || event instanceof Remixed
            || event instanceof RemixSet
        ? ReadSide.tag(ENTITY_TYPE_KEY, videoId)
        : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
  }

  @Override
  public CommandHandlerWithReply<VideoCommand, VideoEvent, VideoState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();

    builder
        .forStateType(Empty.class)
        .onCommand(Create.class, lifecycle::onCreate)
        .onCommand(CompleteUpload.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(PublishFirstRung.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(MarkFailed.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(Delete.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(Hold.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(Release.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(Remove.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(SetReuse.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(SetRemix.class, (s, c) -> lifecycle.notFound(c.replyTo()))
        .onCommand(Get.class, lifecycle::onGetNone)
        .onCommand(DeadlinePassed.class, deadlines::ignore)
        .onCommand(RearmDeadline.class, deadlines::ignore)
        .onCommand(ApplyCounts.class, counters::nothingToCount)
        .onCommand(FlushCounts.class, counters::dropPending)
        .onCommand(Passivate.class, counters::dropPendingAndStop);

    builder
        .forStateType(Uploading.class)
        .onCommand(Create.class, lifecycle::onCreateWhileUploading)
        .onCommand(CompleteUpload.class, lifecycle::onCompleteUpload)
        .onCommand(PublishFirstRung.class, (s, c) -> lifecycle.onTranscodedTooEarly(s, c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> lifecycle.onTranscodedTooEarly(s, c.replyTo()))
        .onCommand(MarkFailed.class, lifecycle::onMarkFailed)
        .onCommand(Get.class, lifecycle::onGetWhileUploading)
        .onCommand(DeadlinePassed.class, deadlines::onUploadDeadlinePassed)
        .onCommand(RearmDeadline.class, (s, c) -> deadlines.rearm(s.deadline(), c));

    builder
        .forStateType(Processing.class)
        .onCommand(Create.class, lifecycle::onCreateWhileProcessing)
        .onCommand(CompleteUpload.class, lifecycle::onCompleteUploadWhileProcessing)
        .onCommand(PublishFirstRung.class, lifecycle::onPublishFirstRung)
        .onCommand(MarkReady.class, lifecycle::onMarkReady)
        .onCommand(MarkFailed.class, lifecycle::onMarkFailed)
        .onCommand(Get.class, lifecycle::onGetWhileProcessing)
        .onCommand(DeadlinePassed.class, deadlines::onProcessingDeadlinePassed)
        .onCommand(RearmDeadline.class, (s, c) -> deadlines.rearm(s.deadline(), c));

    builder
        .forStateType(Ready.class)
        .onCommand(CompleteUpload.class, lifecycle::onCompleteUploadAgain)
        .onCommand(PublishFirstRung.class, (s, c) -> lifecycle.onTranscodedAgain(s, c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> lifecycle.onTranscodedAgain(s, c.replyTo()))
        .onCommand(MarkFailed.class, lifecycle::onMarkFailedWhenReady)
        .onCommand(Hold.class, lifecycle::onHold)
        .onCommand(Release.class, (s, c) -> lifecycle.onModeratedAgain(s, c.replyTo()));

    builder
        .forStateType(UnderReview.class)
        .onCommand(CompleteUpload.class, lifecycle::onCompleteUploadAgain)
        .onCommand(PublishFirstRung.class, (s, c) -> lifecycle.onTranscodedAgain(s, c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> lifecycle.onTranscodedAgain(s, c.replyTo()))
        .onCommand(MarkFailed.class, lifecycle::onMarkFailedWhenReady)
        .onCommand(Hold.class, (s, c) -> lifecycle.onModeratedAgain(s, c.replyTo()))
        .onCommand(Release.class, lifecycle::onRelease);

    builder
        .forStateType(Failure.class)
        .onCommand(CompleteUpload.class, lifecycle::onCompleteUploadWhenFailed)
        .onCommand(
            PublishFirstRung.class, (s, c) -> lifecycle.onTranscodedWhenFailed(s, c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> lifecycle.onTranscodedWhenFailed(s, c.replyTo()))
        .onCommand(MarkFailed.class, lifecycle::onMarkFailedAgain);

    // what every live phase shares: the more specific handlers above come first
    builder
        .forStateType(Live.class)
        .onCommand(Create.class, lifecycle::onCreateAgain)
        .onCommand(Delete.class, lifecycle::onDelete)
        .onCommand(Remove.class, lifecycle::onRemove)
        .onCommand(Hold.class, (s, c) -> lifecycle.onModerateUnfinished(s, c.replyTo()))
        .onCommand(Release.class, (s, c) -> lifecycle.onModerateUnfinished(s, c.replyTo()))
        .onCommand(SetReuse.class, sounds::onSetReuse)
        .onCommand(SetRemix.class, sounds::onSetRemix)
        .onCommand(Get.class, lifecycle::onGet)
        .onCommand(DeadlinePassed.class, deadlines::ignore)
        .onCommand(RearmDeadline.class, deadlines::ignore)
        .onCommand(ApplyCounts.class, counters::onApplyCounts)
        .onCommand(FlushCounts.class, counters::onFlush)
        .onCommand(Passivate.class, counters::onPassivate);

    builder
        .forStateType(Gone.class)
        .onCommand(Create.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(CompleteUpload.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(PublishFirstRung.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(MarkReady.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(MarkFailed.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(Delete.class, lifecycle::onDeleteAgain)
        .onCommand(Hold.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(Release.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(Remove.class, lifecycle::onRemoveAgain)
        .onCommand(SetReuse.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(SetRemix.class, (s, c) -> lifecycle.gone(c.replyTo()))
        .onCommand(Get.class, lifecycle::onGetNone)
        .onCommand(DeadlinePassed.class, deadlines::ignore)
        .onCommand(RearmDeadline.class, deadlines::ignore)
        .onCommand(ApplyCounts.class, counters::nothingToCount)
        .onCommand(FlushCounts.class, counters::dropPending)
        .onCommand(Passivate.class, counters::dropPendingAndStop);

    return builder.build();
  }

  @Override
  public EventHandler<VideoState, VideoEvent> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(Empty.class).onEvent(Created.class, (s, e) -> Uploading.created(e));
    builder
        .forStateType(Uploading.class)
        .onEvent(Remixed.class, Uploading::apply)
        .onEvent(UploadCompleted.class, (s, e) -> s.apply(e, processingTimeout))
        .onEvent(Failed.class, Uploading::apply);
    builder
        .forStateType(Processing.class)
        .onEvent(FirstRungPublished.class, Processing::apply)
        .onEvent(SoundCreated.class, (s, e) -> s) // the sound's facts are the event's
        .onEvent(Readied.class, Processing::apply)
        .onEvent(Failed.class, Processing::apply);
    builder.forStateType(Ready.class).onEvent(Held.class, Ready::apply);
    builder.forStateType(UnderReview.class).onEvent(Released.class, UnderReview::apply);
    builder
        .forStateType(Live.class)
        .onEvent(Deleted.class, Live::apply)
        .onEvent(Removed.class, Live::apply)
        .onEvent(ReuseSet.class, Live::apply)
        .onEvent(RemixSet.class, Live::apply)
        .onEvent(CountsFlushed.class, Live::counted);
    return builder.build();
  }

  /** A recovered video re-arms the timer of the deadline it waits for. */
  @Override
  public SignalHandler<VideoState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), deadlines::onRecoveryCompleted)
        .build();
  }
}
