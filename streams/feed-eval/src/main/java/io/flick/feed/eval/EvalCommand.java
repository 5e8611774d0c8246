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
 * {@code eval --train T --val V --test S [--k 20] [--videos F] [--threads N] [--val-users N]}: the
 * {@link OfflineEvaluation} of MostPop and Flick's ranker, printed as one table. Progress goes to
 * stderr, the report to stdout.
 */
public final class EvalCommand {
  static final String USAGE =
      """
      usage: eval --train T --val V --test S [--k 20] [--videos F] [--threads N] [--val-users N]
        T, V, S: user<TAB>item[<TAB>weight[<TAB>timestamp]] per line (weight 1 and file order when absent)
        trains on T, picks the ranker's parameters on V only, prints Recall@K and NDCG@K over S
        --videos F     video<TAB>creator[<TAB>hashtag,...] metadata the ranker may use (gen-interactions' videos.tsv)
        --threads N    ranking threads (default: min(2, cores))
        --val-users N  score at most N validation users per candidate, a fixed random subset (default 0 = all)""";

  private EvalCommand() {}

  /** Runs the command; returns the exit code (0 done, 1 failed, 2 bad arguments). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Path trainFile;
    Path valFile;
    Path testFile;
    String videosFile;
    int k;
    int threads;
    int valUsers;
    try {
      Options options =
          Options.parse(
              args, Set.of("train", "val", "test", "k", "videos", "threads", "val-users"));
      trainFile = Path.of(options.required("train"));
      valFile = Path.of(options.required("val"));
      testFile = Path.of(options.required("test"));
      videosFile = options.string("videos", null);
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
    try {
      trainLines = InteractionFile.read(trainFile);
      valLines = InteractionFile.read(valFile);
      testLines = InteractionFile.read(testFile);
      if (videosFile != null) {
        videos = VideoCatalogFile.read(Path.of(videosFile));
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

    TrainingSet train = TrainingSet.of(trainLines);
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
        test.users().size(),
        threads);

    OfflineEvaluation.Result result =
        OfflineEvaluation.run(
            train,
            val,
            test,
            videos,
            new OfflineEvaluation.Settings(k, threads, valUsers, RecommenderParams.grid()),
            line -> err.println("[eval] " + line));
    report(out, k, trainFile, valFile, testFile, videosFile, train, val, test, result, start);
    return 0;
  }

  private static void report(
      PrintStream out,
      int k,
      Path trainFile,
      Path valFile,
      Path testFile,
      String videosFile,
      TrainingSet train,
      HeldOut val,
      HeldOut test,
      OfflineEvaluation.Result r,
      long start) {
    out.printf(
        Locale.ROOT,
        "Offline evaluation, K = %d%n"
            + "  train %s: %,d interactions, %,d users, %,d items = the catalogue, ranked in full"
            + " for every user%n",
        k,
        trainFile,
        train.inTimeOrder().size(),
        train.users(),
        train.catalog().size());
    heldOut(out, "val  ", valFile, val);
    heldOut(out, "test ", testFile, test);
    out.printf(
        Locale.ROOT,
        "  protocol: each user's training items (skipped or not) masked, validation items not; ties → the lower"
            + " item id (string order); targets = the user's positive (weight > 0) items%n"
            + "  %s; %s%n"
            + "  Flick ranker: the serving Recommender trained online on train%s; %d parameter sets"
            + " tried on validation (%,d users), best NDCG@%d chosen, then retrained on train%n%n",
        RankingMetrics.RECALL_DEFINITION.replace("K", Integer.toString(k)),
        RankingMetrics.NDCG_DEFINITION.replace("K", Integer.toString(k)),
        videosFile == null ? "" : " (with creators and hashtags from " + videosFile + ")",
        r.trials().size(),
        r.validationUsers(),
        k);
    out.printf(
        Locale.ROOT,
        "| model | Recall@%d | NDCG@%d | test users | train + rank time |%n|---|---|---|---|---|%n",
        k,
        k);
    row(out, "MostPop", r.mostPopular(), r.mostPopularTrainMillis());
    row(out, "Flick ranker", r.flick(), r.flickTrainMillis());
    out.printf(
        Locale.ROOT,
        "%nFlick ranker ÷ MostPop: Recall@%d ×%.2f, NDCG@%d ×%.2f%n",
        k,
        r.flick().recall() / r.mostPopular().recall(),
        k,
        r.flick().ndcg() / r.mostPopular().ndcg());
    out.println("chosen parameters: " + OfflineEvaluation.describe(r.chosen()));
    out.printf(
        Locale.ROOT, "validation NDCG@%d: MostPop %.4f", k, r.mostPopularValidation().ndcg());
    for (int i = 0; i < r.trials().size(); i++) {
      out.printf(Locale.ROOT, ", #%d %.4f", i + 1, r.trials().get(i).validation().ndcg());
    }
    out.printf(Locale.ROOT, "%ntotal run time %.1f s%n", (System.nanoTime() - start) / 1e9);
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

  private static void row(PrintStream out, String model, Evaluator.Score score, long trainMillis) {
    out.printf(
        Locale.ROOT,
        "| %s | %.4f | %.4f | %,d | %.1f s + %.1f s |%n",
        model,
        score.recall(),
        score.ndcg(),
        score.users(),
        trainMillis / 1e3,
        score.millis() / 1e3);
  }
}
