package io.flick.studio;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code flick.studio}: how the studio consumes the interactions topic. */
public record StudioSettings(
    String consumerGroup,
    int batchSize,
    Duration batchWindow,
    int cachedRows,
    int batchesInFlight) {

  public static StudioSettings from(Config config) {
    Config c = config.getConfig("flick.studio");
    return new StudioSettings(
        c.getString("consumer-group"),
        c.getInt("batch-size"),
        c.getDuration("batch-window"),
        c.getInt("cached-rows"),
        c.getInt("batches-in-flight"));
  }
}
