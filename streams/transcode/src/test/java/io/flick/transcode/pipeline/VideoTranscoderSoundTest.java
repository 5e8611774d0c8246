package io.flick.transcode.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flick.transcode.media.ContentVector;
import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.MediaRejection;
import io.flick.transcode.media.TranscodeException;
import io.flick.transcode.media.TranscodeOptions;
import io.flick.video.MediaKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** "Use this sound" when the sound's original video (and so its stored original) is gone. */
@Timeout(60)
class VideoTranscoderSoundTest {
  @TempDir Path dir;

  @Test
  void aSoundWhoseOriginalIsGoneFailsTheClipWithAReasonInsteadOfKeepingItsOwnAudio()
      throws Exception {
    FfmpegPaths paths = FfmpegPaths.fromEnvironment();
    Path clip = dir.resolve("clip.mp4");
    Process p =
        new ProcessBuilder(
                List.of(
                    paths.ffmpeg().toString(),
                    "-loglevel",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=size=360x640:rate=30",
                    "-f",
                    "lavfi",
                    "-i",
                    "sine",
                    "-t",
                    "2",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "aac",
                    clip.toString()))
            .inheritIO()
            .start();
    assertThat(p.waitFor()).isZero();
    S3AsyncClient bucket = new OnlyTheClip(MediaKeys.source("clip"), clip);
    VideoTranscoder transcoder =
        new VideoTranscoder(
            bucket,
            "media",
            null,
            new MediaProbe(paths.ffprobe()),
            new HlsLadderTranscoder(paths.ffmpeg()),
            TranscodeOptions.defaults(),
            MediaLimits.defaults(),
            dir.resolve("work"),
            new ContentVector(paths.ffmpeg()));

    TranscodeException e =
        catchThrowableOfType(
            () ->
                transcoder.transcode(
                    "clip", MediaKeys.source("clip"), 0, Optional.of("deletedvideo"), 1),
            TranscodeException.class);

    assertThat(e.isTransient()).as("retrying cannot bring the sound back").isFalse();
    assertThat(e.rejection().orElseThrow().reason())
        .isEqualTo(MediaRejection.Reason.SOUND_UNAVAILABLE);
    assertThat(e.rejection().orElseThrow().message()).contains("sound is no longer available");
  }

  /** A bucket holding one object: the clip's original. */
  private static final class OnlyTheClip implements S3AsyncClient {
    private final String key;
    private final Path file;

    OnlyTheClip(String key, Path file) {
      this.key = key;
      this.file = file;
    }

    @Override
    public <T> CompletableFuture<T> getObject(
        GetObjectRequest request, AsyncResponseTransformer<GetObjectResponse, T> transformer) {
      if (!request.key().equals(key)) {
        return CompletableFuture.failedFuture(
            NoSuchKeyException.builder().message("no such key: " + request.key()).build());
      }
      try {
        CompletableFuture<T> done = transformer.prepare();
        transformer.onResponse(GetObjectResponse.builder().contentLength(Files.size(file)).build());
        transformer.onStream(AsyncRequestBody.fromFile(file));
        return done;
      } catch (java.io.IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }
}
