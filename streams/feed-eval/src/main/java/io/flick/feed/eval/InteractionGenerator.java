package io.flick.feed.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic short-video interactions with the shape of the real thing, for tests and benchmarks.
 * The same settings (seed included) always give the same data.
 *
 * <ul>
 *   <li><b>Interest clusters</b> (topics) of unequal size; each video belongs to one, shown by its
 *       hashtag {@code topicNN}; each cluster has a few niches (sub-tastes).
 *   <li><b>Creators</b> with one home cluster (85 % of their videos are there), power-law output
 *       and a quality factor that lifts all their videos.
 *   <li><b>Power-law popularity</b>: inside a cluster, videos are Zipf-ranked (exponent 1.2).
 *   <li><b>Users</b> with 1–3 interest clusters, Dirichlet(1) weights, a favourite niche in each;
 *       power-law activity: P(n ≥ x) = 1/x (at most 500), so ~83 % make 1–5 interactions and a few
 *       make hundreds.
 *   <li><b>Behaviour</b>, per interaction: 8 % exploration (a globally popular video, mostly
 *       skipped unless it happens to match an interest), 12 % a video of a creator the user liked
 *       before, otherwise a video of one of their clusters (half the time of their niche). Weights
 *       as the live stream's: -1 skip, 0.5 view, 1 watched to the end, 2 like, 3 share; in-interest
 *       videos are mostly positive (10 % skipped), others mostly skipped (55 %). No user meets a
 *       video twice.
 *   <li><b>Time</b>: each user's interactions are spread, in order, over part of a 30-day window
 *       from 2025-01-01.
 * </ul>
 *
 * <p>Split by time per user: users with fewer than 3 interactions go entirely to train; the others
 * give their last 10 % (at least 1) to test and the 10 % (at least 1) before that to validation.
 *
 * <p>{@link Mode#SPARSE} has the shape of public short-video interaction logs instead (defaults
 * 9,000 users × 7,000 videos): implicit feedback only (no skips), every user gives exactly one
 * held-out item to validation and one to test (their last two), and the number of training
 * interactions per user follows a truncated power law P(n ≥ x) ∝ x^-0.9 on 1…100 (median 2, a tail
 * to 100). {@value #NEW_SHARE_PERCENT} % of the videos are new: never drawn for train or
 * validation, they are the test item of about {@value #COLD_TEST_PERCENT} % of the users (with
 * rarely watched old videos that happen to be only in test, ~5 % of the test items are cold).
 *
 * <p>Both modes also give every video a {@value #FEATURE_DIMS}-dimensional content vector (its
 * cluster's centre + its niche's offset + noise, drawn from their own random stream so the
 * interactions do not change with it), as a content model of the video would.
 */
public final class InteractionGenerator {
  static final long EPOCH_MS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
  static final long WINDOW_MS = 30L * 24 * 3600 * 1000;
  private static final int NICHES = 4;
  private static final double ZIPF_EXPONENT = 1.2;
  private static final double ACTIVITY_TAIL = 1.0;
  private static final double EXPLORE = 0.08;
  private static final double FOLLOWED_CREATOR = 0.12;
  private static final double HOME_CLUSTER = 0.85;
  private static final double OWN_NICHE = 0.5;
  // the live interaction stream's weights (see io.flick.feed.rank.Engagement)
  static final double SKIP = -1;
  static final double VIEW = 0.5;
  static final double COMPLETE = 1;
  static final double LIKE = 2;
  static final double SHARE = 3;
  // sparse mode
  static final int NEW_SHARE_PERCENT = 4;
  static final int COLD_TEST_PERCENT = 1;
  private static final double SPARSE_ACTIVITY_EXPONENT = 0.9;
  private static final int SPARSE_MAX_TRAIN = 100;
  // content vectors
  static final int FEATURE_DIMS = 16;
  private static final double NICHE_OFFSET = 0.6;
  private static final double FEATURE_NOISE = 0.8;

  /** Dense: many interactions per user, skips, a 10 % / 10 % split; sparse: see the class doc. */
  public enum Mode {
    DENSE,
    SPARSE
  }

  /** What to generate. */
  public record Settings(int users, int videos, int creators, int clusters, long seed, Mode mode) {
    public Settings(int users, int videos, int creators, int clusters, long seed) {
      this(users, videos, creators, clusters, seed, Mode.DENSE);
    }

    public Settings {
      if (mode == null) {
        throw new IllegalArgumentException("no mode");
      }
      if (users < 1 || videos < 1 || creators < 1 || clusters < 1) {
        throw new IllegalArgumentException("users, videos, creators and clusters must all be >= 1");
      }
      if (creators > videos) {
        throw new IllegalArgumentException(
            "more creators (" + creators + ") than videos (" + videos + ")");
      }
      if (clusters > videos) {
        throw new IllegalArgumentException(
            "more clusters (" + clusters + ") than videos (" + videos + ")");
      }
    }

    public static Settings defaults() {
      return defaults(Mode.DENSE);
    }

    public static Settings defaults(Mode mode) {
      return mode == Mode.SPARSE
          ? new Settings(9_000, 7_000, 1_400, 40, 42, mode)
          : new Settings(100_000, 10_000, 2_000, 40, 42, mode);
    }
  }

  /** One video of the catalogue: its creator and the hashtag of its cluster. */
  public record Video(String videoId, String creatorId, String hashtag) {}

  /** Generated data, each split in time order. */
  public record Dataset(
      List<Video> videos,
      List<Interaction> train,
      List<Interaction> val,
      List<Interaction> test,
      List<float[]> features) {
    public int interactions() {
      return train.size() + val.size() + test.size();
    }
  }

  private final Settings settings;
  private final SplittableRandom random;
  private final String[] videoIds;
  private final int[] videoCluster;
  private final int[] videoCreator;
  private final double[] clusterCumulative;
  private final Sampler[] clusterVideos; // by cluster
  private final Sampler[] nicheVideos; // by cluster * NICHES + niche
  private final Sampler[] creatorVideos; // by creator
  private final boolean[] seen; // by video, for the user being generated
  private final boolean[] isNew; // sparse mode: never in train or validation
  private final Sampler[] newVideos; // sparse mode, by cluster
  private final int[] videoNiche;

  private InteractionGenerator(Settings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    int clusters = settings.clusters();
    int creators = settings.creators();
    int videos = settings.videos();

    double[] clusterWeight = new double[clusters];
    for (int c = 0; c < clusters; c++) {
      clusterWeight[c] = Math.pow(c + 1, -0.6);
    }
    clusterCumulative = cumulative(clusterWeight);

    int[] creatorHome = new int[creators];
    double[] creatorOutput = new double[creators];
    double[] creatorQuality = new double[creators];
    for (int c = 0; c < creators; c++) {
      creatorHome[c] = pick(clusterCumulative);
      creatorOutput[c] = Math.pow(1 - random.nextDouble(), -1 / 1.5); // Pareto
      creatorQuality[c] = Math.exp(0.5 * gaussian());
    }
    double[] outputCumulative = cumulative(creatorOutput);

    seen = new boolean[videos];
    videoIds = new String[videos];
    videoCluster = new int[videos];
    videoCreator = new int[videos];
    videoNiche = new int[videos];
    for (int v = 0; v < videos; v++) {
      videoIds[v] = id("v", v, videos);
      // every creator has at least one video, the rest by output
      int creator = v < creators ? v : pick(outputCumulative);
      videoCreator[v] = creator;
      videoCluster[v] =
          random.nextDouble() < HOME_CLUSTER ? creatorHome[creator] : random.nextInt(clusters);
      videoNiche[v] = random.nextInt(NICHES);
    }
    // every cluster has at least one video
    for (int c = 0; c < clusters; c++) {
      videoCluster[c * (videos / clusters)] = c;
    }

    // Zipf rank inside each cluster, in a random order, lifted by the creator's quality
    double[] popularity = new double[videos];
    List<List<Integer>> byCluster = groups(videoCluster, clusters);
    for (List<Integer> members : byCluster) {
      int[] order = shuffled(members);
      for (int r = 0; r < order.length; r++) {
        popularity[order[r]] =
            Math.pow(r + 1, -ZIPF_EXPONENT) * creatorQuality[videoCreator[order[r]]];
      }
    }
    clusterVideos = new Sampler[clusters];
    nicheVideos = new Sampler[clusters * NICHES];
    for (int c = 0; c < clusters; c++) {
      clusterVideos[c] = new Sampler(byCluster.get(c), popularity);
      for (int n = 0; n < NICHES; n++) {
        List<Integer> niche = new ArrayList<>();
        for (int v : byCluster.get(c)) {
          if (videoNiche[v] == n) {
            niche.add(v);
          }
        }
        nicheVideos[c * NICHES + n] =
            niche.isEmpty() ? clusterVideos[c] : new Sampler(niche, popularity);
      }
    }
    isNew = new boolean[videos];
    newVideos = new Sampler[clusters];
    if (settings.mode() == Mode.SPARSE) {
      // the newest videos (highest indexes, a spread of clusters): out of every old sampler
      int fresh = Math.max(1, videos * NEW_SHARE_PERCENT / 100);
      double[] newPopularity = new double[videos];
      for (int v = videos - fresh; v < videos; v++) {
        isNew[v] = true;
        newPopularity[v] = popularity[v];
        popularity[v] = 0;
      }
      List<Integer> allNew = new ArrayList<>();
      for (int v = videos - fresh; v < videos; v++) {
        allNew.add(v);
      }
      Sampler anyNew = new Sampler(allNew, newPopularity);
      for (int c = 0; c < clusters; c++) {
        List<Integer> members = new ArrayList<>();
        for (int v : byCluster.get(c)) {
          if (isNew[v]) {
            members.add(v);
          }
        }
        newVideos[c] = members.isEmpty() ? anyNew : new Sampler(members, newPopularity);
      }
      for (int c = 0; c < clusters; c++) {
        clusterVideos[c] = new Sampler(byCluster.get(c), popularity);
        for (int n = 0; n < NICHES; n++) {
          List<Integer> niche = new ArrayList<>();
          for (int v : byCluster.get(c)) {
            if (videoNiche[v] == n) {
              niche.add(v);
            }
          }
          nicheVideos[c * NICHES + n] =
              niche.isEmpty() ? clusterVideos[c] : new Sampler(niche, popularity);
        }
      }
    }
    List<List<Integer>> byCreator = groups(videoCreator, creators);
    creatorVideos = new Sampler[creators];
    for (int c = 0; c < creators; c++) {
      creatorVideos[c] = new Sampler(byCreator.get(c), popularity);
    }
  }

  public static Dataset generate(Settings settings) {
    return new InteractionGenerator(settings).run();
  }

  private Dataset run() {
    int users = settings.users();
    List<Video> videos = new ArrayList<>(settings.videos());
    for (int v = 0; v < settings.videos(); v++) {
      videos.add(
          new Video(
              videoIds[v],
              id("c", videoCreator[v], settings.creators()),
              id("topic", videoCluster[v], settings.clusters())));
    }
    List<Interaction> train = new ArrayList<>();
    List<Interaction> val = new ArrayList<>();
    List<Interaction> test = new ArrayList<>();
    boolean sparse = settings.mode() == Mode.SPARSE;
    for (int u = 0; u < users; u++) {
      List<Interaction> history = user(id("u", u, users));
      int n = history.size();
      if (sparse) {
        if (n < 3) { // a user who could not find 3 distinct videos: train only
          train.addAll(history);
          continue;
        }
        train.addAll(history.subList(0, n - 2));
        val.add(history.get(n - 2));
        test.add(history.get(n - 1));
        continue;
      }
      if (n < 3) {
        train.addAll(history);
        continue;
      }
      int held = Math.max(1, (int) Math.round(0.1 * n));
      train.addAll(history.subList(0, n - 2 * held));
      val.addAll(history.subList(n - 2 * held, n - held));
      test.addAll(history.subList(n - held, n));
    }
    Comparator<Interaction> byTime =
        Comparator.comparingLong(Interaction::timestamp)
            .thenComparing(Interaction::userId)
            .thenComparing(Interaction::itemId);
    train.sort(byTime);
    val.sort(byTime);
    test.sort(byTime);
    return new Dataset(List.copyOf(videos), train, val, test, features());
  }

  /**
   * Content vectors: cluster centre + niche offset + noise, from a random stream of their own (the
   * interactions are the same with or without them).
   */
  private List<float[]> features() {
    SplittableRandom r = new SplittableRandom(settings.seed() * 31 + 17);
    int d = FEATURE_DIMS;
    double[][] centre = new double[settings.clusters()][];
    double[][] niche = new double[settings.clusters() * NICHES][];
    for (int c = 0; c < centre.length; c++) {
      centre[c] = gaussianVector(r, d, 1);
    }
    for (int n = 0; n < niche.length; n++) {
      niche[n] = gaussianVector(r, d, NICHE_OFFSET);
    }
    List<float[]> features = new ArrayList<>(settings.videos());
    for (int v = 0; v < settings.videos(); v++) {
      double[] noise = gaussianVector(r, d, FEATURE_NOISE);
      float[] f = new float[d];
      for (int j = 0; j < d; j++) {
        f[j] =
            (float)
                (centre[videoCluster[v]][j]
                    + niche[videoCluster[v] * NICHES + videoNiche[v]][j]
                    + noise[j]);
      }
      features.add(f);
    }
    return features;
  }

  /** Independent N(0, (scale² / d)) components: about {@code scale} long. */
  private static double[] gaussianVector(SplittableRandom r, int d, double scale) {
    double[] x = new double[d];
    for (int j = 0; j < d; j++) {
      double u = 1 - r.nextDouble();
      x[j] =
          scale
              / Math.sqrt(d)
              * Math.sqrt(-2 * Math.log(u))
              * Math.cos(2 * Math.PI * r.nextDouble());
    }
    return x;
  }

  /** One user's interactions, in time order. */
  private List<Interaction> user(String userId) {
    int clusters = settings.clusters();
    int interests =
        Math.min(clusters, random.nextDouble() < 0.5 ? 1 : random.nextDouble() < 0.7 ? 2 : 3);
    int[] interest = new int[interests];
    int[] niche = new int[interests];
    double[] share = new double[interests];
    for (int i = 0; i < interests; i++) {
      int cluster;
      do {
        cluster = pick(clusterCumulative);
      } while (contains(interest, i, cluster));
      interest[i] = cluster;
      niche[i] = random.nextInt(NICHES);
      share[i] = -Math.log(1 - random.nextDouble()); // Exp(1): normalised → Dirichlet(1)
    }
    double[] shareCumulative = cumulative(share);

    boolean sparse = settings.mode() == Mode.SPARSE;
    int n;
    if (sparse) {
      // training interactions: P(t >= x) ∝ x^-a - (max+1)^-a on 1..max; plus validation and test
      double a = SPARSE_ACTIVITY_EXPONENT;
      double tail = Math.pow(SPARSE_MAX_TRAIN + 1, -a);
      double u = tail + (1 - tail) * (1 - random.nextDouble());
      int t = (int) Math.min(SPARSE_MAX_TRAIN, Math.floor(Math.pow(u, -1 / a)));
      n = Math.min(Math.max(1, t), settings.videos() / 10 + 1) + 2;
    } else {
      n =
          (int)
              Math.min(
                  Math.pow(1 - random.nextDouble(), -1 / ACTIVITY_TAIL),
                  Math.min(500, settings.videos() / 10 + 1));
      n = Math.max(1, n);
    }
    long start = EPOCH_MS + (long) (random.nextDouble() * 0.9 * WINDOW_MS);
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      times[i] = start + (long) (random.nextDouble() * (EPOCH_MS + WINDOW_MS - start));
    }
    Arrays.sort(times);

    List<Integer> followed = new ArrayList<>();
    List<Interaction> history = new ArrayList<>(n);
    int[] watched = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      int video = -1;
      boolean last = i == n - 1;
      for (int attempt = 0;
          attempt < 3 && (video < 0 || seen[video] || (isNew[video] && !last));
          attempt++) {
        double r = random.nextDouble();
        if (sparse && last && r < COLD_TEST_PERCENT / 100.0) {
          video = newVideos[interest[pick(shareCumulative)]].sample(random);
        } else if (r < EXPLORE) {
          video = clusterVideos[pick(clusterCumulative)].sample(random);
        } else if (r < EXPLORE + FOLLOWED_CREATOR && !followed.isEmpty()) {
          video = creatorVideos[followed.get(random.nextInt(followed.size()))].sample(random);
        } else {
          int k = pick(shareCumulative);
          Sampler from =
              random.nextDouble() < OWN_NICHE
                  ? nicheVideos[interest[k] * NICHES + niche[k]]
                  : clusterVideos[interest[k]];
          video = from.sample(random);
        }
      }
      if (seen[video] || (isNew[video] && !last)) {
        continue; // a user who has seen most of their corner: one interaction fewer
      }
      seen[video] = true;
      boolean interesting = contains(interest, interests, videoCluster[video]);
      double r = random.nextDouble();
      double weight;
      if (sparse) { // implicit feedback: what was logged is what they engaged with
        weight = r < 0.55 ? VIEW : r < 0.80 ? COMPLETE : r < 0.97 ? LIKE : SHARE;
      } else if (interesting) {
        weight = r < 0.10 ? SKIP : r < 0.55 ? VIEW : r < 0.80 ? COMPLETE : r < 0.97 ? LIKE : SHARE;
      } else {
        weight = r < 0.55 ? SKIP : r < 0.90 ? VIEW : r < 0.96 ? COMPLETE : r < 0.99 ? LIKE : SHARE;
      }
      if (weight >= LIKE && !followed.contains(videoCreator[video])) {
        followed.add(videoCreator[video]);
      }
      history.add(new Interaction(userId, videoIds[video], weight, times[i]));
      watched[count++] = video;
    }
    for (int i = 0; i < count; i++) {
      seen[watched[i]] = false;
    }
    return history;
  }

  /**
   * Writes train.tsv, val.tsv, test.tsv, videos.tsv and features.tsv ({@code video<TAB>v1,v2,…})
   * into {@code dir} (created if needed).
   */
  public static void write(Dataset data, Path dir) throws IOException {
    Files.createDirectories(dir);
    InteractionFile.write(dir.resolve("train.tsv"), data.train());
    InteractionFile.write(dir.resolve("val.tsv"), data.val());
    InteractionFile.write(dir.resolve("test.tsv"), data.test());
    try (BufferedWriter out =
        Files.newBufferedWriter(dir.resolve("videos.tsv"), StandardCharsets.UTF_8)) {
      out.write("# video\tcreator\thashtag\n");
      for (Video v : data.videos()) {
        out.write(v.videoId() + "\t" + v.creatorId() + "\t" + v.hashtag() + "\n");
      }
    }
    try (BufferedWriter out =
        Files.newBufferedWriter(dir.resolve("features.tsv"), StandardCharsets.UTF_8)) {
      out.write("# video\tcontent vector (" + FEATURE_DIMS + " floats)\n");
      StringBuilder line = new StringBuilder();
      for (int v = 0; v < data.videos().size(); v++) {
        line.setLength(0);
        line.append(data.videos().get(v).videoId()).append('\t');
        float[] f = data.features().get(v);
        for (int j = 0; j < f.length; j++) {
          if (j > 0) {
            line.append(',');
          }
          line.append(String.format(java.util.Locale.ROOT, "%.4f", f[j]));
        }
        out.write(line.append('\n').toString());
      }
    }
  }

  /** Draws an index of {@code members} with probability proportional to its popularity. */
  private static final class Sampler {
    private final int[] members;
    private final double[] cumulative;

    Sampler(List<Integer> members, double[] popularity) {
      this.members = members.stream().mapToInt(Integer::intValue).toArray();
      double[] weights = new double[this.members.length];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = popularity[this.members[i]];
      }
      this.cumulative = cumulative(weights);
    }

    int sample(SplittableRandom random) {
      return members[pick(cumulative, random)];
    }
  }

  private int pick(double[] cumulative) {
    return pick(cumulative, random);
  }

  private static int pick(double[] cumulative, SplittableRandom random) {
    double x = random.nextDouble() * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, x);
    i = i >= 0 ? i + 1 : -i - 1;
    return Math.min(i, cumulative.length - 1);
  }

  private static double[] cumulative(double[] weights) {
    double[] c = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      c[i] = sum;
    }
    return c;
  }

  private double gaussian() {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private int[] shuffled(List<Integer> members) {
    int[] a = members.stream().mapToInt(Integer::intValue).toArray();
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  private static List<List<Integer>> groups(int[] groupOf, int groups) {
    List<List<Integer>> result = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      result.add(new ArrayList<>());
    }
    for (int i = 0; i < groupOf.length; i++) {
      result.get(groupOf[i]).add(i);
    }
    return result;
  }

  private static boolean contains(int[] a, int length, int value) {
    for (int i = 0; i < length; i++) {
      if (a[i] == value) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code prefix} + the number zero-padded to the width of the largest, so ids sort as numbers.
   */
  static String id(String prefix, int number, int count) {
    int width = Integer.toString(Math.max(0, count - 1)).length();
    String digits = Integer.toString(number);
    return prefix + "0".repeat(width - digits.length()) + digits;
  }
}
