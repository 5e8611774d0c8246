package io.flick.feed.eval;

import io.flick.feed.rank.RecommenderParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The offline evaluation protocol, the same for every model: each candidate setting of the model is
 * trained on train and scored on validation; the best validation NDCG@K wins (the earlier candidate
 * on a tie); the winner (trained on train only) is scored on test. Test never influences a choice.
 * The models: MostPop (nothing to tune), ItemKNN (cosine; neighbours tuned), EASE (λ tuned),
 * implicit ALS (confidence α and regularisation tuned) and Flick's ranker (the serving {@link
 * io.flick.feed.rank.Recommender}, its {@link RecommenderParams} grid tuned).
 */
public final class OfflineEvaluation {
  private OfflineEvaluation() {}

  public static final String MOST_POPULAR = "MostPop";
  public static final String ITEM_KNN = "ItemKNN";
  public static final String EASE = "EASE";
  public static final String ALS = "ALS";
  public static final String FLICK = "Flick ranker";

  /** Every model, in the order of the report; {@code --models} names them in lower case. */
  public static final List<String> MODELS = List.of(MOST_POPULAR, ITEM_KNN, EASE, ALS, FLICK);

  static final int[] KNN_NEIGHBOURS = {10, 25, 50, 100, 250, 1000};
  // λ = 500 won on sparse, 2000 (then the grid's edge) on dense, so 5000 closes the grid above;
  // 25 never won (dropped: each λ is an n³ inverse)
  static final double[] EASE_LAMBDAS = {100, 500, 2000, 5000};
  // (alpha, reg) of implicit ALS, 64 factors, 10 iterations
  static final double[][] ALS_SETTINGS = {{2, 0.1}, {10, 1}, {40, 10}};
  static final int ALS_FACTORS = 64;
  static final int ALS_ITERATIONS = 10;

  /**
   * @param maxValidationUsers validation users scored per candidate (a fixed random subset), 0 =
   *     all
   * @param models the {@link #MODELS} to run
   */
  public record Settings(
      int k,
      int threads,
      int maxValidationUsers,
      List<RecommenderParams> grid,
      Set<String> models) {
    public Settings(int k, int threads, int maxValidationUsers, List<RecommenderParams> grid) {
      this(k, threads, maxValidationUsers, grid, Set.copyOf(MODELS));
    }

    public Settings {
      if (grid.isEmpty()) {
        throw new IllegalArgumentException("empty parameter grid");
      }
      grid = List.copyOf(grid);
      models = Set.copyOf(models);
      if (!MODELS.containsAll(models) || models.isEmpty()) {
        throw new IllegalArgumentException("models must be some of " + MODELS + ": " + models);
      }
    }
  }

  /** One candidate setting's validation result. */
  public record Trial(String params, Evaluator.Score validation, long trainMillis) {}

  /** One model's row of the report. */
  public record ModelResult(
      String name, String chosen, List<Trial> trials, Evaluator.Score test, long trainMillis) {}

  /** Everything the report prints, models in {@link #MODELS} order. */
  public record Result(List<ModelResult> models, int validationUsers) {
    public ModelResult model(String name) {
      return models.stream()
          .filter(m -> m.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("not run: " + name));
    }

    public Evaluator.Score mostPopular() {
      return model(MOST_POPULAR).test();
    }

    public Evaluator.Score flick() {
      return model(FLICK).test();
    }
  }

  private record Candidate(String params, Supplier<Ranker> train) {}

  public static Result run(
      TrainingSet train,
      HeldOut validation,
      HeldOut test,
      Map<String, VideoCatalogFile.Meta> videos,
      Settings settings,
      Consumer<String> progress) {
    return run(train, validation, test, videos, Map.of(), settings, progress);
  }

  /**
   * @param features content vectors by video id (may be empty): Flick's ranker uses them
   */
  public static Result run(
      TrainingSet train,
      HeldOut validation,
      HeldOut test,
      Map<String, VideoCatalogFile.Meta> videos,
      Map<String, float[]> features,
      Settings settings,
      Consumer<String> progress) {
    Evaluator evaluator = new Evaluator(train, settings.k(), settings.threads());
    HeldOut tuneOn = validation.sample(settings.maxValidationUsers(), 42);
    int threads = settings.threads();
    UserItemMatrix matrix = new UserItemMatrix(train);

    List<ModelResult> results = new ArrayList<>();
    for (String model : MODELS) {
      if (!settings.models().contains(model)) {
        continue;
      }
      List<Candidate> candidates = new ArrayList<>();
      switch (model) {
        case MOST_POPULAR -> candidates.add(new Candidate("-", () -> new MostPopular(train)));
        case ITEM_KNN -> {
          ItemKnn.Similarities[] similarities = new ItemKnn.Similarities[1];
          for (int k : KNN_NEIGHBOURS) {
            candidates.add(
                new Candidate(
                    "neighbours=" + k,
                    () -> {
                      if (similarities[0] == null) {
                        int max = KNN_NEIGHBOURS[KNN_NEIGHBOURS.length - 1];
                        similarities[0] = new ItemKnn.Similarities(matrix, max, threads);
                      }
                      return new ItemKnn(similarities[0], k);
                    }));
          }
        }
        case EASE -> {
          float[][][] gram = new float[1][][]; // XᵀX: one for the whole λ grid
          for (double lambda : EASE_LAMBDAS) {
            candidates.add(
                new Candidate(
                    String.format(Locale.ROOT, "lambda=%s", fmt(lambda)),
                    () -> {
                      if (gram[0] == null) {
                        gram[0] = Ease.gram(matrix, threads);
                      }
                      return Ease.train(matrix, gram[0], lambda, threads);
                    }));
          }
        }
        case ALS -> {
          for (double[] s : ALS_SETTINGS) {
            candidates.add(
                new Candidate(
                    String.format(
                        Locale.ROOT,
                        "factors=%d, iterations=%d, alpha=%s, reg=%s",
                        ALS_FACTORS,
                        ALS_ITERATIONS,
                        fmt(s[0]),
                        fmt(s[1])),
                    () ->
                        ImplicitAls.train(
                            matrix, ALS_FACTORS, s[0], s[1], ALS_ITERATIONS, 42, threads)));
          }
        }
        case FLICK -> {
          Map<String, io.flick.feed.rank.ItemItemTable> tables = new java.util.HashMap<>();
          for (RecommenderParams params : settings.grid()) {
            candidates.add(
                new Candidate(
                    describe(params),
                    () -> FlickRanker.train(params, train, videos, features, threads, tables)));
          }
        }
        default -> throw new IllegalStateException(model);
      }
      results.add(tune(model, candidates, evaluator, tuneOn, test, settings.k(), progress));
    }
    return new Result(List.copyOf(results), tuneOn.users().size());
  }

  private static ModelResult tune(
      String model,
      List<Candidate> candidates,
      Evaluator evaluator,
      HeldOut tuneOn,
      HeldOut test,
      int k,
      Consumer<String> progress) {
    List<Trial> trials = new ArrayList<>();
    Trial best = null;
    Ranker bestRanker = null;
    for (Candidate candidate : candidates) {
      long start = System.nanoTime();
      Ranker ranker = candidate.train().get();
      long trainMillis = millisSince(start);
      Evaluator.Score score = evaluator.evaluate(ranker, tuneOn);
      Trial trial = new Trial(candidate.params(), score, trainMillis);
      trials.add(trial);
      progress.accept(
          String.format(
              Locale.ROOT,
              "%s %d/%d on validation: NDCG@%d %.4f Recall@%d %.4f (train %.1f s, rank %.1f s) %s",
              model,
              trials.size(),
              candidates.size(),
              k,
              score.ndcg(),
              k,
              score.recall(),
              trainMillis / 1e3,
              score.millis() / 1e3,
              candidate.params()));
      if (best == null || score.ndcg() > best.validation().ndcg()) {
        best = trial;
        bestRanker = ranker;
      }
    }
    Evaluator.Score testScore = evaluator.evaluate(bestRanker, test);
    progress.accept(
        String.format(
            Locale.ROOT,
            "%s on test: NDCG@%d %.4f (every test user %.4f) with %s",
            model,
            k,
            testScore.ndcg(),
            testScore.allNdcg(),
            best.params()));
    return new ModelResult(
        model, best.params(), List.copyOf(trials), testScore, best.trainMillis());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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
