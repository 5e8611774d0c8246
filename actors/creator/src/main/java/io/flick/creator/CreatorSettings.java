package io.flick.creator;

import com.typesafe.config.Config;

/**
 * The {@code flick.creator} block.
 *
 * @param historyDays days of follower history kept, counted back from the newest change
 * @param summaryDays days of history a creator summary shows, ending today
 * @param maxPageSize the longest page a list query answers
 * @param snapshotEvery the entity snapshots its state every this many events
 */
public record CreatorSettings(
    int historyDays, int summaryDays, int maxPageSize, int snapshotEvery) {

  public CreatorSettings {
    if (historyDays < 1 || summaryDays < 1 || maxPageSize < 1 || snapshotEvery < 1) {
      throw new IllegalArgumentException("every flick.creator setting must be positive");
    }
  }

  /** Reads {@code flick.creator} from the whole configuration. */
  public static CreatorSettings fromConfig(Config config) {
    Config creator = config.getConfig("flick.creator");
    return new CreatorSettings(
        creator.getInt("history-days"),
        creator.getInt("summary-days"),
        creator.getInt("max-page-size"),
        creator.getInt("snapshot-every"));
  }
}
