package io.flick.api.video;

import io.flick.api.auth.TokenService.Caller;
import io.flick.user.SocialService;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Adds the caller's own relation to each video ({@link VideoView.Viewer}: liked or not) to the
 * videos a response shows, so every device shows the same like state: one ask to the caller's
 * UserActor per page. Anonymous callers get the videos as they are.
 */
public final class ViewerState {
  private final SocialService social;

  public ViewerState(SocialService social) {
    this.social = social;
  }

  public CompletionStage<List<VideoView>> annotate(Optional<Caller> caller, List<VideoView> views) {
    if (caller.isEmpty() || views.stream().allMatch(v -> v.viewer() != null)) {
      return CompletableFuture.completedFuture(views); // anonymous, empty, or already known
    }
    return social
        .likedAmong(caller.get().userId(), views.stream().map(VideoView::id).toList())
        .thenApply(
            liked ->
                views.stream()
                    .map(v -> v.withViewer(new VideoView.Viewer(liked.contains(v.id()))))
                    .toList())
        .exceptionallyCompose(
            error -> {
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              // a valid token of an account that no longer exists: show the videos, nothing more
              if (cause instanceof SocialService.UnknownUserException) {
                return CompletableFuture.completedFuture(views);
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  public CompletionStage<VideoView> annotate(Optional<Caller> caller, VideoView view) {
    return annotate(caller, List.of(view)).thenApply(list -> list.get(0));
  }
}
