package io.flick.transcode.pipeline;

import io.flick.video.VideoCommand.ClipAudio;
import io.flick.video.VideoSummary;
import io.flick.video.fingerprint.AudioFingerprint;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Which known sound a transcoded clip's own audio is, by its Chromaprint fingerprint (the
 * composition root supplies the sounds catalogue's lookup; {@link #NONE} knows no sounds, so every
 * clip's audio is a new sound). A lookup that fails fails the attempt, which is retried: a missed
 * match would make a second sound of the same audio.
 */
public interface SoundMatcher {
  CompletionStage<Optional<String>> match(AudioFingerprint fingerprint);

  SoundMatcher NONE = fp -> CompletableFuture.completedFuture(Optional.<String>empty());

  /**
   * What MarkReady is told about the clip's audio: nothing when it has none, when its audio is
   * featureless (silence, a steady tone) or when the uploader chose a sound (the chosen one
   * replaces it); otherwise the sound it matched or, with no match, its fingerprint for a new one.
   */
  static CompletionStage<Optional<ClipAudio>> clipAudio(
      SoundMatcher matcher, VideoSummary video, String fingerprintBase64, long durationMs) {
    if (video.soundId().isPresent() || fingerprintBase64.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    AudioFingerprint fp = AudioFingerprint.fromBase64(fingerprintBase64);
    if (fp.isFeatureless()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return matcher
        .match(fp)
        .thenApply(matched -> Optional.of(new ClipAudio(matched, fingerprintBase64, durationMs)));
  }
}
