package io.flick.transcode.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import io.flick.transcode.media.MediaRejection;
import io.flick.transcode.media.TranscodeException;
import io.flick.video.VideoService;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class FailureCauseTest {

  @Test
  void anUnreachableShardOrADyingNodeIsTheClustersFault() {
    // what the transcoder's ask to a VideoActor on a SIGKILLed node fails with
    assertThat(FailureCause.of(new AskTimeoutException("Ask timed out on [sharding/Video]")))
        .isEqualTo(FailureCause.INFRASTRUCTURE);
    assertThat(FailureCause.of(new CompletionException(new AskTimeoutException("timed out"))))
        .isEqualTo(FailureCause.INFRASTRUCTURE);
  }

  @Test
  void kafkaRebalancesAndMovingLeadersAreTheClustersFault() {
    assertThat(FailureCause.of(new RebalanceInProgressException("rebalancing")))
        .isEqualTo(FailureCause.INFRASTRUCTURE);
    assertThat(FailureCause.of(new NotLeaderOrFollowerException("leader moved")))
        .isEqualTo(FailureCause.INFRASTRUCTURE);
  }

  @Test
  void s3OrCassandraNotAnsweringIsTheClustersFault() {
    TranscodeException download =
        TranscodeException.transientFailure(
            "could not download the original",
            new CompletionException(
                SdkClientException.create(
                    "Unable to execute HTTP request", new ConnectException("refused"))));
    assertThat(FailureCause.of(download)).isEqualTo(FailureCause.INFRASTRUCTURE);
    S3Exception slowDown =
        (S3Exception) S3Exception.builder().statusCode(503).message("SlowDown").build();
    assertThat(FailureCause.of(TranscodeException.transientFailure("upload", slowDown)))
        .isEqualTo(FailureCause.INFRASTRUCTURE);
    assertThat(FailureCause.of(AllNodesFailedException.fromErrors(List.of())))
        .isEqualTo(FailureCause.INFRASTRUCTURE);
  }

  @Test
  void badMediaAndSizeLiesFailTheUploadAtOnce() {
    TranscodeException sizeLie =
        TranscodeException.rejected(
            new MediaRejection(MediaRejection.Reason.FILE_TOO_LARGE, "declared 1 byte, is 9"));
    assertThat(FailureCause.of(sizeLie)).isEqualTo(FailureCause.UPLOAD);
  }

  @Test
  void ffmpegFailingOnTheInputAndRefusedResultsCountAgainstTheBudget() {
    assertThat(
            FailureCause.of(
                TranscodeException.transientFailure("ffmpeg exited 1", new IOException("x"))))
        .isEqualTo(FailureCause.PROCESSING);
    assertThat(FailureCause.of(new VideoService.VideoStateException("renditions: empty")))
        .isEqualTo(FailureCause.PROCESSING);
    // a missing original is about this upload, not an outage
    NoSuchKeyException missing =
        (NoSuchKeyException) NoSuchKeyException.builder().statusCode(404).message("gone").build();
    assertThat(FailureCause.of(TranscodeException.transientFailure("download", missing)))
        .isEqualTo(FailureCause.PROCESSING);
  }

  @Test
  void uncountedRetriesBackOffDoublingUpToTheCap() {
    Duration base = Duration.ofMillis(500);
    Duration max = Duration.ofSeconds(5);
    assertThat(FailureCause.backoff(base, max, 1)).isEqualTo(Duration.ofMillis(500));
    assertThat(FailureCause.backoff(base, max, 2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(FailureCause.backoff(base, max, 4)).isEqualTo(Duration.ofSeconds(4));
    assertThat(FailureCause.backoff(base, max, 5)).isEqualTo(max);
    assertThat(FailureCause.backoff(base, max, 1000)).isEqualTo(max);
  }
}
