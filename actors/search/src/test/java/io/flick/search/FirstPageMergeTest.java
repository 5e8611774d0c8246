package io.flick.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.search.SearchService.ScoredId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A top search's first page from the list ranked for everyone and the viewer's followed creators'
 * list is the page one query with the follow boost gives.
 */
class FirstPageMergeTest {

  private record Doc(String id, double score, boolean followed) {
    double boosted() {
      return score + (followed ? SearchService.FOLLOWED : 0);
    }
  }

  @Test
  void mergingBothListsGivesTheSingleQuerysPage() {
    Random random = new Random(7);
    for (int round = 0; round < 2000; round++) {
      int size = 1 + random.nextInt(20);
      List<Doc> docs = new ArrayList<>();
      for (int i = 0, n = random.nextInt(80); i < n; i++) {
        // scores like the engine's: text relevance and boosts of up to 15, distinct
        docs.add(new Doc("v" + i, random.nextDouble() * 30, random.nextInt(4) == 0));
      }
      List<String> single =
          docs.stream()
              .sorted(Comparator.comparingDouble(Doc::boosted).reversed())
              .limit(size + 1L)
              .map(Doc::id)
              .toList();
      List<ScoredId> everyone = best(docs.stream().toList(), size);
      List<ScoredId> followed = best(docs.stream().filter(Doc::followed).toList(), size);

      assertThat(SearchService.merged(everyone, followed, size))
          .as("round %d, page of %d", round, size)
          .isEqualTo(single);
    }
  }

  @Test
  void withoutFollowsThePageIsTheListRankedForEveryone() {
    List<ScoredId> everyone =
        List.of(new ScoredId("a", 9), new ScoredId("b", 7), new ScoredId("c", 5));
    assertThat(SearchService.merged(everyone, List.of(), 1)).containsExactly("a", "b");
  }

  /** A query's answer: its best {@code size + 1} by the score without the follow boost. */
  private static List<ScoredId> best(List<Doc> docs, int size) {
    return docs.stream()
        .sorted(Comparator.comparingDouble(Doc::score).reversed())
        .limit(size + 1L)
        .map(d -> new ScoredId(d.id(), d.score()))
        .toList();
  }
}
