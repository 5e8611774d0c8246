package io.flick.feed.eval;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The items an evaluation can recommend: every item of the training set, indexed in the string
 * order of their ids ({@link String#compareTo}, i.e. UTF-16 code units). Index order is the
 * tie-break: of two items with the same score, the lower index (the smaller id) ranks first.
 */
public final class Catalog {
  private final String[] ids;
  private final Map<String, Integer> index;

  private Catalog(String[] sortedDistinctIds) {
    this.ids = sortedDistinctIds;
    this.index = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      index.put(ids[i], i);
    }
  }

  public static Catalog of(Collection<Interaction> train) {
    return of(train, java.util.List.of());
  }

  /** The training items and {@code moreItems}. */
  public static Catalog of(Collection<Interaction> train, Collection<String> moreItems) {
    return new Catalog(
        java.util.stream.Stream.concat(train.stream().map(Interaction::itemId), moreItems.stream())
            .distinct()
            .sorted()
            .toArray(String[]::new));
  }

  public int size() {
    return ids.length;
  }

  public String id(int index) {
    return ids[index];
  }

  /** The item's index, or -1 when the training set never saw it. */
  public int indexOf(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }

  public boolean contains(String id) {
    return index.containsKey(id);
  }

  @Override
  public String toString() {
    return "Catalog" + Arrays.toString(ids.length <= 10 ? ids : Arrays.copyOf(ids, 10));
  }
}
