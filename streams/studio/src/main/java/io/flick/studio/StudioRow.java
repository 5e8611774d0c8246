package io.flick.studio;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row as its partition's consumer holds it: absolute figures, the creator, and the highest
 * Kafka offset of the partition they include. Written whole, so a row's figures and its offset are
 * one atomic Cassandra write: an event at or below {@code throughOffset} is in it already.
 */
public final class StudioRow {
  /** Identified events (likes, comments) remembered per video-day row, newest last. */
  static final int RECENT_IDS = 256;

  final Figures figures;
  String creatorId;
  long throughOffset;
  // id → offset of the identified events this row counted; only on video-day rows
  final LinkedHashMap<String, Long> recentIds;

  StudioRow(Figures figures, String creatorId, long throughOffset, Map<String, Long> recentIds) {
    this.figures = figures;
    this.creatorId = creatorId;
    this.throughOffset = throughOffset;
    this.recentIds = new LinkedHashMap<>(recentIds);
  }

  /** A row of generated figures (demo history, benchmarks), below every real offset. */
  public static StudioRow of(String creatorId, Figures figures) {
    return new StudioRow(figures, creatorId, -1, Map.of());
  }

  static StudioRow empty() {
    return new StudioRow(new Figures(), "", -1, Map.of());
  }

  public Figures figures() {
    return figures;
  }

  public long throughOffset() {
    return throughOffset;
  }

  void remember(String eventId, long offset) {
    recentIds.put(eventId, offset);
    while (recentIds.size() > RECENT_IDS) {
      recentIds.remove(recentIds.keySet().iterator().next());
    }
  }
}
