package io.flick.feed.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemItemTableTest {
  // items 0..2; users {0,1}, {0,1}, {0,2}, {1,2}
  private static final int[][] USERS = {{0, 1}, {0, 1}, {0, 2}, {1, 2}};

  @Test
  void fitsEaseInClosedFormOnAThreeByThreeCaseKeepingThePositiveWeights() {
    double lambda = 2;
    ItemItemTable table = ItemItemTable.fit(USERS, 3, lambda, 10, 10, 1);
    // G = XᵀX + λI; P = G⁻¹ by cofactors; B_ij = −P_ij / P_jj
    double[][] g = {{3 + lambda, 2, 1}, {2, 3 + lambda, 1}, {1, 1, 2 + lambda}};
    double[][] p = inverse3(g);
    assertThat(table.fittedItems()).isEqualTo(3);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double b = r == c ? 0 : -p[r][c] / p[c][c];
        double expected = b > 0 ? b : 0; // the serving table keeps positive weights only
        assertThat((double) table.weight(r, c))
            .as("B[%d][%d]", r, c)
            .isCloseTo(expected, within(1e-5));
      }
    }
  }

  @Test
  void fitsOnlyTheMostEngagedItemsAndKeepsTheStrongestNeighbours() {
    // item 3 is seen once: with maxItems 3 it is left out; keep 1: each row its strongest only
    int[][] users = {{0, 1}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 3}};
    ItemItemTable table = ItemItemTable.fit(users, 4, 1, 3, 1, 2);
    assertThat(table.fittedItems()).isEqualTo(3);
    for (int j = 0; j < 4; j++) {
      assertThat(table.weight(3, j)).isZero();
      assertThat(table.weight(j, 3)).isZero();
    }
    assertThat(table.row(0).size()).isEqualTo(1);
    assertThat(table.weight(0, 1)).isPositive(); // 0 and 1 co-occur most
  }

  @Test
  void aViewerWithOneVideoGetsItsItemItemNeighbourFirstOnceTheTableIsFitted() {
    Recommender model = new Recommender(RecommenderParams.defaults().withItemItem(100));
    long t = 1_000_000L;
    // "p" is watched by everyone (popular); "a" and "b" go together for a few users
    for (int u = 0; u < 40; u++) {
      model.learn(Engagement.of("u" + u, "p", Engagement.COMPLETE, t += 1000));
      model.learn(Engagement.of("u" + u, "x" + (u % 8), Engagement.COMPLETE, t += 1000));
    }
    for (int u = 0; u < 4; u++) {
      model.learn(Engagement.of("w" + u, "a", Engagement.COMPLETE, t += 1000));
      model.learn(Engagement.of("w" + u, "b", Engagement.COMPLETE, t += 1000));
    }
    model.learn(Engagement.of("viewer", "a", Engagement.COMPLETE, t += 1000));
    assertThat(model.itemItem().fittedItems()).isZero();

    model.refreshItemItem(1);

    assertThat(model.itemItem().fittedItems()).isEqualTo(11); // p, x0..x7, a, b
    List<Scored> ranked = model.rank(model.context("viewer"), List.of("p", "x1", "x2", "b", "x3"));
    assertThat(ranked.get(0).videoId()).isEqualTo("b");
    Candidates candidates = model.candidates(model.context("viewer"), 8, id -> false);
    assertThat(candidates.personalised()).contains("b");
    assertThat(Set.copyOf(candidates.personalised())).doesNotContain("a"); // watched
  }

  @Test
  void aZeroWeightFitsNothing() {
    Recommender model = new Recommender(RecommenderParams.defaults());
    model.learn(Engagement.of("u", "a", Engagement.COMPLETE, 1));
    model.learn(Engagement.of("u", "b", Engagement.COMPLETE, 2));
    model.refreshItemItem(1);
    assertThat(model.itemItem().fittedItems()).isZero();
  }

  private static double[][] inverse3(double[][] m) {
    double det =
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    double[][] inv = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (c + 1) % 3;
        int r2 = (c + 2) % 3;
        int c1 = (r + 1) % 3;
        int c2 = (r + 2) % 3;
        inv[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
      }
    }
    return inv;
  }
}
