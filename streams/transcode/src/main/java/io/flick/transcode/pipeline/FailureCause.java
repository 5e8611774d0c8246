package io.flick.transcode.pipeline;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import io.flick.transcode.media.TranscodeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Why an attempt at a video failed, which decides whether it costs the upload one of its {@code
 * flick.transcode.max-attempts}. A node crash, a shard still on a dead node, a Kafka rebalance or
 * an S3 outage is the cluster's problem, never the uploader's: such a video waits (uncounted
 * retries with backoff, bounded in the end by the entity's processing deadline) instead of ending
 * FAILED.
 */
public enum FailureCause {
  /** The content is unacceptable (bad media, a size lie): FAILED at once with the reason. */
  UPLOAD,
  /**
   * Processing this upload failed (ffmpeg refused or crashed on it, the entity refused the result):
   * retried, and it counts.
   */
  PROCESSING,
  /** The cluster or its servers did not answer: retried without counting. */
  INFRASTRUCTURE;

  /** Looks through the whole cause chain: a transient TranscodeException wraps S3's errors. */
  public static FailureCause of(Throwable error) {
    if (error instanceof TranscodeException transcode && !transcode.isTransient()) {
      return UPLOAD;
    }
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isInfrastructure(t)) {
        return INFRASTRUCTURE;
      }
    }
    return PROCESSING;
  }

  private static boolean isInfrastructure(Throwable t) {
    return t instanceof AskTimeoutException // an unreachable shard, a dying node's entity
        || t instanceof TimeoutException
        || t instanceof CircuitBreakerOpenException
        || t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof SocketTimeoutException
        || t instanceof ClosedChannelException
        || t instanceof RetriableException // Kafka: broker gone, leader moving, request timed out
        || t instanceof RebalanceInProgressException
        || t instanceof AllNodesFailedException // Cassandra
        || t instanceof DriverTimeoutException
        // S3: no answer (SdkClientException covers connection and timeout failures), or a 5xx
        || t instanceof SdkClientException
        || (t instanceof AwsServiceException aws && aws.statusCode() >= 500);
  }

  /** The wait before the n-th (from 1) uncounted retry: doubling from {@code base}, at most max. */
  public static Duration backoff(Duration base, Duration max, int retry) {
    int doublings = Math.min(Math.max(retry - 1, 0), 20);
    Duration wait = base.multipliedBy(1L << doublings);
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
