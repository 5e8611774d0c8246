package io.flick.feed.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EvaluatorTest {
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  private static Interaction i(String user, String item) {
    return new Interaction(user, item, 1, 0);
  }

  // catalog (string order): a b c d e
  private final TrainingSet train =
      TrainingSet.of(List.of(i("u1", "a"), i("u1", "b"), i("u2", "c"), i("u4", "d"), i("u4", "e")));
  // the same ranking for everyone: a, b tie at 5; then d; then c, e tie at 1
  private final Map<String, Double> fixed =
      Map.of("a", 5.0, "b", 5.0, "c", 1.0, "d", 3.0, "e", 1.0);
  private final Ranker ranker =
      (user, out) -> {
        for (int k = 0; k < out.length; k++) {
          out[k] = fixed.get(train.catalog().id(k));
        }
      };

  @Test
  void masksTrainingItemsNotValidationItemsAndBreaksTiesByLowerId() {
    // u1 had d in validation: d stays rankable, so u1's top-2 is [d, c] (c before e: lower id)
    HeldOut test =
        HeldOut.of(
            List.of(
                i("u1", "e"), // miss
                i("u1", "a"), // a training item: masked, dropped
                new Interaction("u1", "c", -1, 0), // a skip: not a target
                i("u2", "a"), // u2's top-2 is [a, b]: hit at rank 1
                i("u2", "d"), // miss
                i("u2", "zz"), // unseen in training: dropped
                i("u3", "a"), // u3 not in training: skipped
                new Interaction("u4", "a", -1, 0)), // u4 has no positive target: skipped
            train);
    assertThat(test.users()).containsExactly("u1", "u2");
    assertThat(test.stats()).isEqualTo(new HeldOut.Stats(8, 4, 2, 1, 1, 1, 1, 1, 2));

    Evaluator.Score score = new Evaluator(train, 2, 1).evaluate(ranker, test);
    assertThat(score.users()).isEqualTo(2);
    // u1: 0 / min(2, 1) = 0; u2: 1 / min(2, 2) = 0.5
    assertThat(score.recall()).isCloseTo(0.25, within(1e-12));
    // u1: 0; u2: 1 / (1 + 1/log2(3))
    assertThat(score.ndcg()).isCloseTo((1 / (1 + 1 / LOG2_3)) / 2, within(1e-12));

    // every test user: u1 (e), u2 (a, d and the unseen zz: ideal over min(2, 3)), u3 (not in
    // train, ranked anyway: [a, b] → hit at rank 1); u4 has no positive item
    assertThat(test.everyUser()).containsExactly("u1", "u2", "u3");
    assertThat(score.allUsers()).isEqualTo(3);
    assertThat(score.allRecall()).isCloseTo((0 + 0.5 + 1) / 3, within(1e-12));
    assertThat(score.allNdcg()).isCloseTo((0 + 1 / (1 + 1 / LOG2_3) + 1) / 3, within(1e-12));
  }

  @Test
  void scoresEachUserWithTheirOwnRanking() {
    // u1 (a, b masked) wants e most; u2 (c masked) wants c most, which is masked → then a
    Ranker personal =
        (user, out) -> {
          for (int k = 0; k < out.length; k++) {
            String item = train.catalog().id(k);
            out[k] =
                user.equals("u1")
                    ? (item.equals("e") ? 9 : 0)
                    : (item.equals("c") ? 9 : fixed.get(item));
          }
        };
    HeldOut test = HeldOut.of(List.of(i("u1", "e"), i("u2", "a")), train);
    Evaluator.Score one = new Evaluator(train, 1, 1).evaluate(personal, test);
    assertThat(one.recall()).isEqualTo(1.0);
    assertThat(one.ndcg()).isEqualTo(1.0);
    Evaluator.Score two = new Evaluator(train, 1, 2).evaluate(personal, test);
    assertThat(two.recall()).isEqualTo(one.recall());
    assertThat(two.ndcg()).isEqualTo(one.ndcg());
  }

  @Test
  void mostPopularRanksBySummedPositiveWeight() {
    TrainingSet weighted =
        TrainingSet.of(
            List.of(
                new Interaction("u1", "a", 1, 0),
                new Interaction("u2", "a", -1, 1), // skips add nothing
                new Interaction("u2", "b", 0.5, 2),
                new Interaction("u3", "b", 0.5, 3),
                new Interaction("u3", "c", 2, 4)));
    double[] out = new double[3];
    new MostPopular(weighted).score("anyone", out);
    assertThat(out).containsExactly(1, 1, 2);
    // a and b tie at 1: a (lower id) first; u1 has a masked → c, b
    HeldOut test = HeldOut.of(List.of(i("u1", "b")), weighted);
    Evaluator.Score score = new Evaluator(weighted, 1, 1).evaluate(new MostPopular(weighted), test);
    assertThat(score.recall()).isZero(); // top-1 is c
    Evaluator.Score two = new Evaluator(weighted, 2, 1).evaluate(new MostPopular(weighted), test);
    assertThat(two.recall()).isEqualTo(1.0);
    assertThat(two.ndcg()).isCloseTo(1 / LOG2_3, within(1e-12));
  }
}
