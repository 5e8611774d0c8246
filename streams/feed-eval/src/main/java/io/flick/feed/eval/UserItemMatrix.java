package io.flick.feed.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training set as the classical baselines see it: a binary user × item matrix of positive
 * engagements (weight > 0; how strong does not matter, skips are absent), as both rows (each user's
 * items) and columns (each item's users), over the {@link Catalog}'s item indexes.
 */
final class UserItemMatrix {
  private final Map<String, Integer> userIndex = new HashMap<>();
  private final int[][] itemsOfUser;
  private final int[][] usersOfItem;
  private final double[] popularity;

  UserItemMatrix(TrainingSet train) {
    int n = train.catalog().size();
    List<List<Integer>> rows = new ArrayList<>();
    popularity = new double[n];
    for (Interaction i : train.inTimeOrder()) {
      if (!i.positive()) {
        continue;
      }
      int user =
          userIndex.computeIfAbsent(
              i.userId(),
              u -> {
                rows.add(new ArrayList<>());
                return rows.size() - 1;
              });
      rows.get(user).add(train.catalog().indexOf(i.itemId()));
    }
    itemsOfUser = new int[rows.size()][];
    int[] columnSizes = new int[n];
    for (int u = 0; u < itemsOfUser.length; u++) {
      itemsOfUser[u] =
          rows.get(u).stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
      for (int item : itemsOfUser[u]) {
        columnSizes[item]++;
      }
    }
    usersOfItem = new int[n][];
    for (int item = 0; item < n; item++) {
      usersOfItem[item] = new int[columnSizes[item]];
      popularity[item] = columnSizes[item];
    }
    int[] fill = new int[n];
    for (int u = 0; u < itemsOfUser.length; u++) {
      for (int item : itemsOfUser[u]) {
        usersOfItem[item][fill[item]++] = u;
      }
    }
  }

  int items() {
    return usersOfItem.length;
  }

  int users() {
    return itemsOfUser.length;
  }

  /** The user's row index, or -1 when they have no positive training engagement. */
  int user(String userId) {
    Integer u = userIndex.get(userId);
    return u == null ? -1 : u;
  }

  /** Sorted item indexes. */
  int[] itemsOf(int user) {
    return itemsOfUser[user];
  }

  /** Sorted user indexes. */
  int[] usersOf(int item) {
    return usersOfItem[item];
  }

  /**
   * The fallback of every baseline for a user with no positive training engagement: the number of
   * users who engaged positively with each item (MostPop by users); NaN (ranks last) for an item no
   * one engaged with.
   */
  void popularity(double[] out) {
    for (int i = 0; i < popularity.length; i++) {
      out[i] = popularity[i] > 0 ? popularity[i] : Double.NaN;
    }
  }

  @Override
  public String toString() {
    return "UserItemMatrix["
        + users()
        + " users × "
        + items()
        + " items, "
        + Arrays.stream(itemsOfUser).mapToInt(r -> r.length).sum()
        + " ones]";
  }
}
