package io.flick.feed.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FeedMixerTest {
  private final Map<String, VideoInfo> catalogue = new HashMap<>();
  private final FeedMixer mixer = new FeedMixer(FeedMixer.Rules.defaults(), catalogue::get);

  private List<String> videos(String prefix, int n, String creator, String tag, String sound) {
    return IntStream.range(0, n)
        .mapToObj(
            i -> {
              String id = prefix + i;
              String c = creator == null ? prefix + "creator" + i : creator;
              catalogue.put(
                  id, new VideoInfo(id, c, tag == null ? List.of() : List.of(tag), sound, 0));
              return id;
            })
        .toList();
  }

  @Test
  void neverTheSameCreatorTwiceInARowEvenWhenTheRankingWantsIt() {
    List<String> alice = videos("alice", 10, "alice", null, null);
    List<String> others = videos("other", 10, null, null, null);
    List<String> page = mixer.mix(alice, List.of(), others, 12, id -> false, "alice9");
    for (int i = 1; i < page.size(); i++) {
      assertNotEquals(
          catalogue.get(page.get(i - 1)).creatorId(),
          catalogue.get(page.get(i)).creatorId(),
          page.toString());
    }
    assertNotEquals(
        "alice", catalogue.get(page.get(0)).creatorId(), "the previous page ended with alice");
  }

  @Test
  void everyFifthSlotExploresAndEveryEighthIsTrending() {
    List<String> personal = videos("p", 30, null, null, null);
    List<String> fresh = videos("f", 30, null, null, null);
    List<String> hot = videos("t", 30, null, null, null);
    List<String> page = mixer.mix(personal, fresh, hot, 20, id -> false, null);
    assertEquals(20, page.size());
    long explored = page.stream().filter(id -> id.startsWith("f")).count();
    long trending = page.stream().filter(id -> id.startsWith("t")).count();
    assertEquals(4, explored, page.toString());
    assertEquals(2, trending, page.toString());
    assertEquals(List.of("p0", "p1", "p2", "p3", "f0"), page.subList(0, 5), "ranking order kept");
  }

  @Test
  void capsPerSoundAndHashtagHoldWhileOtherVideosRemain() {
    List<String> sameSound = videos("s", 10, null, null, "hit-song");
    List<String> sameTag = videos("h", 10, null, "dance", null);
    List<String> rest = videos("r", 20, null, null, null);
    List<String> ranked = new java.util.ArrayList<>(sameSound);
    ranked.addAll(sameTag);
    ranked.addAll(rest);
    List<String> page = mixer.mix(ranked, List.of(), List.of(), 20, id -> false, null);
    assertEquals(2, page.stream().filter(id -> id.startsWith("s")).count(), page.toString());
    assertEquals(3, page.stream().filter(id -> id.startsWith("h")).count(), page.toString());
  }

  @Test
  void seenAndDuplicateVideosNeverReturn() {
    List<String> personal = videos("p", 10, null, null, null);
    Set<String> seen = Set.of("p0", "p1");
    List<String> page =
        mixer.mix(personal, List.of("p2", "p3"), List.of("p2", "p4"), 10, seen::contains, null);
    assertFalse(page.contains("p0"));
    assertFalse(page.contains("p1"));
    assertEquals(page.size(), new HashSet<>(page).size(), page.toString());
    assertEquals(8, page.size());
  }

  @Test
  void runsOutGracefullyWhenOnlyOneCreatorIsLeft() {
    List<String> alice = videos("alice", 5, "alice", null, null);
    List<String> page = mixer.mix(alice, List.of(), List.of(), 5, id -> false, null);
    assertEquals(List.of("alice0"), page);
    assertTrue(page.size() < 5);
  }
}
