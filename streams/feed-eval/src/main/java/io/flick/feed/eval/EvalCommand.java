package io.flick.feed.eval;

import io.flick.feed.rank.RecommenderParams;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code eval --train T --val V --test S [--k 20] [--videos F] [--item-features F] [--models …]
 * [--threads N] [--val-users N]}: the {@link OfflineEvaluation} of MostPop, ItemKNN, EASE, implicit
 * ALS and Flick's ranker, printed as one table. Progress goes to stderr, the report to stdout.
 */
public final class EvalCommand {
  static final String USAGE =
      """
      usage: eval --train T --val V --test S [--k 20] [--videos F] [--item-features F] [--models LIST] [--threads N] [--val-users N]
        T, V, S: user<TAB>item[<TAB>weight[<TAB>timestamp]] per line (weight 1 and file order when absent)
        trains every model on T, picks each model's parameters on V only, prints Recall@K and NDCG@K over S,
        over the users evaluated (in T, with a test item in T) and over every test user (an item never
        seen in T is a miss unless the model can rank it)
        --videos F         video<TAB>creator[<TAB>hashtag,...] metadata the ranker may use (gen-interactions' videos.tsv)
        --item-features F  item<TAB>v1,v2,... content vectors (floats, any dimension; gen-interactions'
                           features.tsv): Flick's ranker uses them, and ranks the items of F never seen in T too
        --models LIST      comma-separated, of mostpop,itemknn,ease,als,flick (default: all)
        --threads N        ranking and training threads (default: min(2, cores))
        --val-users N      score at most N validation users per candidate, a fixed random subset (default 0 = all)""";

  private EvalCommand() {}

  /** Runs the command; returns the exit code (0 done, 1 failed, 2 bad arguments). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Path trainFile;
    Path valFile;
    Path testFile;
    String videosFile;
    String featuresFile;
    Set<String> models;
    int k;
    int threads;
    int valUsers;
    try {
      Options options =
          Options.parse(
              args,
              Set.of(
                  "train",
                  "val",
                  "test",
                  "k",
                  "videos",
                  "item-features",
                  "models",
                  "threads",
                  "val-users"));
      trainFile = Path.of(options.required("train"));
      valFile = Path.of(options.required("val"));
      testFile = Path.of(options.required("test"));
      videosFile = options.string("videos", null);
      featuresFile = options.string("item-features", null);
      models = models(options.string("models", null));
      k = options.integer("k", 20, 1);
      threads =
          options.integer("threads", Math.min(2, Runtime.getRuntime().availableProcessors()), 1);
      valUsers = options.integer("val-users", 0, 0);
    } catch (Options.UsageException e) {
      err.println("eval: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }

    long start = System.nanoTime();
    List<Interaction> trainLines;
    List<Interaction> valLines;
    List<Interaction> testLines;
    Map<String, VideoCatalogFile.Meta> videos = Map.of();
    Map<String, float[]> features = Map.of();
    try {
      trainLines = InteractionFile.read(trainFile);
      valLines = InteractionFile.read(valFile);
      testLines = InteractionFile.read(testFile);
      if (videosFile != null) {
        videos = VideoCatalogFile.read(Path.of(videosFile));
      }
      if (featuresFile != null) {
        features = ItemFeaturesFile.read(Path.of(featuresFile));
      }
    } catch (NoSuchFileException e) {
      err.println("eval: no such file: " + e.getFile());
      return 1;
    } catch (IOException e) {
      err.println("eval: " + e.getMessage());
      return 1;
    }
    if (trainLines.isEmpty()) {
      err.println("eval: " + trainFile + " holds no interactions");
      return 1;
    }

    TrainingSet train = TrainingSet.of(trainLines, features.keySet());
    HeldOut val = HeldOut.of(valLines, train);
    HeldOut test = HeldOut.of(testLines, train);
    if (val.users().isEmpty() || test.users().isEmpty()) {
      err.println(
          "eval: nothing to evaluate: "
              + (val.users().isEmpty() ? valFile : testFile)
              + " has no user of the training set with a positive, rankable item");
      return 1;
    }
    err.printf(
        Locale.ROOT,
        "[eval] read %,d + %,d + %,d interactions in %.1f s; ranking %,d items for %,d validation"
            + " and %,d test users on %d thread(s)%n",
        trainLines.size(),
        valLines.size(),
        testLines.size(),
        (System.nanoTime() - start) / 1e9,
        train.catalog().size(),
        valUsers > 0 ? Math.min(valUsers, val.users().size()) : val.users().size(),
        test.everyUser().size(),
        threads);

    OfflineEvaluation.Result result =
        OfflineEvaluation.run(
            train,
            val,
            test,
            videos,
            features,
            new OfflineEvaluation.Settings(k, threads, valUsers, RecommenderParams.grid(), models),
            line -> err.println("[eval] " + line));
    report(
        out,
        k,
        trainFile,
        valFile,
        testFile,
        videosFile,
        featuresFile,
        features,
        train,
        val,
        test,
        result,
        start);
    return 0;
  }

  private static Set<String> models(String list) throws Options.UsageException {
    if (list == null) {
      return Set.copyOf(OfflineEvaluation.MODELS);
    }
    Set<String> models = new java.util.HashSet<>();
    for (String name : list.split(",")) {
      String wanted = name.strip().toLowerCase(Locale.ROOT);
      String found = null;
      for (String model : OfflineEvaluation.MODELS) {
        String key =
            model.equals(OfflineEvaluation.FLICK) ? "flick" : model.toLowerCase(Locale.ROOT);
        if (key.equals(wanted)) {
          found = model;
        }
      }
      if (found == null) {
        throw new Options.UsageException(
            "--models: unknown model '" + name.strip() + "' (mostpop, itemknn, ease, als, flick)");
      }
      models.add(found);
    }
    return models;
  }

  private static void report(
      PrintStream out,
      int k,
      Path trainFile,
      Path valFile,
      Path testFile,
      String videosFile,
      String featuresFile,
      Map<String, float[]> features,
      TrainingSet train,
      HeldOut val,
      HeldOut test,
      OfflineEvaluation.Result r,
      long start) {
    long beyond = 0;
    for (int i = 0; i < train.catalog().size(); i++) {
      if (!train.inTrain(i)) {
        beyond++;
      }
    }
    out.printf(
        Locale.ROOT,
        "Offline evaluation, K = %d%n"
            + "  train %s: %,d interactions, %,d users, %,d items%s = the catalogue, ranked in full"
            + " for every user%n",
        k,
        trainFile,
        train.inTimeOrder().size(),
        train.users(),
        train.catalog().size(),
        beyond == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " (%,d of them only in %s, rankable by the models that read content vectors)",
                beyond,
                featuresFile));
    heldOut(out, "val  ", valFile, val);
    heldOut(out, "test ", testFile, test);
    out.printf(
        Locale.ROOT,
        "  protocol: each user's training items (skipped or not) masked, validation items not; ties → the lower"
            + " item id (string order); targets = the user's positive (weight > 0) items%n"
            + "  %s; %s%n"
            + "  \"evaluated\": users in train, over their test items in the catalogue; \"every test"
            + " user\": all %,d test users with a positive item not in their train, an item no model"
            + " can rank counted as a miss%n"
            + "  every model trained on train only; its parameters chosen by NDCG@%d over %,d"
            + " validation users; baselines rank users without a positive training item by"
            + " popularity%n"
            + "  Flick ranker: the serving Recommender trained online on train%s%s%n%n",
        RankingMetrics.RECALL_DEFINITION.replace("K", Integer.toString(k)),
        RankingMetrics.NDCG_DEFINITION.replace("K", Integer.toString(k)),
        test.everyUser().size(),
        k,
        r.validationUsers(),
        videosFile == null ? "" : " (with creators and hashtags from " + videosFile + ")",
        featuresFile == null
            ? ""
            : String.format(
                Locale.ROOT, " (with %,d content vectors from %s)", features.size(), featuresFile));
    out.printf(
        Locale.ROOT,
        "| model | Recall@%d | NDCG@%d | users evaluated | Recall@%d every test user | NDCG@%d"
            + " every test user | test users | train + rank time | chosen on validation |%n"
            + "|---|---|---|---|---|---|---|---|---|%n",
        k,
        k,
        k,
        k);
    for (OfflineEvaluation.ModelResult m : r.models()) {
      Evaluator.Score s = m.test();
      out.printf(
          Locale.ROOT,
          "| %s | %.4f | %.4f | %,d | %.4f | %.4f | %,d | %.1f s + %.1f s | %s |%n",
          m.name(),
          s.recall(),
          s.ndcg(),
          s.users(),
          s.allRecall(),
          s.allNdcg(),
          s.allUsers(),
          m.trainMillis() / 1e3,
          s.millis() / 1e3,
          m.chosen());
    }
    OfflineEvaluation.ModelResult flick =
        r.models().stream()
            .filter(m -> m.name().equals(OfflineEvaluation.FLICK))
            .findFirst()
            .orElse(null);
    OfflineEvaluation.ModelResult bestBaseline =
        r.models().stream()
            .filter(m -> !m.name().equals(OfflineEvaluation.FLICK))
            .max(java.util.Comparator.comparingDouble(m -> m.test().allNdcg()))
            .orElse(null);
    out.println();
    if (flick != null && bestBaseline != null) {
      out.printf(
          Locale.ROOT,
          "Flick ranker ÷ %s (the best baseline by NDCG@%d over every test user): NDCG@%d ×%.2f,"
              + " Recall@%d ×%.2f (every test user); NDCG@%d ×%.2f (users evaluated)%n",
          bestBaseline.name(),
          k,
          k,
          flick.test().allNdcg() / bestBaseline.test().allNdcg(),
          k,
          flick.test().allRecall() / bestBaseline.test().allRecall(),
          k,
          flick.test().ndcg() / bestBaseline.test().ndcg());
    }
    for (OfflineEvaluation.ModelResult m : r.models()) {
      out.printf(Locale.ROOT, "validation NDCG@%d, %s:", k, m.name());
      for (OfflineEvaluation.Trial t : m.trials()) {
        out.printf(Locale.ROOT, " %.4f (%s);", t.validation().ndcg(), t.params());
      }
      out.println();
    }
    out.printf(Locale.ROOT, "total run time %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  private static void heldOut(PrintStream out, String label, Path file, HeldOut set) {
    HeldOut.Stats s = set.stats();
    out.printf(
        Locale.ROOT,
        "  %s %s: %,d interactions of %,d users → %,d users evaluated; skipped: %,d users not in"
            + " train, %,d with no target left; dropped: %,d skips, %,d interactions with %,d items"
            + " never seen in train (cannot be recommended), %,d already in the user's train%n",
        label,
        file,
        s.lines(),
        s.usersInFile(),
        s.usersEvaluated(),
        s.usersNotInTrain(),
        s.usersWithoutTarget(),
        s.skipLines(),
        s.unseenItemLines(),
        s.unseenItems(),
        s.alreadyTrainedLines());
  }
}
