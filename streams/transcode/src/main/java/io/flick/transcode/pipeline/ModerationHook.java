package io.flick.transcode.pipeline;

import io.flick.video.VideoSummary;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The pipeline's moderation hook: asked once a video is transcoded, before it is marked READY.
 * Pluggable (the composition root supplies it); the default flags nothing. What it answers is the
 * reason the video needs review, if it does.
 *
 * <p>Today a flagged video is put in the moderation queue and still becomes READY: holding it needs
 * a HELD status on the VideoActor, which another change owns (see the README's Security section). A
 * hook that fails or is slow never fails the video: its error is logged and the video goes on.
 */
public interface ModerationHook {
  CompletionStage<Optional<String>> review(VideoSummary video, String dhash);

  ModerationHook NONE =
      (video, dhash) -> CompletableFuture.completedFuture(Optional.<String>empty());
}
