package io.flick.api.video;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.media.MediaSigner;
import io.flick.api.sound.SoundRoutes;
import io.flick.common.Ids;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.upload.UploadService;
import io.flick.video.upload.UploadService.UploadTicket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Uploads, video metadata with signed playback URLs, and deletion. */
public final class VideoRoutes extends AllDirectives {
  record StartUploadRequest(
      String caption,
      List<String> hashtags,
      String soundId,
      Long sizeBytes,
      String contentType,
      UploadService.RemixRequest remix) {}

  record UploadView(String videoId, UploadTicket upload) {}

  /** {@code PATCH /videos/{id}}: what the creator may change; absent fields stay as they are. */
  record EditRequest(Boolean allowReuse, Boolean allowRemix) {}

  private final VideoService videos;
  private final UploadService uploads;
  private final MediaSigner signer;
  private final String publicUrl;
  private final AuthDirectives auth;
  private final ViewerState viewerState;
  private final SoundRoutes sounds;

  public VideoRoutes(
      VideoService videos,
      UploadService uploads,
      MediaSigner signer,
      String publicUrl,
      AuthDirectives auth,
      ViewerState viewerState,
      SoundRoutes sounds) {
    this.sounds = sounds;
    this.videos = videos;
    this.uploads = uploads;
    this.signer = signer;
    this.publicUrl = publicUrl;
    this.auth = auth;
    this.viewerState = viewerState;
  }

  public Route routes() {
    return concat(
        pathPrefix(
            "uploads",
            () ->
                concat(
                    pathEnd(
                        () ->
                            post(
                                () ->
                                    auth.authenticated(
                                        caller ->
                                            entity(
                                                Json.unmarshaller(StartUploadRequest.class),
                                                req ->
                                                    onSuccess(
                                                        start(caller.userId(), req),
                                                        ticket ->
                                                            complete(
                                                                StatusCodes.CREATED,
                                                                new UploadView(
                                                                    ticket.videoId(), ticket),
                                                                Json.marshaller())))))),
                    pathPrefix(segment -> path("complete", () -> completeUpload(segment))))),
        pathPrefix(
            "videos",
            () ->
                path(
                    id ->
                        concat(
                            get(
                                () ->
                                    auth.optionallyAuthenticated(
                                        caller ->
                                            onSuccess(
                                                videos
                                                    .get(known(id))
                                                    .thenCompose(
                                                        found ->
                                                            viewerState
                                                                .annotate(
                                                                    caller,
                                                                    VideoView.of(
                                                                        found
                                                                            .filter(
                                                                                v ->
                                                                                    visibleTo(
                                                                                        v, caller))
                                                                            .orElseThrow(
                                                                                () -> gone(id)),
                                                                        signer,
                                                                        publicUrl))
                                                                .thenCompose(this::withSound)),
                                                view ->
                                                    complete(
                                                        StatusCodes.OK, view, Json.marshaller())))),
                            patch(
                                () ->
                                    auth.authenticated(
                                        caller ->
                                            entity(
                                                Json.unmarshaller(EditRequest.class),
                                                req ->
                                                    onSuccess(
                                                        edit(known(id), caller.userId(), req),
                                                        video ->
                                                            complete(
                                                                StatusCodes.OK,
                                                                VideoView.of(
                                                                    video, signer, publicUrl),
                                                                Json.marshaller()))))),
                            delete(
                                () ->
                                    auth.authenticated(
                                        caller ->
                                            onSuccess(
                                                videos.delete(known(id), caller.userId()),
                                                done -> complete(StatusCodes.NO_CONTENT))))))));
  }

  private CompletionStage<VideoView> withSound(VideoView view) {
    return sounds.withSound(view);
  }

  private CompletionStage<VideoSummary> edit(String id, String userId, EditRequest req) {
    if (req == null || (req.allowReuse() == null && req.allowRemix() == null)) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest(
              "nothing to change: the body may set allowReuse and allowRemix (true/false)"));
    }
    // one entity, each change idempotent: a retry after a partial failure finishes the job
    CompletionStage<Optional<VideoSummary>> reuse =
        req.allowReuse() == null
            ? CompletableFuture.completedFuture(Optional.empty())
            : videos.setReuse(id, userId, req.allowReuse()).thenApply(Optional::of);
    return reuse.thenCompose(
        afterReuse ->
            req.allowRemix() == null
                ? CompletableFuture.completedFuture(afterReuse.orElseThrow())
                : videos.setRemix(id, userId, req.allowRemix()));
  }

  /** A video held for review is its creator's to see, nobody else's. */
  private static boolean visibleTo(VideoSummary video, Optional<Caller> caller) {
    return video.status() != VideoSummary.Status.HELD
        || caller.map(c -> c.userId().equals(video.creatorId())).orElse(false);
  }

  private Route completeUpload(String id) {
    return post(
        () ->
            auth.authenticated(
                caller ->
                    onSuccess(
                        uploads.complete(known(id), caller.userId()),
                        video ->
                            complete(
                                StatusCodes.ACCEPTED,
                                VideoView.of(video, signer, publicUrl),
                                Json.marshaller()))));
  }

  private CompletionStage<UploadTicket> start(String creatorId, StartUploadRequest req) {
    if (req == null || req.sizeBytes() == null) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest("sizeBytes (the file's size in bytes) is required"));
    }
    return uploads.start(
        creatorId,
        req.caption() == null ? "" : req.caption(),
        req.hashtags() == null ? List.of() : req.hashtags(),
        Optional.ofNullable(req.soundId()).filter(s -> !s.isBlank()),
        Optional.ofNullable(req.remix()),
        req.sizeBytes(),
        req.contentType());
  }

  private static String known(String id) {
    if (!Ids.isWellFormed(id)) {
      throw gone(id);
    }
    return id;
  }

  private static ApiException gone(String id) {
    return ApiException.notFound("no video with id " + id);
  }
}
