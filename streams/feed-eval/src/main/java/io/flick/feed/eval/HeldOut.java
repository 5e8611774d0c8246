package io.flick.feed.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A held-out set (validation or test) as ranking targets: for each user, the items they engaged
 * with positively ({@code weight > 0}) that can be recommended to them. Dropped, and counted:
 * skips; items the training set never saw (not in the catalog, so no ranking can contain them);
 * items the user already met in training (masked). Only users present in training with at least one
 * target left are {@link #users() evaluated}.
 *
 * <p>Besides, {@link #everyUser()}: every user of the file with at least one positive item not
 * already in their training, their {@link #relevant(String) relevant} count including items no
 * ranking can contain — the denominator published tables use (an unseen item is a miss).
 */
public final class HeldOut {
  private final List<String> users;
  private final Map<String, int[]> targets;
  private final List<String> everyUser;
  private final Map<String, Integer> relevant;
  private final Stats stats;

  /** What was in the file and what was dropped. */
  public record Stats(
      int lines,
      int usersInFile,
      int skipLines,
      int unseenItemLines,
      int unseenItems,
      int alreadyTrainedLines,
      int usersNotInTrain,
      int usersWithoutTarget,
      int usersEvaluated) {}

  private HeldOut(
      List<String> users,
      Map<String, int[]> targets,
      List<String> everyUser,
      Map<String, Integer> relevant,
      Stats stats) {
    this.users = users;
    this.targets = targets;
    this.everyUser = everyUser;
    this.relevant = relevant;
    this.stats = stats;
  }

  public static HeldOut of(List<Interaction> heldOut, TrainingSet train) {
    Catalog catalog = train.catalog();
    Map<String, Set<Integer>> byUser = new TreeMap<>();
    Map<String, Set<String>> relevantByUser = new TreeMap<>();
    Set<String> usersInFile = new HashSet<>();
    Set<String> unseenItems = new HashSet<>();
    int skips = 0;
    int unseenLines = 0;
    int alreadyTrained = 0;
    for (Interaction i : heldOut) {
      usersInFile.add(i.userId());
      if (!i.positive()) {
        skips++;
        continue;
      }
      int item = catalog.indexOf(i.itemId());
      if (item < 0 || !train.masks(i.userId(), item)) {
        relevantByUser.computeIfAbsent(i.userId(), u -> new HashSet<>()).add(i.itemId());
      }
      if (item < 0) {
        unseenLines++;
        unseenItems.add(i.itemId());
        continue;
      }
      if (train.masks(i.userId(), item)) {
        alreadyTrained++;
        continue;
      }
      byUser.computeIfAbsent(i.userId(), u -> new HashSet<>()).add(item);
    }
    int notInTrain = 0;
    for (String user : usersInFile) {
      if (!train.hasUser(user)) {
        notInTrain++;
      }
    }
    List<String> users = new ArrayList<>();
    Map<String, int[]> targets = new HashMap<>();
    byUser.forEach(
        (user, items) -> {
          if (train.hasUser(user)) {
            users.add(user);
          }
          targets.put(user, items.stream().mapToInt(Integer::intValue).sorted().toArray());
        });
    Map<String, Integer> relevant = new HashMap<>();
    relevantByUser.forEach((user, items) -> relevant.put(user, items.size()));
    int withoutTarget = usersInFile.size() - notInTrain - users.size();
    return new HeldOut(
        List.copyOf(users),
        targets,
        List.copyOf(relevantByUser.keySet()),
        relevant,
        new Stats(
            heldOut.size(),
            usersInFile.size(),
            skips,
            unseenLines,
            unseenItems.size(),
            alreadyTrained,
            notInTrain,
            withoutTarget,
            users.size()));
  }

  /** The users evaluated, in string order of their ids. */
  public List<String> users() {
    return users;
  }

  /** The user's targets as sorted catalog indexes (empty when none can be ranked). */
  public int[] targetsOf(String user) {
    int[] t = targets.get(user);
    return t == null ? new int[0] : t;
  }

  /**
   * Every user with a positive held-out item not in their training (in train or not, rankable or
   * not), in string order: the "all test users" denominator.
   */
  public List<String> everyUser() {
    return everyUser;
  }

  /** How many distinct relevant items the user has, rankable or not. */
  public int relevant(String user) {
    return relevant.getOrDefault(user, 0);
  }

  public Stats stats() {
    return stats;
  }

  /**
   * At most {@code max} of the users, the same ones for the same seed (for a quicker validation);
   * all of them when {@code max <= 0} or there are no more.
   */
  public HeldOut sample(int max, long seed) {
    if (max <= 0 || max >= users.size()) {
      return this;
    }
    List<String> chosen = new ArrayList<>(users);
    chosen.sort(
        Comparator.comparingLong((String u) -> mix(u.hashCode() ^ seed))
            .thenComparing(Comparator.naturalOrder()));
    List<String> kept = new ArrayList<>(chosen.subList(0, max));
    kept.sort(Comparator.naturalOrder());
    Map<String, int[]> keptTargets = new HashMap<>();
    kept.forEach(u -> keptTargets.put(u, targets.get(u)));
    return new HeldOut(
        List.copyOf(kept),
        keptTargets,
        List.copyOf(kept),
        relevant,
        new Stats(
            stats.lines,
            stats.usersInFile,
            stats.skipLines,
            stats.unseenItemLines,
            stats.unseenItems,
            stats.alreadyTrainedLines,
            stats.usersNotInTrain,
            stats.usersWithoutTarget,
            kept.size()));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  @Override
  public String toString() {
    return "HeldOut" + Arrays.toString(users.toArray());
  }
}
