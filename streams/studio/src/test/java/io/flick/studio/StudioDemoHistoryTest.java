package io.flick.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dev mode's demo history: only the given creator's rows, consistent, and the same every run. */
class StudioDemoHistoryTest {
  static final Instant NOW = Instant.parse("2026-12-06T10:30:00Z");
  static final Map<String, Long> VIDEOS = Map.of("demo-v1", 6_000L, "demo-v2", 6_000L);

  @Test
  void generatesOnlyTheCreatorsRowsTheSameEachRun() {
    Map<RowKey, StudioRow> rows = StudioDemoHistory.generate("ana", VIDEOS, 5, NOW, 42);
    Map<RowKey, StudioRow> again = StudioDemoHistory.generate("ana", VIDEOS, 5, NOW, 42);
    assertEquals(rows.keySet(), again.keySet());
    long views = 0;
    long hourlyViews = 0;
    for (Map.Entry<RowKey, StudioRow> e : rows.entrySet()) {
      assertEquals(
          e.getValue().figures().views(), again.get(e.getKey()).figures().views(), "same figures");
      RowKey key = e.getKey();
      if (key instanceof RowKey.VideoDay k) {
        assertTrue(VIDEOS.containsKey(k.videoId()));
      } else if (key instanceof RowKey.VideoHour k) {
        assertTrue(VIDEOS.containsKey(k.videoId()));
        assertTrue(k.hour().isAfter(NOW.minus(48, ChronoUnit.HOURS)));
      } else if (key instanceof RowKey.VideoTotal k) {
        assertEquals("ana", k.creatorId());
        views += e.getValue().figures().views();
      } else if (key instanceof RowKey.CreatorDay k) {
        assertEquals("ana", k.creatorId());
      } else if (key instanceof RowKey.CreatorHour k) {
        assertEquals("ana", k.creatorId());
        assertTrue(k.hour().isAfter(NOW.minus(48, ChronoUnit.HOURS)));
        hourlyViews += e.getValue().figures().views();
      }
    }
    assertTrue(views > 100, "a few days of views: " + views);
    assertTrue(hourlyViews > 0 && hourlyViews < views);
    long daily =
        rows.entrySet().stream()
            .filter(e -> e.getKey() instanceof RowKey.CreatorDay)
            .mapToLong(e -> e.getValue().figures().views())
            .sum();
    assertEquals(views, daily, "the creator's days add up to the videos' totals");
  }
}
