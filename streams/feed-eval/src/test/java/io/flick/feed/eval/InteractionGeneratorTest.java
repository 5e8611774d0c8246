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

  @Test
  void sparseModeHasThePublicShortVideoShape() {
    InteractionGenerator.Settings sparse =
        new InteractionGenerator.Settings(
            4_000, 3_000, 600, 20, 11, InteractionGenerator.Mode.SPARSE);
    InteractionGenerator.Dataset data = InteractionGenerator.generate(sparse);

    Map<String, Integer> trainPerUser = new HashMap<>();
    Map<String, Integer> trainPerItem = new HashMap<>();
    for (Interaction i : data.train()) {
      assertThat(i.positive()).as("implicit feedback: no skips").isTrue();
      trainPerUser.merge(i.userId(), 1, Integer::sum);
      trainPerItem.merge(i.itemId(), 1, Integer::sum);
    }
    List<Integer> perUser = new ArrayList<>(trainPerUser.values());
    perUser.sort(Comparator.naturalOrder());
    assertThat(perUser.get(perUser.size() / 2))
        .as("median train interactions per user")
        .isEqualTo(2);
    assertThat(perUser.get(perUser.size() - 1)).as("the tail").isBetween(60, 100);
    assertThat(perUser.stream().filter(n -> n >= 20).count()).isGreaterThan(40);

    // one validation and one test item per held-out user, after their training interactions
    Map<String, Long> testPerUser = new HashMap<>();
    data.test().forEach(i -> testPerUser.merge(i.userId(), 1L, Long::sum));
    assertThat(testPerUser.values()).containsOnly(1L);
    assertThat(data.val()).hasSameSizeAs(data.test());
    assertThat((double) data.test().size() / sparse.users()).isGreaterThan(0.95);

    // ~5 % of the test items never appear in train
    long cold = data.test().stream().filter(i -> !trainPerItem.containsKey(i.itemId())).count();
    assertThat((double) cold / data.test().size()).isBetween(0.03, 0.08);

    // power-law popularity: the top 1 % of items take > 10 % of the interactions, the median item
    // has only a handful
    List<Integer> perItem = new ArrayList<>(trainPerItem.values());
    perItem.sort(Comparator.reverseOrder());
    long total = perItem.stream().mapToLong(Integer::longValue).sum();
    long top =
        perItem.subList(0, sparse.videos() / 100).stream().mapToLong(Integer::longValue).sum();
    assertThat((double) top / total).isGreaterThan(0.10);
    assertThat(perItem.get(perItem.size() / 2)).isLessThanOrEqualTo(5);
  }

  @Test
  void contentVectorsFollowTheClusters() {
    InteractionGenerator.Dataset data =
        InteractionGenerator.generate(new InteractionGenerator.Settings(100, 400, 40, 4, 3));
    assertThat(data.features()).hasSize(400);
    double same = 0;
    double other = 0;
    int sameN = 0;
    int otherN = 0;
    for (int a = 0; a < 400; a += 7) {
      for (int b = a + 1; b < 400; b += 5) {
        double c = cosine(data.features().get(a), data.features().get(b));
        if (data.videos().get(a).hashtag().equals(data.videos().get(b).hashtag())) {
          same += c;
          sameN++;
        } else {
          other += c;
          otherN++;
        }
      }
    }
    assertThat(same / sameN).isGreaterThan(other / otherN + 0.2);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int j = 0; j < a.length; j++) {
      dot += a[j] * b[j];
      na += a[j] * a[j];
      nb += b[j] * b[j];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static List<Interaction> all(InteractionGenerator.Dataset data) {
    return Stream.of(data.train(), data.val(), data.test()).flatMap(List::stream).toList();
  }
}
