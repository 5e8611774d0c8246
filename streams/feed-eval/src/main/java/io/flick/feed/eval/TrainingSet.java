package io.flick.feed.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training interactions in time order (stable: equal timestamps keep file order), the {@link
 * Catalog} they span, and each user's training items — what an evaluation masks when it ranks for
 * that user (every item the user met in training, skipped or not: seen videos are never shown
 * again).
 */
public final class TrainingSet {
  private final List<Interaction> inTimeOrder;
  private final Catalog catalog;
  private final Map<String, int[]> itemsByUser;
  private final boolean[] inTrain;
  private final boolean extended;

  private TrainingSet(List<Interaction> inTimeOrder, Collection<String> moreItems) {
    this.inTimeOrder = inTimeOrder;
    this.catalog = Catalog.of(inTimeOrder, moreItems);
    this.inTrain = new boolean[catalog.size()];
    for (Interaction i : inTimeOrder) {
      inTrain[catalog.indexOf(i.itemId())] = true;
    }
    boolean any = false;
    for (boolean b : inTrain) {
      any |= !b;
    }
    this.extended = any;
    Map<String, List<Integer>> items = new HashMap<>();
    for (Interaction i : inTimeOrder) {
      items.computeIfAbsent(i.userId(), u -> new ArrayList<>()).add(catalog.indexOf(i.itemId()));
    }
    this.itemsByUser = new HashMap<>(items.size() * 2);
    items.forEach(
        (user, list) ->
            itemsByUser.put(
                user, list.stream().mapToInt(Integer::intValue).sorted().distinct().toArray()));
  }

  public static TrainingSet of(List<Interaction> train) {
    return of(train, List.of());
  }

  /**
   * With {@code moreItems} (videos with content vectors that no training interaction has) in the
   * catalogue too: rankable by a model that can score them, a miss for any other.
   */
  public static TrainingSet of(List<Interaction> train, Collection<String> moreItems) {
    List<Interaction> sorted = new ArrayList<>(train);
    sorted.sort(Comparator.comparingLong(Interaction::timestamp)); // stable
    return new TrainingSet(Collections.unmodifiableList(sorted), moreItems);
  }

  /** Whether a training interaction has the catalogue item. */
  public boolean inTrain(int item) {
    return inTrain[item];
  }

  /** Whether the catalogue holds items no training interaction has. */
  public boolean hasItemsBeyondTrain() {
    return extended;
  }

  public List<Interaction> inTimeOrder() {
    return inTimeOrder;
  }

  public Catalog catalog() {
    return catalog;
  }

  public boolean hasUser(String user) {
    return itemsByUser.containsKey(user);
  }

  public int users() {
    return itemsByUser.size();
  }

  /** The user's training items as sorted catalog indexes; empty for an unknown user. */
  public int[] itemsOf(String user) {
    int[] items = itemsByUser.get(user);
    return items == null ? new int[0] : items;
  }

  boolean masks(String user, int item) {
    return Arrays.binarySearch(itemsOf(user), item) >= 0;
  }
}
