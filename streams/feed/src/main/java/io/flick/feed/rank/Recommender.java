package io.flick.feed.rank;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The one recommendation model, used the same way by the live feed and by the offline evaluation:
 * it learns online from engagements (co-engagement between videos, decayed global and regional
 * popularity, each user's recent history and affinities, and the {@link OnlineRanker} trained on
 * every engagement against sampled negatives), generates candidates for a viewer and ranks them.
 *
 * <p>Time is the model's own: the newest engagement or publication it has seen, so offline data
 * from the past decays as live data does. Thread-safe: one writer (the interaction stream) and any
 * number of concurrent readers (feed builds).
 */
public final class Recommender {
  private static final int RECENT_ENGAGED = 1 << 16;
  private static final int RECENT_PUBLISHED = 4096;
  // exploration: videos seen by fewer than this many viewers count as "fresh"
  private static final int FRESH_EXPOSURE = 50;
  private static final double FRESH_HOURS = 72;
  // hot lists: how deep they are kept sorted, and how stale they may get while counts change
  private static final int HOT_DEPTH = 5000;
  private static final long HOT_MAX_AGE_NANOS = 1_000_000_000L;
  // viewers with fewer recent positives than this get more content candidates
  private static final int SPARSE_HISTORY = 5;

  private final RecommenderParams params;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Random random;

  // items, by dense int id
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private final List<VideoInfo> infos = new ArrayList<>();
  private boolean[] available = new boolean[1024];
  private float[] positives = new float[1024];
  private float[] exposures = new float[1024];
  private IntFloatMap[] coEngaged = new IntFloatMap[1024];
  private float[][] content = new float[1024][]; // unit length, or null
  private final DecayedCounts popularity;
  private final Map<String, DecayedCounts> regional = new HashMap<>();
  private final Map<String, List<Integer>> byCreator = new HashMap<>();
  private final Map<String, List<Integer>> byHashtag = new HashMap<>();
  private final Map<String, List<Integer>> bySound = new HashMap<>();
  private final int[] recentPublished = new int[RECENT_PUBLISHED];
  private int publishedCount;
  private final int[] recentEngaged = new int[RECENT_ENGAGED];
  private int engagedCount;
  private long nowMs;

  private final LinkedHashMap<String, UserMemory> users;
  private final OnlineRanker ranker;
  // refitted periodically from the users' histories (fitItemItem), blended into every score
  private ItemItemTable itemItem = ItemItemTable.EMPTY;
  private volatile boolean training = true;
  private volatile long modelVersion;

  public Recommender(RecommenderParams params) {
    this.params = params;
    this.random = new Random(params.seed());
    this.popularity = new DecayedCounts(params.popularityHalfLifeHours());
    this.ranker = new OnlineRanker(params.learningRate(), params.l1());
    this.users =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, UserMemory> eldest) {
            return size() > params.maxUsers();
          }
        };
  }

  public RecommenderParams params() {
    return params;
  }

  // ---- learning

  /**
   * A video became watchable: it can now be recommended, and its creator, hashtags and sound index
   * it for content-affinity candidates. Repeating it is harmless.
   */
  public void publish(VideoInfo video) {
    lock.writeLock().lock();
    try {
      int item = idOf(video.videoId());
      boolean fresh = !available[item];
      infos.set(item, video);
      available[item] = true;
      if (video.content() != null) {
        content[item] = unit(video.content());
      }
      if (fresh) {
        if (video.creatorId() != null) {
          byCreator.computeIfAbsent(video.creatorId(), k -> new ArrayList<>()).add(item);
        }
        for (String tag : video.hashtags()) {
          byHashtag.computeIfAbsent(tag, k -> new ArrayList<>()).add(item);
        }
        if (video.soundId() != null) {
          bySound.computeIfAbsent(video.soundId(), k -> new ArrayList<>()).add(item);
        }
        recentPublished[publishedCount++ % RECENT_PUBLISHED] = item;
      }
      nowMs = Math.max(nowMs, video.publishedAtMs());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Deleted (or otherwise withdrawn): never recommended again. */
  public void withdraw(String videoId) {
    lock.writeLock().lock();
    try {
      Integer item = ids.get(videoId);
      if (item != null) {
        available[item] = false;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Online learning: trains the ranker on this engagement (and {@link
   * RecommenderParams#negativesPerPositive()} sampled negatives) from the state before it, then
   * updates popularity, co-engagement and the user's memory. Feed engagements in time order. Videos
   * first seen here (offline data) become recommendable.
   */
  public void learn(Engagement e) {
    lock.writeLock().lock();
    try {
      nowMs = Math.max(nowMs, e.timestampMs());
      boolean known = ids.containsKey(e.videoId());
      int item = idOf(e.videoId());
      if (!known && infos.get(item).creatorId() == null && e.creatorId() != null) {
        infos.set(item, new VideoInfo(e.videoId(), e.creatorId(), e.hashtags(), e.soundId(), 0));
      }
      if (!known) {
        available[item] = true;
      }
      UserMemory user = users.computeIfAbsent(e.userId(), k -> new UserMemory());
      if (training) {
        trainOn(user, e, item);
      }
      exposures[item]++;
      if (e.positive()) {
        positives[item]++;
        popularity.add(item, e.weight(), e.timestampMs());
        if (e.region() != null && !e.region().isEmpty()) {
          regional
              .computeIfAbsent(e.region(), r -> new DecayedCounts(params.popularityHalfLifeHours()))
              .add(item, e.weight(), e.timestampMs());
        }
        coEngage(user, item, e.weight());
        recentEngaged[engagedCount++ % RECENT_ENGAGED] = item;
      }
      user.learn(e, item, params.historyPerUser());
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void trainOn(UserMemory user, Engagement e, int item) {
    UserContext ctx = user.context(e.userId(), e.region(), names);
    Scoring scoring = new Scoring(ctx, false);
    double[] dense = new double[Features.DENSE];
    scoring.features(item, dense);
    ranker.train(dense, scoring.hashed(item), e.weight());
    if (!e.positive()) {
      return;
    }
    int itemCount = names.size();
    for (int k = 0; k < params.negativesPerPositive() && itemCount > 1; k++) {
      // half uniform, half popularity-proportional (from recent engagements): the model must
      // learn both "popular beats obscure" and "relevant beats merely popular"
      int negative =
          (k % 2 == 0 || engagedCount == 0)
              ? random.nextInt(itemCount)
              : recentEngaged[random.nextInt(Math.min(engagedCount, RECENT_ENGAGED))];
      if (negative == item || user.has(negative)) {
        continue;
      }
      scoring.features(negative, dense);
      ranker.train(dense, scoring.hashed(negative), 0);
    }
  }

  private void coEngage(UserMemory user, int item, double weight) {
    int[] history = user.history;
    double w = Math.min(weight, 3.0);
    for (int k = 0; k < user.size; k++) {
      int other = history[k];
      if (other == item) {
        continue;
      }
      // nearer in the user's history = more related
      float delta = (float) (w / (1 + 0.1 * k));
      neighbours(item).add(other, delta);
      IntFloatMap back = neighbours(other);
      back.add(item, delta);
      if (back.size() > 2 * params.neighboursPerItem()) {
        back.retainTop(params.neighboursPerItem());
      }
    }
    IntFloatMap own = neighbours(item);
    if (own.size() > 2 * params.neighboursPerItem()) {
      own.retainTop(params.neighboursPerItem());
    }
  }

  private IntFloatMap neighbours(int item) {
    IntFloatMap map = coEngaged[item];
    if (map == null) {
      map = new IntFloatMap(8);
      coEngaged[item] = map;
    }
    return map;
  }

  private int idOf(String videoId) {
    Integer id = ids.get(videoId);
    if (id != null) {
      return id;
    }
    int item = names.size();
    ids.put(videoId, item);
    names.add(videoId);
    infos.add(VideoInfo.unknown(videoId));
    if (item >= available.length) {
      int capacity = available.length * 2;
      available = Arrays.copyOf(available, capacity);
      positives = Arrays.copyOf(positives, capacity);
      exposures = Arrays.copyOf(exposures, capacity);
      coEngaged = Arrays.copyOf(coEngaged, capacity);
      content = Arrays.copyOf(content, capacity);
    }
    return item;
  }

  // ---- the item-item table

  /** Each remembered user's recent positives (distinct item ids), the table's training data. */
  int[][] histories() {
    lock.readLock().lock();
    try {
      int[][] histories = new int[users.size()][];
      int u = 0;
      for (UserMemory user : users.values()) {
        histories[u++] = Arrays.copyOf(user.history, user.size);
      }
      return histories;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Fits an {@link ItemItemTable} (λ and item cap from the parameters) from the users' histories as
   * they are now, without holding the model: reads go on while it fits. Install it with {@link
   * #useItemItem}.
   */
  public ItemItemTable fitItemItem(int threads) {
    int[][] histories = histories();
    int items = itemCount();
    return ItemItemTable.fit(
        histories,
        items,
        params.itemItemLambda(),
        params.itemItemMaxItems(),
        params.neighboursPerItem(),
        threads);
  }

  /** Scores and candidates use this table from now on. */
  public void useItemItem(ItemItemTable table) {
    lock.writeLock().lock();
    try {
      itemItem = table;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Fits and installs a new table when the parameters blend one in ({@code itemItemWeight > 0}).
   */
  public void refreshItemItem(int threads) {
    if (params.itemItemWeight() > 0) {
      useItemItem(fitItemItem(threads));
    }
  }

  public ItemItemTable itemItem() {
    lock.readLock().lock();
    try {
      return itemItem;
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---- the ranker's versions

  /** Whether {@link #learn} also trains the ranker (only where the trainer runs). */
  public void setTraining(boolean training) {
    this.training = training;
  }

  public boolean training() {
    return training;
  }

  public long modelVersion() {
    return modelVersion;
  }

  public long trainedExamples() {
    lock.readLock().lock();
    try {
      return ranker.examples();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Cuts a new model version from the ranker's current training state. Versions are the cut time
   * (or one past the installed version when the clock is behind), so a trainer that moved to
   * another node still publishes versions newer than everything before.
   */
  public RankerModel snapshotModel(long atMs) {
    lock.writeLock().lock();
    try {
      modelVersion = Math.max(modelVersion + 1, atMs);
      return new RankerModel(modelVersion, ranker.examples(), atMs, ranker.state());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Installs a model version (trained elsewhere); older or equal versions, and versions of another
   * feature layout (trained by an older release), are ignored.
   */
  public boolean install(RankerModel model) {
    lock.writeLock().lock();
    try {
      if (model.version() <= modelVersion || !OnlineRanker.fits(model.state())) {
        return false;
      }
      ranker.load(model.state(), model.trainedExamples());
      modelVersion = model.version();
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---- reading

  /** What the model remembers of this user (recent history, affinities); empty if nothing. */
  public UserContext context(String userId) {
    lock.readLock().lock();
    try {
      UserMemory user = users.get(userId);
      return user == null ? UserContext.anonymous(null) : user.context(userId, null, names);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The user's recent positive engagements, newest first (empty when unknown). */
  public List<String> recentVideos(String userId) {
    return context(userId).recentVideos();
  }

  /** Every video id it has seen, in a stable order (first seen first). */
  public List<String> items() {
    lock.readLock().lock();
    try {
      return List.copyOf(names);
    } finally {
      lock.readLock().unlock();
    }
  }

  public int itemCount() {
    lock.readLock().lock();
    try {
      return names.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean isAvailable(String videoId) {
    lock.readLock().lock();
    try {
      Integer item = ids.get(videoId);
      return item != null && available[item];
    } finally {
      lock.readLock().unlock();
    }
  }

  public VideoInfo info(String videoId) {
    lock.readLock().lock();
    try {
      Integer item = ids.get(videoId);
      return item == null ? null : infos.get(item);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Full ranking: {@code out[i]} = the score of {@code items.get(i)} for the viewer. */
  public void scoreAll(UserContext user, List<String> items, double[] out) {
    lock.readLock().lock();
    try {
      Scoring scoring = new Scoring(user, true);
      double[] dense = new double[Features.DENSE];
      for (int i = 0; i < items.size(); i++) {
        Integer item = ids.get(items.get(i));
        if (item == null) {
          out[i] = Double.NEGATIVE_INFINITY;
          continue;
        }
        out[i] = scoring.score(item, dense);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The candidates ranked for the viewer, best first; unknown or withdrawn videos dropped. */
  public List<Scored> rank(UserContext user, Collection<String> videoIds) {
    lock.readLock().lock();
    try {
      Scoring scoring = new Scoring(user, true);
      double[] dense = new double[Features.DENSE];
      List<Scored> ranked = new ArrayList<>(videoIds.size());
      for (String id : videoIds) {
        Integer item = ids.get(id);
        if (item == null || !available[item]) {
          continue;
        }
        ranked.add(new Scored(id, scoring.score(item, dense)));
      }
      ranked.sort(Comparator.comparingDouble(Scored::score).reversed());
      return ranked;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The regions it has seen engagements from. */
  public List<String> regions() {
    lock.readLock().lock();
    try {
      return List.copyOf(regional.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The regional hot list (global when the region is null or has no data), hottest first. */
  public List<String> trending(String region, int n, Predicate<String> exclude) {
    lock.readLock().lock();
    try {
      return top(countsFor(region), n, exclude);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A hashtag or sound trending in a region: its decayed engagement and its hottest videos. */
  public record TrendingTerm(String key, double score, List<String> videoIds) {}

  /**
   * Hashtags (or sounds, with {@code sounds}) trending in the region (global when null), hottest
   * first: the same decayed regional counts as the trending videos, summed over each term's
   * available videos among the hottest, with up to {@code sample} of its hottest videos.
   */
  public List<TrendingTerm> trendingTerms(String region, boolean sounds, int n, int sample) {
    lock.readLock().lock();
    try {
      DecayedCounts counts = countsFor(region);
      Map<String, Double> scores = new HashMap<>();
      Map<String, List<String>> samples = new HashMap<>();
      for (int item : counts.hottest(HOT_DEPTH, names.size(), HOT_MAX_AGE_NANOS)) {
        if (!available[item]) {
          continue;
        }
        VideoInfo info = infos.get(item);
        List<String> terms =
            sounds
                ? (info.soundId() == null ? List.of() : List.of(info.soundId()))
                : info.hashtags();
        for (String term : terms) {
          scores.merge(term, counts.scaled(item), Double::sum);
          List<String> videos = samples.computeIfAbsent(term, t -> new ArrayList<>());
          if (videos.size() < sample) {
            videos.add(names.get(item));
          }
        }
      }
      // the model's clock (its newest engagement), as its other scores use
      double factor = counts.factorAt(nowMs);
      return scores.entrySet().stream()
          .sorted(
              Map.Entry.<String, Double>comparingByValue()
                  .reversed()
                  .thenComparing(Map.Entry.comparingByKey()))
          .limit(n)
          .map(
              e ->
                  new TrendingTerm(
                      e.getKey(), e.getValue() * factor, List.copyOf(samples.get(e.getKey()))))
          .toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * About {@code n} candidates for one refill: following, co-engagement with the recent history,
   * content affinity (creators, hashtags, sounds), regional trending; and apart, fresh videos few
   * have seen (exploration) and the hot list. {@code exclude} (the seen-filter) and withdrawn
   * videos are left out.
   */
  public Candidates candidates(UserContext user, int n, Predicate<String> exclude) {
    lock.readLock().lock();
    try {
      Set<String> recent = new java.util.HashSet<>(user.recentVideos());
      Predicate<Integer> eligible =
          item ->
              available[item]
                  && !recent.contains(names.get(item))
                  && !exclude.test(names.get(item));
      LinkedHashSet<Integer> personal = new LinkedHashSet<>();
      // co-engagement: the neighbours of what they engaged with recently
      Scoring scoring = new Scoring(user, true);
      for (int item : Scoring.top(scoring.coEngagement, n / 2)) {
        if (eligible.test(item)) {
          personal.add(item);
        }
      }
      // the item-item table's best for the history: the strongest signal for sparse viewers
      for (int item : Scoring.top(scoring.itemItemScores, n / 4)) {
        if (eligible.test(item)) {
          personal.add(item);
        }
      }
      // content: the videos nearest to what they engaged with recently, never-watched ones
      // included; a larger share for viewers with little history
      if (scoring.profile != null) {
        int share = scoring.historySize < SPARSE_HISTORY ? n / 3 : n / 8;
        for (int item : scoring.contentNearest(share, eligible)) {
          personal.add(item);
        }
      }
      int perKey = Math.max(5, n / 40);
      for (String creator : user.following()) {
        newest(byCreator.get(creator), perKey, eligible, personal);
      }
      for (String creator : topPositive(user.creators(), 10)) {
        newest(byCreator.get(creator), perKey, eligible, personal);
      }
      for (String tag : topPositive(user.hashtags(), 10)) {
        newest(byHashtag.get(tag), perKey * 2, eligible, personal);
      }
      for (String sound : topPositive(user.sounds(), 5)) {
        newest(bySound.get(sound), perKey, eligible, personal);
      }
      DecayedCounts counts = countsFor(user.region());
      for (String id : top(counts, Math.max(n - personal.size(), n / 4), exclude)) {
        int item = ids.get(id);
        if (eligible.test(item)) {
          personal.add(item);
        }
      }
      List<String> exploration = fresh(Math.max(10, n / 10), eligible);
      List<String> trending = top(counts, Math.max(10, n / 20), exclude);
      return new Candidates(
          personal.stream().limit(n).map(names::get).toList(), exploration, trending);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static List<String> topPositive(Map<String, Double> scores, int n) {
    return scores.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(n)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static void newest(
      List<Integer> items, int n, Predicate<Integer> eligible, Set<Integer> into) {
    if (items == null) {
      return;
    }
    int added = 0;
    for (int k = items.size() - 1; k >= 0 && added < n; k--) {
      int item = items.get(k);
      if (eligible.test(item) && into.add(item)) {
        added++;
      }
    }
  }

  /** Recently published videos that few have seen yet, newest first. */
  private List<String> fresh(int n, Predicate<Integer> eligible) {
    List<String> fresh = new ArrayList<>();
    int available = Math.min(publishedCount, RECENT_PUBLISHED);
    for (int k = 1; k <= available && fresh.size() < n; k++) {
      int item = recentPublished[(publishedCount - k) % RECENT_PUBLISHED];
      long published = infos.get(item).publishedAtMs();
      boolean recentEnough = published == 0 || nowMs - published < FRESH_HOURS * 3_600_000;
      if (recentEnough && exposures[item] < FRESH_EXPOSURE && eligible.test(item)) {
        fresh.add(names.get(item));
      }
    }
    return fresh;
  }

  private DecayedCounts countsFor(String region) {
    if (region != null) {
      DecayedCounts counts = regional.get(region);
      if (counts != null) {
        return counts;
      }
    }
    return popularity;
  }

  private List<String> top(DecayedCounts counts, int n, Predicate<String> exclude) {
    List<String> top = new ArrayList<>(n);
    for (int item : counts.hottest(HOT_DEPTH, names.size(), HOT_MAX_AGE_NANOS)) {
      if (!available[item]) {
        continue;
      }
      String id = names.get(item);
      if (!exclude.test(id)) {
        top.add(id);
        if (top.size() == n) {
          break;
        }
      }
    }
    return top;
  }

  /** One viewer's scoring: the per-viewer sums computed once, then features per video. */
  private final class Scoring {
    private final UserContext user;
    private final OnlineRanker.Weights weights;
    private final int[] history;
    private final int historySize;
    private final IntFloatMap coEngagement;
    // Σ over the history of the item-item table's rows (an EASE score), for forMany; else null
    private final IntFloatMap itemItemScores;
    private final double itemItemWeight;
    private final double activity;
    private final double popularityFactor;
    private final double popularityNorm;
    private final DecayedCounts region;
    private final double regionFactor;
    private final double regionNorm;
    // the direction of the viewer's recent videos' content vectors (recency-weighted), or null
    private final float[] profile;

    /**
     * {@code forMany}: scoring many videos (a refill, a full ranking), so the co-engagement sums
     * are accumulated once over the history's neighbours; otherwise (training on a handful of
     * videos) each is looked up per video.
     */
    Scoring(UserContext user, boolean forMany) {
      this.user = user;
      this.weights = forMany ? ranker.weights() : null;
      List<String> recent = user.recentVideos();
      this.history = new int[recent.size()];
      int known = 0;
      for (String id : recent) {
        Integer other = ids.get(id);
        if (other != null) {
          history[known++] = other;
        }
      }
      this.historySize = known;
      this.coEngagement = forMany ? new IntFloatMap(256) : null;
      for (int k = 0; forMany && k < historySize; k++) {
        int other = history[k];
        if (coEngaged[other] == null) {
          continue;
        }
        double otherCount = Math.max(1, positives[other]);
        double recency = recency(k);
        coEngaged[other].forEach(
            (item, co) ->
                coEngagement.add(
                    item,
                    (float) (recency * co / Math.sqrt(otherCount * Math.max(1, positives[item])))));
      }
      this.itemItemWeight = params.itemItemWeight();
      this.itemItemScores = forMany ? new IntFloatMap(256) : null;
      for (int k = 0; forMany && itemItemWeight > 0 && k < historySize; k++) {
        IntFloatMap row = itemItem.row(history[k]);
        if (row != null) {
          row.forEach(itemItemScores::add);
        }
      }
      this.activity = Math.min(1, recent.size() / (double) params.historyPerUser());
      this.popularityFactor = popularity.factorAt(nowMs);
      this.popularityNorm = Math.log1p(maxOf(popularity) * popularityFactor);
      this.region = user.region() == null ? null : Recommender.this.regional.get(user.region());
      this.regionFactor = region == null ? 0 : region.factorAt(nowMs);
      this.regionNorm = region == null ? 0 : Math.log1p(maxOf(region) * regionFactor);
      this.profile = profile();
    }

    private float[] profile() {
      double[] sum = null;
      for (int k = 0; k < historySize; k++) {
        float[] v = content[history[k]];
        if (v == null) {
          continue;
        }
        if (sum == null) {
          sum = new double[v.length];
        } else if (sum.length != v.length) {
          continue;
        }
        double w = recency(k);
        for (int j = 0; j < v.length; j++) {
          sum[j] += w * v[j];
        }
      }
      if (sum == null) {
        return null;
      }
      float[] p = new float[sum.length];
      for (int j = 0; j < p.length; j++) {
        p[j] = (float) sum[j];
      }
      return unit(p);
    }

    /** Cosine of the item's content vector and the viewer's profile; 0 when either is missing. */
    double contentSimilarity(int item) {
      float[] v = content[item];
      if (profile == null || v == null || v.length != profile.length) {
        return 0;
      }
      double dot = 0;
      for (int j = 0; j < v.length; j++) {
        dot += v[j] * profile[j];
      }
      return dot;
    }

    /**
     * The {@code n} eligible items whose content is nearest the viewer's profile, nearest first.
     */
    List<Integer> contentNearest(int n, Predicate<Integer> eligible) {
      if (profile == null || n <= 0) {
        return List.of();
      }
      int count = names.size();
      int[] heap = new int[n]; // min-heap on similarity
      double[] heapScore = new double[n];
      int size = 0;
      for (int item = 0; item < count; item++) {
        if (content[item] == null || !available[item]) {
          continue;
        }
        double s = contentSimilarity(item);
        if (size == n && s <= heapScore[0]) {
          continue;
        }
        if (!eligible.test(item)) {
          continue;
        }
        if (size < n) {
          int pos = size++;
          while (pos > 0 && heapScore[(pos - 1) / 2] > s) {
            heap[pos] = heap[(pos - 1) / 2];
            heapScore[pos] = heapScore[(pos - 1) / 2];
            pos = (pos - 1) / 2;
          }
          heap[pos] = item;
          heapScore[pos] = s;
        } else {
          int pos = 0;
          while (true) {
            int child = 2 * pos + 1;
            if (child >= size) {
              break;
            }
            if (child + 1 < size && heapScore[child + 1] < heapScore[child]) {
              child++;
            }
            if (heapScore[child] >= s) {
              break;
            }
            heap[pos] = heap[child];
            heapScore[pos] = heapScore[child];
            pos = child;
          }
          heap[pos] = item;
          heapScore[pos] = s;
        }
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(heapScore[b], heapScore[a]));
      List<Integer> nearest = new ArrayList<>(size);
      for (int i : order) {
        nearest.add(heap[i]);
      }
      return nearest;
    }

    private static double maxOf(DecayedCounts counts) {
      return counts.maxScaled();
    }

    private static double recency(int k) {
      return 1 / (1 + 0.05 * k);
    }

    private double coScore(int item) {
      if (coEngagement != null) {
        return coEngagement.get(item);
      }
      double sum = 0;
      double itemCount = Math.max(1, positives[item]);
      for (int k = 0; k < historySize; k++) {
        int other = history[k];
        IntFloatMap map = coEngaged[other];
        if (map != null) {
          float co = map.get(item);
          if (co != 0) {
            sum += recency(k) * co / Math.sqrt(Math.max(1, positives[other]) * itemCount);
          }
        }
      }
      return sum;
    }

    /** The ranker's score plus the item-item table's, weighted (needs {@code forMany}). */
    double score(int item, double[] dense) {
      features(item, dense);
      double score = weights.score(dense, hashed(item));
      return itemItemWeight > 0 ? score + itemItemWeight * itemItemScores.get(item) : score;
    }

    /** The {@code n} keys of {@code scores} with the highest values, highest first. */
    static List<Integer> top(IntFloatMap scores, int n) {
      List<Integer> items = new ArrayList<>();
      List<Float> values = new ArrayList<>();
      scores.forEach(
          (item, score) -> {
            items.add(item);
            values.add(score);
          });
      Integer[] order = new Integer[items.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Float.compare(values.get(b), values.get(a)));
      List<Integer> top = new ArrayList<>(Math.min(n, order.length));
      for (int i = 0; i < order.length && top.size() < n; i++) {
        top.add(items.get(order[i]));
      }
      return top;
    }

    void features(int item, double[] f) {
      VideoInfo info = infos.get(item);
      double co = coScore(item);
      double coFeature = co / (1 + co);
      double pop =
          popularityNorm > 0
              ? Math.log1p(popularity.scaled(item) * popularityFactor) / popularityNorm
              : 0;
      double regional =
          regionNorm > 0 ? Math.log1p(region.scaled(item) * regionFactor) / regionNorm : 0;
      double creator =
          info.creatorId() == null ? 0 : user.creators().getOrDefault(info.creatorId(), 0.0);
      double tags = 0;
      for (String tag : info.hashtags()) {
        tags += user.hashtags().getOrDefault(tag, 0.0);
      }
      if (!info.hashtags().isEmpty()) {
        tags /= Math.sqrt(info.hashtags().size());
      }
      double sound = info.soundId() == null ? 0 : user.sounds().getOrDefault(info.soundId(), 0.0);
      double ageHours =
          info.publishedAtMs() > 0 ? Math.max(0, nowMs - info.publishedAtMs()) / 3_600_000d : -1;
      f[0] = 1;
      f[1] = coFeature;
      f[2] = pop;
      f[3] = regional;
      f[4] = Math.tanh(creator);
      f[5] = Math.tanh(tags);
      f[6] = Math.tanh(sound);
      f[7] = info.creatorId() != null && user.following().contains(info.creatorId()) ? 1 : 0;
      f[8] = ageHours < 0 ? 0 : Math.exp(-ageHours / 24);
      f[9] = 1 / (1 + exposures[item] / 20.0);
      f[10] = coFeature * pop;
      f[11] = activity * pop;
      f[12] = activity * coFeature;
      double similarity = contentSimilarity(item);
      f[13] = similarity;
      f[14] = (1 - activity) * similarity;
    }

    int[] hashed(int item) {
      VideoInfo info = infos.get(item);
      int mask = (1 << OnlineRanker.HASH_BITS) - 1;
      int itemSlot = Features.DENSE + (mix(item * 31 + 1) & mask);
      if (info.creatorId() == null) {
        return new int[] {itemSlot};
      }
      int creatorSlot = Features.DENSE + (mix(info.creatorId().hashCode() * 31 + 2) & mask);
      if (user.region() == null) {
        return new int[] {itemSlot, creatorSlot};
      }
      int regionSlot =
          Features.DENSE + (mix((user.region().hashCode() * 31 + item) * 31 + 3) & mask);
      return new int[] {itemSlot, creatorSlot, regionSlot};
    }
  }

  private static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (!(norm > 0) || !Double.isFinite(norm)) {
      return null;
    }
    float[] u = new float[v.length];
    double scale = 1 / Math.sqrt(norm);
    for (int j = 0; j < v.length; j++) {
      u[j] = (float) (v[j] * scale);
    }
    return u;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 15);
  }

  /** The model's memory of one user: recent positives (newest first) and running affinities. */
  private static final class UserMemory {
    private static final int MAX_KEYS = 64;
    int[] history = new int[8];
    int size;
    final Map<String, Double> creators = new HashMap<>();
    final Map<String, Double> hashtags = new HashMap<>();
    final Map<String, Double> sounds = new HashMap<>();

    boolean has(int item) {
      for (int k = 0; k < size; k++) {
        if (history[k] == item) {
          return true;
        }
      }
      return false;
    }

    void learn(Engagement e, int item, int capacity) {
      double signal = e.positive() ? Math.min(e.weight(), 3.0) : -0.5;
      if (e.creatorId() != null) {
        bump(creators, e.creatorId(), signal);
      }
      for (String tag : e.hashtags()) {
        bump(hashtags, tag, signal);
      }
      if (e.soundId() != null) {
        bump(sounds, e.soundId(), signal);
      }
      if (!e.positive()) {
        return;
      }
      int existing = -1;
      for (int k = 0; k < size; k++) {
        if (history[k] == item) {
          existing = k;
          break;
        }
      }
      if (existing < 0) {
        if (size < capacity) {
          if (size == history.length) {
            history = Arrays.copyOf(history, Math.min(capacity, history.length * 2));
          }
          size++;
        }
        existing = size - 1;
      }
      System.arraycopy(history, 0, history, 1, existing);
      history[0] = item;
    }

    private static void bump(Map<String, Double> scores, String key, double signal) {
      scores.merge(key, signal, Double::sum);
      if (scores.size() > MAX_KEYS * 2) {
        List<String> weakest =
            scores.entrySet().stream()
                .sorted(Comparator.comparingDouble(en -> Math.abs(en.getValue())))
                .limit(scores.size() - MAX_KEYS)
                .map(Map.Entry::getKey)
                .toList();
        weakest.forEach(scores::remove);
      }
    }

    UserContext context(String userId, String region, List<String> names) {
      List<String> recent = new ArrayList<>(size);
      for (int k = 0; k < size; k++) {
        recent.add(names.get(history[k]));
      }
      return new UserContext(userId, region, recent, creators, hashtags, sounds, Set.of());
    }
  }
}
