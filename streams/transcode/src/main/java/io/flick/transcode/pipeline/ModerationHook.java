package io.flick.transcode.pipeline;

import io.flick.video.VideoSummary;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The pipeline's moderation hook: asked once a video is transcoded, before it is marked READY.
 * Pluggable (the composition root supplies it); the default flags nothing. What it answers is the
 * reason the video needs review, if it does: the video then goes straight to HELD (never listed,
 * not playable) until a moderator releases or removes it. A hook that fails is logged and the video
 * goes on to READY: a broken hook is never the uploader's failure.
 */
public interface ModerationHook {
  CompletionStage<Optional<String>> review(VideoSummary video, String dhash);

  ModerationHook NONE =
      (video, dhash) -> CompletableFuture.completedFuture(Optional.<String>empty());
}
