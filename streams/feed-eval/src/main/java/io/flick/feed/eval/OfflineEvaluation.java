package io.flick.feed.eval;

import io.flick.feed.rank.RecommenderParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The offline evaluation protocol. Flick's ranker: for each candidate of the grid, a {@link
 * FlickRanker} trained on train is scored on validation; the best validation NDCG@K wins (the
 * earlier candidate on a tie); a fresh ranker with the winner's parameters, trained on train, is
 * scored on test. MostPop has nothing to tune: trained on train, scored on test. Test never
 * influences a choice.
 */
public final class OfflineEvaluation {
  private OfflineEvaluation() {}

  /**
   * @param maxValidationUsers validation users scored per candidate (a fixed random subset), 0 =
   *     all
   */
  public record Settings(int k, int threads, int maxValidationUsers, List<RecommenderParams> grid) {
    public Settings {
      if (grid.isEmpty()) {
        throw new IllegalArgumentException("empty parameter grid");
      }
      grid = List.copyOf(grid);
    }
  }

  /** One grid candidate's validation result. */
  public record Trial(RecommenderParams params, Evaluator.Score validation, long trainMillis) {}

  /** Everything the report prints. */
  public record Result(
      Evaluator.Score mostPopular,
      long mostPopularTrainMillis,
      Evaluator.Score mostPopularValidation,
      Evaluator.Score flick,
      long flickTrainMillis,
      RecommenderParams chosen,
      List<Trial> trials,
      int validationUsers) {}

  public static Result run(
      TrainingSet train,
      HeldOut validation,
      HeldOut test,
      Map<String, VideoCatalogFile.Meta> videos,
      Settings settings,
      Consumer<String> progress) {
    Evaluator evaluator = new Evaluator(train, settings.k(), settings.threads());
    HeldOut tuneOn = validation.sample(settings.maxValidationUsers(), 42);

    long start = System.nanoTime();
    MostPopular mostPopular = new MostPopular(train);
    long mostPopularTrain = millisSince(start);
    Evaluator.Score mostPopularValidation = evaluator.evaluate(mostPopular, tuneOn);
    progress.accept(
        String.format(
            Locale.ROOT,
            "MostPop on validation: NDCG@%d %.4f",
            settings.k(),
            mostPopularValidation.ndcg()));

    List<Trial> trials = new ArrayList<>();
    Trial best = null;
    for (RecommenderParams params : settings.grid()) {
      start = System.nanoTime();
      FlickRanker ranker = FlickRanker.train(params, train, videos);
      long trainMillis = millisSince(start);
      Evaluator.Score score = evaluator.evaluate(ranker, tuneOn);
      Trial trial = new Trial(params, score, trainMillis);
      trials.add(trial);
      progress.accept(
          String.format(
              Locale.ROOT,
              "candidate %d/%d on validation: NDCG@%d %.4f Recall@%d %.4f (train %.1f s, rank %.1f s) %s",
              trials.size(),
              settings.grid().size(),
              settings.k(),
              score.ndcg(),
              settings.k(),
              score.recall(),
              trainMillis / 1e3,
              score.millis() / 1e3,
              describe(params)));
      if (best == null || score.ndcg() > best.validation().ndcg()) {
        best = trial;
      }
    }

    Evaluator.Score mostPopularTest = evaluator.evaluate(mostPopular, test);
    start = System.nanoTime();
    FlickRanker chosen = FlickRanker.train(best.params(), train, videos);
    long flickTrain = millisSince(start);
    Evaluator.Score flickTest = evaluator.evaluate(chosen, test);
    return new Result(
        mostPopularTest,
        mostPopularTrain,
        mostPopularValidation,
        flickTest,
        flickTrain,
        best.params(),
        List.copyOf(trials),
        tuneOn.users().size());
  }

  /** The parameters as {@code name=value, …}. */
  public static String describe(RecommenderParams params) {
    String s = params.toString();
    int open = s.indexOf('[');
    return open >= 0 && s.endsWith("]") ? s.substring(open + 1, s.length() - 1) : s;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
