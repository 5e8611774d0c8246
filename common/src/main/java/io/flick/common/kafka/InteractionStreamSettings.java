package io.flick.common.kafka;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.stream.RestartSettings;

/**
 * {@code flick.interactions}: how the streams that write back into entities (the video context's
 * counters, the profile stream) consume the {@code interactions} topic.
 */
public record InteractionStreamSettings(
    String topic,
    String countersGroup,
    String profilesGroup,
    int batchSize,
    Duration batchWindow,
    int batchesInFlight,
    RestartSettings restart) {

  public static InteractionStreamSettings from(Config config) {
    Config c = config.getConfig("flick.interactions");
    return new InteractionStreamSettings(
        c.getString("topic"),
        c.getString("consumer-group-counters"),
        c.getString("consumer-group-profiles"),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        c.getInt("batches-in-flight"),
        RestartSettings.create(
            c.getDuration("restart.min-backoff"),
            c.getDuration("restart.max-backoff"),
            c.getDouble("restart.random-factor")));
  }
}
