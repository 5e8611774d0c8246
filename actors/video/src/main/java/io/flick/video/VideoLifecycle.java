package io.flick.video;

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
import io.flick.video.VideoEvent.Created;
import io.flick.video.VideoEvent.Deleted;
import io.flick.video.VideoEvent.Failed;
import io.flick.video.VideoEvent.FirstRungPublished;
import io.flick.video.VideoEvent.Held;
import io.flick.video.VideoEvent.Readied;
import io.flick.video.VideoEvent.Released;
import io.flick.video.VideoEvent.Remixed;
import io.flick.video.VideoEvent.Removed;
import io.flick.video.VideoEvent.UploadCompleted;
import io.flick.video.VideoService.NotCreatorException;
import io.flick.video.VideoService.VideoNotFoundException;
import io.flick.video.VideoService.VideoStateException;
import io.flick.video.VideoState.Empty;
import io.flick.video.VideoState.Failure;
import io.flick.video.VideoState.Gone;
import io.flick.video.VideoState.Live;
import io.flick.video.VideoState.Processing;
import io.flick.video.VideoState.Ready;
import io.flick.video.VideoState.UnderReview;
import io.flick.video.VideoState.Uploading;
import io.flick.video.VideoSummary.Media;
import io.flick.video.VideoSummary.Rendition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The lifecycle of a video: UPLOADING → PROCESSING → READY, or FAILED with a reason the uploader
 * can read, and DELETED at the end. A moderator (or the pipeline's moderation hook, at READY) may
 * hold a transcoded video for review (HELD: unlisted, not playable), release it, or remove it. The
 * lowest HLS rung may be published while the video is still PROCESSING so playback can start before
 * the whole ladder is done.
 *
 * <p>Every command is idempotent: repeated in the state it already produced, it answers success
 * without a new event, so the upload route and the transcode pipeline can simply retry. A command
 * reaching an UPLOADING or PROCESSING video past its deadline fails it first ({@link
 * VideoDeadlines#failFirst}), but {@link MarkFailed}, which records its own reason, and {@link
 * Delete}.
 *
 * <p>A refusal is a typed exception ({@link VideoNotFoundException}, {@link NotCreatorException},
 * {@link IllegalArgumentException}, {@link VideoStateException}): the caller's future fails with it
 * as it is (Pekko serializes it by class and message between nodes), and nobody reads the message
 * to learn what kind of refusal it was.
 */
final class VideoLifecycle {
  static final int MAX_CAPTION_LENGTH = 2200;

  private final String videoId;
  private final Clock clock;
  private final VideoDeadlines deadlines;
  private final EffectFactories<VideoEvent, VideoState> effect;

  VideoLifecycle(
      String videoId,
      Clock clock,
      VideoDeadlines deadlines,
      EffectFactories<VideoEvent, VideoState> effect) {
    this.videoId = videoId;
    this.clock = clock;
    this.deadlines = deadlines;
    this.effect = effect;
  }

  /** Every object of a video that the pipeline writes lives under this prefix. */
  static String keyPrefix(String videoId) {
    return "videos/" + videoId + "/";
  }

  // ---- create

  ReplyEffect<VideoEvent, VideoState> onCreate(Empty state, Create cmd) {
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
                        "a caption may have at most " + MAX_CAPTION_LENGTH + " characters"))
            .or(() -> cmd.remix().flatMap(r -> VideoRemixes.problem(videoId, r)))
            .or(
                () ->
                    check(
                        cmd.remix().isEmpty()
                            || cmd.soundId().filter(id -> !id.isBlank()).isEmpty(),
                        "a remix (duet or stitch) cannot use a sound as well"));
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
    List<VideoEvent> events = new ArrayList<>();
    events.add(created);
    cmd.remix()
        .ifPresent(
            r ->
                events.add(
                    new Remixed(
                        videoId,
                        cmd.creatorId(),
                        r.videoId(),
                        r.kind(),
                        r.creatorId(),
                        r.creatorHandle(),
                        r.fromMs(),
                        r.toMs(),
                        created.at())));
    return effect
        .persist(events)
        .thenRun(s -> deadlines.arm(cmd.uploadDeadline()))
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  ReplyEffect<VideoEvent, VideoState> onCreateWhileUploading(Uploading state, Create cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), failed -> createAgain(failed, cmd));
    }
    return reply(cmd.replyTo(), createAgain(state, cmd));
  }

  ReplyEffect<VideoEvent, VideoState> onCreateWhileProcessing(Processing state, Create cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), failed -> createAgain(failed, cmd));
    }
    return reply(cmd.replyTo(), createAgain(state, cmd));
  }

  ReplyEffect<VideoEvent, VideoState> onCreateAgain(Live state, Create cmd) {
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

  // ---- upload

  ReplyEffect<VideoEvent, VideoState> onCompleteUpload(Uploading state, CompleteUpload cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), failed -> completeWhenFailed(failed, cmd));
    }
    if (!isCreator(state, cmd.creatorId())) {
      return refuse(cmd.replyTo(), forbidden("complete this upload"));
    }
    Instant now = clock.instant();
    Instant processingDeadline = deadlines.processingDeadline(now);
    return effect
        .persist(new UploadCompleted(videoId, cmd.creatorId(), now, processingDeadline))
        // replaces the upload deadline's timer: one key, one deadline at a time
        .thenRun(s -> deadlines.arm(processingDeadline))
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  ReplyEffect<VideoEvent, VideoState> onCompleteUploadWhileProcessing(
      Processing state, CompleteUpload cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), failed -> completeWhenFailed(failed, cmd));
    }
    return onCompleteUploadAgain(state, cmd);
  }

  ReplyEffect<VideoEvent, VideoState> onCompleteUploadAgain(Live state, CompleteUpload cmd) {
    if (!isCreator(state, cmd.creatorId())) {
      return refuse(cmd.replyTo(), forbidden("complete this upload"));
    }
    return answer(cmd.replyTo(), state);
  }

  ReplyEffect<VideoEvent, VideoState> onCompleteUploadWhenFailed(
      Failure state, CompleteUpload cmd) {
    return reply(cmd.replyTo(), completeWhenFailed(state, cmd));
  }

  private StatusReply<VideoSummary> completeWhenFailed(Failure state, CompleteUpload cmd) {
    return isCreator(state, cmd.creatorId())
        ? failedRefusal(state)
        : StatusReply.error(forbidden("complete this upload"));
  }

  ReplyEffect<VideoEvent, VideoState> onTranscodedTooEarly(
      Uploading state, ActorRef<StatusReply<VideoSummary>> replyTo) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, replyTo, this::failedRefusal);
    }
    return refuse(
        replyTo,
        new VideoStateException("the upload of video " + videoId + " is not complete yet"));
  }

  // ---- transcoding

  ReplyEffect<VideoEvent, VideoState> onPublishFirstRung(Processing state, PublishFirstRung cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), this::failedRefusal);
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
    return effect
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
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  ReplyEffect<VideoEvent, VideoState> onMarkReady(Processing state, MarkReady cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), this::failedRefusal);
    }
    Optional<String> problem =
        mediaProblem(cmd.durationMs(), cmd.width(), cmd.height(), cmd.masterPlaylistKey())
            .or(() -> renditionsProblem(cmd.renditions()))
            .or(() -> dhashProblem(cmd.dhash()))
            .or(() -> contentProblem(cmd.content()));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), invalid(problem.get()));
    }
    VideoSummary video = state.video();
    Readied readied =
        new Readied(
            videoId,
            video.creatorId(),
            video.hashtags(),
            VideoSounds.soundAtReady(video, cmd).orElse(null),
            cmd.durationMs(),
            cmd.width(),
            cmd.height(),
            List.copyOf(cmd.renditions()),
            cmd.masterPlaylistKey(),
            posterOf(cmd.posterKey(), video.media()),
            Objects.requireNonNullElse(cmd.dhash(), Optional.<String>empty()).orElse(null),
            cmd.content().isEmpty() ? null : cmd.content(),
            clock.instant());
    Optional<String> holdFor =
        Objects.requireNonNullElse(cmd.holdFor(), Optional.<String>empty())
            .map(String::strip)
            .filter(r -> !r.isEmpty());
    // held before it was ever READY to anyone: both events in one atomic write
    List<VideoEvent> events = new ArrayList<>(VideoSounds.newSound(video, cmd, readied.at()));
    events.add(readied);
    holdFor.ifPresent(reason -> events.add(held(video, null, reason, readied.at())));
    return effect
        .persist(events)
        .thenRun(s -> deadlines.cancel())
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  /** A transcode step retried on a video that is READY already: what it did is done. */
  ReplyEffect<VideoEvent, VideoState> onTranscodedAgain(
      Live state, ActorRef<StatusReply<VideoSummary>> replyTo) {
    return answer(replyTo, state);
  }

  ReplyEffect<VideoEvent, VideoState> onTranscodedWhenFailed(
      Failure state, ActorRef<StatusReply<VideoSummary>> replyTo) {
    return reply(replyTo, failedRefusal(state));
  }

  ReplyEffect<VideoEvent, VideoState> onMarkFailed(Live state, MarkFailed cmd) {
    if (cmd.reason() == null || cmd.reason().isBlank()) {
      return refuse(cmd.replyTo(), invalid("a failure needs a reason"));
    }
    return effect
        .persist(new Failed(videoId, state.creatorId(), cmd.reason().strip(), clock.instant()))
        .thenRun(s -> deadlines.cancel())
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  ReplyEffect<VideoEvent, VideoState> onMarkFailedAgain(Failure state, MarkFailed cmd) {
    return answer(cmd.replyTo(), state);
  }

  ReplyEffect<VideoEvent, VideoState> onMarkFailedWhenReady(Live state, MarkFailed cmd) {
    return refuse(
        cmd.replyTo(),
        new VideoStateException("video " + videoId + " is READY; a late failure cannot undo that"));
  }

  // ---- delete

  ReplyEffect<VideoEvent, VideoState> onDelete(Live state, Delete cmd) {
    if (!isCreator(state, cmd.requesterId())) {
      return refuse(cmd.replyTo(), forbidden("delete this video"));
    }
    VideoSummary video = state.video();
    return effect
        .persist(
            new Deleted(
                videoId,
                video.creatorId(),
                video.hashtags(),
                video.soundId().orElse(null),
                state.mediaKeys(),
                keyPrefix(videoId),
                clock.instant()))
        .thenRun(s -> deadlines.cancel())
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<VideoEvent, VideoState> onDeleteAgain(Gone state, Delete cmd) {
    if (state.creatorId().equals(cmd.requesterId())) {
      return effect.reply(cmd.replyTo(), StatusReply.<Done>ack());
    }
    return refuse(cmd.replyTo(), gone());
  }

  // ---- moderation

  ReplyEffect<VideoEvent, VideoState> onHold(Ready state, Hold cmd) {
    Optional<String> problem =
        blank(cmd.moderatorId(), "moderatorId").or(() -> blank(cmd.reason(), "reason"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), invalid(problem.get()));
    }
    return effect
        .persist(held(state.video(), cmd.moderatorId(), cmd.reason().strip(), clock.instant()))
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  ReplyEffect<VideoEvent, VideoState> onRelease(UnderReview state, Release cmd) {
    if (cmd.moderatorId() == null || cmd.moderatorId().isBlank()) {
      return refuse(cmd.replyTo(), invalid("moderatorId is required"));
    }
    return effect
        .persist(new Released(videoId, state.creatorId(), cmd.moderatorId(), clock.instant()))
        .thenReply(cmd.replyTo(), VideoLifecycle::summaryOf);
  }

  /** Holding a held video, or releasing a READY one, is done already. */
  ReplyEffect<VideoEvent, VideoState> onModeratedAgain(
      Live state, ActorRef<StatusReply<VideoSummary>> replyTo) {
    return answer(replyTo, state);
  }

  /** Only a transcoded video can be held or released; a moderator removes the others. */
  ReplyEffect<VideoEvent, VideoState> onModerateUnfinished(
      Live state, ActorRef<StatusReply<VideoSummary>> replyTo) {
    return refuse(
        replyTo,
        new VideoStateException(
            "video "
                + videoId
                + " is "
                + state.video().status()
                + "; only a transcoded video can"
                + " be held or released"));
  }

  ReplyEffect<VideoEvent, VideoState> onRemove(Live state, Remove cmd) {
    Optional<String> problem =
        blank(cmd.moderatorId(), "moderatorId").or(() -> blank(cmd.reason(), "reason"));
    if (problem.isPresent()) {
      return refuse(cmd.replyTo(), invalid(problem.get()));
    }
    VideoSummary video = state.video();
    return effect
        .persist(
            new Removed(
                videoId,
                video.creatorId(),
                video.hashtags(),
                video.soundId().orElse(null),
                state.mediaKeys(),
                keyPrefix(videoId),
                cmd.moderatorId(),
                cmd.reason().strip(),
                clock.instant()))
        .thenRun(s -> deadlines.cancel())
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  /** Removing what is gone (deleted or removed) is done already. */
  ReplyEffect<VideoEvent, VideoState> onRemoveAgain(Gone state, Remove cmd) {
    return effect.reply(cmd.replyTo(), StatusReply.<Done>ack());
  }

  private Held held(VideoSummary video, String moderatorId, String reason, Instant at) {
    return new Held(
        videoId,
        video.creatorId(),
        video.hashtags(),
        video.soundId().orElse(null),
        moderatorId,
        reason,
        at);
  }

  // ---- get

  ReplyEffect<VideoEvent, VideoState> onGetWhileUploading(Uploading state, Get cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), VideoLookup::of);
    }
    return reply(cmd.replyTo(), VideoLookup.of(state));
  }

  ReplyEffect<VideoEvent, VideoState> onGetWhileProcessing(Processing state, Get cmd) {
    if (deadlines.overdue(state)) {
      return deadlines.failFirst(state, cmd.replyTo(), VideoLookup::of);
    }
    return reply(cmd.replyTo(), VideoLookup.of(state));
  }

  ReplyEffect<VideoEvent, VideoState> onGet(Live state, Get cmd) {
    return reply(cmd.replyTo(), VideoLookup.of(state));
  }

  /** Never created, or deleted: nothing to show. */
  ReplyEffect<VideoEvent, VideoState> onGetNone(VideoState state, Get cmd) {
    return reply(cmd.replyTo(), VideoLookup.NONE);
  }

  // ---- refusals

  <T> ReplyEffect<VideoEvent, VideoState> notFound(ActorRef<StatusReply<T>> replyTo) {
    return refuse(replyTo, new VideoNotFoundException("video " + videoId + " does not exist"));
  }

  <T> ReplyEffect<VideoEvent, VideoState> gone(ActorRef<StatusReply<T>> replyTo) {
    return refuse(replyTo, gone());
  }

  private VideoNotFoundException gone() {
    return new VideoNotFoundException("video " + videoId + " was deleted");
  }

  private <T> ReplyEffect<VideoEvent, VideoState> refuse(
      ActorRef<StatusReply<T>> replyTo, RuntimeException refusal) {
    return effect.reply(replyTo, StatusReply.error(refusal));
  }

  private StatusReply<VideoSummary> failedRefusal(Failure state) {
    return StatusReply.error(
        new VideoStateException(
            "video "
                + videoId
                + " failed: "
                + state.video().failureReason().orElse("no reason was given")));
  }

  private static NotCreatorException forbidden(String action) {
    return new NotCreatorException("only the creator can " + action);
  }

  private static IllegalArgumentException invalid(String problem) {
    return new IllegalArgumentException("invalid request: " + problem);
  }

  // ---- helpers

  private static StatusReply<VideoSummary> summaryOf(VideoState state) {
    return StatusReply.success(((Live) state).video());
  }

  private ReplyEffect<VideoEvent, VideoState> answer(
      ActorRef<StatusReply<VideoSummary>> replyTo, Live s) {
    return effect.reply(replyTo, StatusReply.success(s.video()));
  }

  private <R> ReplyEffect<VideoEvent, VideoState> reply(ActorRef<R> replyTo, R reply) {
    return effect.reply(replyTo, reply);
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

  private static Optional<String> renditionsProblem(List<Rendition> renditions) {
    if (renditions == null || renditions.isEmpty()) {
      return Optional.of("at least one rendition is required");
    }
    return renditions.stream()
        .map(VideoLifecycle::renditionProblem)
        .flatMap(Optional::stream)
        .findFirst();
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

  /** The largest content vector stored: the pipeline's are under a hundred numbers. */
  static final int MAX_CONTENT_DIMENSION = 1024;

  private static Optional<String> contentProblem(List<Float> content) {
    if (content.size() > MAX_CONTENT_DIMENSION) {
      return Optional.of("content vector over " + MAX_CONTENT_DIMENSION + " numbers");
    }
    for (Float x : content) {
      if (x == null || !Float.isFinite(x)) {
        return Optional.of("content vector must be finite numbers");
      }
    }
    return Optional.empty();
  }
}
