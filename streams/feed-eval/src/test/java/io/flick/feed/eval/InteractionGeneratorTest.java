package io.flick.feed.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class InteractionGeneratorTest {
  private static final InteractionGenerator.Settings SMALL =
      new InteractionGenerator.Settings(20_000, 2_000, 400, 20, 7);

  @Test
  void theSameSeedGivesTheSameDataAndAnotherSeedOtherData(@TempDir Path dir) throws IOException {
    InteractionGenerator.Settings tiny = new InteractionGenerator.Settings(2_000, 300, 50, 8, 1);
    InteractionGenerator.write(InteractionGenerator.generate(tiny), dir.resolve("a"));
    InteractionGenerator.write(InteractionGenerator.generate(tiny), dir.resolve("b"));
    for (String name : List.of("train.tsv", "val.tsv", "test.tsv", "videos.tsv")) {
      assertThat(Files.readString(dir.resolve("b").resolve(name)))
          .as(name)
          .isEqualTo(Files.readString(dir.resolve("a").resolve(name)));
    }
    InteractionGenerator.Dataset other =
        InteractionGenerator.generate(new InteractionGenerator.Settings(2_000, 300, 50, 8, 2));
    assertThat(other.train()).isNotEqualTo(InteractionFile.read(dir.resolve("a/train.tsv")));
  }

  @Test
  void popularityAndActivityFollowPowerLaws() {
    InteractionGenerator.Dataset data = InteractionGenerator.generate(SMALL);
    List<Interaction> all = all(data);

    Map<String, Integer> perVideo = new HashMap<>();
    Map<String, Integer> perUser = new HashMap<>();
    for (Interaction i : all) {
      perUser.merge(i.userId(), 1, Integer::sum);
      if (i.positive()) {
        perVideo.merge(i.itemId(), 1, Integer::sum);
      }
    }
    List<Integer> counts = new ArrayList<>(perVideo.values());
    counts.sort(Comparator.reverseOrder());
    long positives = counts.stream().mapToLong(Integer::longValue).sum();
    long topPercent =
        counts.subList(0, SMALL.videos() / 100).stream().mapToLong(Integer::longValue).sum();
    // the top 1 % of videos take a big share (10× their number; ~23 % at the default size)
    assertThat((double) topPercent / positives).isGreaterThan(0.10);

    assertThat(perUser).hasSize(SMALL.users()); // every user did something
    long sparse = perUser.values().stream().filter(n -> n <= 5).count();
    long heavy = perUser.values().stream().filter(n -> n >= 100).count();
    assertThat((double) sparse / SMALL.users()).isBetween(0.6, 0.9);
    assertThat(heavy).isGreaterThan(10);

    // skips and several strengths of positive
    assertThat(all).extracting(Interaction::weight).contains(-1.0, 0.5, 1.0, 2.0, 3.0);
  }

  @Test
  void creatorsAndVideosHaveClusters() {
    InteractionGenerator.Dataset data = InteractionGenerator.generate(SMALL);
    assertThat(data.videos()).hasSize(SMALL.videos());
    Map<String, Map<String, Integer>> clustersOfCreator = new HashMap<>();
    for (InteractionGenerator.Video v : data.videos()) {
      clustersOfCreator
          .computeIfAbsent(v.creatorId(), c -> new HashMap<>())
          .merge(v.hashtag(), 1, Integer::sum);
    }
    assertThat(clustersOfCreator).hasSize(SMALL.creators());
    long inHome = 0;
    for (Map<String, Integer> clusters : clustersOfCreator.values()) {
      inHome += clusters.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
    assertThat((double) inHome / SMALL.videos()).isGreaterThan(0.8);
    assertThat(data.videos().stream().map(InteractionGenerator.Video::hashtag).distinct())
        .hasSize(SMALL.clusters());
  }

  @Test
  void splitsEachUserByTimeAndKeepsSparseUsersInTrain() {
    InteractionGenerator.Dataset data = InteractionGenerator.generate(SMALL);
    Map<String, Long> lastTrain = new HashMap<>();
    Map<String, Long> firstVal = new HashMap<>();
    Map<String, Long> lastVal = new HashMap<>();
    Map<String, Long> firstTest = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    Set<String> pairs = new HashSet<>();
    for (Interaction i : all(data)) {
      total.merge(i.userId(), 1, Integer::sum);
      assertThat(pairs.add(i.userId() + " " + i.itemId())).as("no repeat").isTrue();
    }
    data.train().forEach(i -> lastTrain.merge(i.userId(), i.timestamp(), Math::max));
    data.val().forEach(i -> firstVal.merge(i.userId(), i.timestamp(), Math::min));
    data.val().forEach(i -> lastVal.merge(i.userId(), i.timestamp(), Math::max));
    data.test().forEach(i -> firstTest.merge(i.userId(), i.timestamp(), Math::min));
    for (String user : firstTest.keySet()) {
      assertThat(total.get(user)).isGreaterThanOrEqualTo(3);
      assertThat(lastTrain.get(user)).isLessThanOrEqualTo(firstVal.get(user));
      assertThat(lastVal.get(user)).isLessThanOrEqualTo(firstTest.get(user));
    }
    total.forEach(
        (user, n) -> {
          if (n < 3) {
            assertThat(firstTest).doesNotContainKey(user);
            assertThat(firstVal).doesNotContainKey(user);
          }
        });
    // about a tenth each (at least one per held-out user)
    assertThat((double) data.test().size() / data.interactions()).isBetween(0.08, 0.2);
    assertThat(data.val().size()).isEqualTo(data.test().size());
    assertThat(data.train()).isSortedAccordingTo(Comparator.comparingLong(Interaction::timestamp));
  }

  private static List<Interaction> all(InteractionGenerator.Dataset data) {
    return Stream.of(data.train(), data.val(), data.test()).flatMap(List::stream).toList();
  }
}
