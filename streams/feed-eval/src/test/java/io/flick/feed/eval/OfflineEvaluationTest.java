package io.flick.feed.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.feed.rank.RecommenderParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole protocol on generated data: a real test of the model, not only of the plumbing. */
@Timeout(60)
class OfflineEvaluationTest {
  private static final InteractionGenerator.Settings DATA =
      new InteractionGenerator.Settings(6_000, 800, 160, 12, 3);

  @Test
  void flicksRankerIsFarAboveMostPopOnHeldOutData() {
    InteractionGenerator.Dataset data = InteractionGenerator.generate(DATA);
    TrainingSet train = TrainingSet.of(data.train());
    HeldOut val = HeldOut.of(data.val(), train);
    HeldOut test = HeldOut.of(data.test(), train);
    assertThat(test.users()).hasSizeGreaterThan(1_000);

    List<String> progress = new ArrayList<>();
    OfflineEvaluation.Result result =
        OfflineEvaluation.run(
            train,
            val,
            test,
            Map.of(),
            new OfflineEvaluation.Settings(
                20,
                2,
                0,
                List.of(RecommenderParams.defaults(), RecommenderParams.defaults().withHistory(10)),
                java.util.Set.of(OfflineEvaluation.MOST_POPULAR, OfflineEvaluation.FLICK)),
            progress::add);

    assertThat(result.model(OfflineEvaluation.FLICK).trials()).hasSize(2);
    assertThat(result.models())
        .extracting(OfflineEvaluation.ModelResult::name)
        .containsExactly(OfflineEvaluation.MOST_POPULAR, OfflineEvaluation.FLICK);
    assertThat(progress).hasSize(5); // each candidate on validation, each model on test
    // every test user is a user evaluated here (no cold items in dense data at this size)
    assertThat(result.flick().allUsers()).isGreaterThanOrEqualTo(result.flick().users());
    assertThat(result.mostPopular().users()).isEqualTo(test.users().size());
    assertThat(result.flick().users()).isEqualTo(test.users().size());
    assertThat(result.mostPopular().ndcg()).isGreaterThan(0);
    // "far above": at least twice MostPop's NDCG@20 and Recall@20
    assertThat(result.flick().ndcg()).isGreaterThan(2 * result.mostPopular().ndcg());
    assertThat(result.flick().recall()).isGreaterThan(2 * result.mostPopular().recall());
  }

  @Test
  void theCommandPrintsOneTableAndRejectsBadInput(@TempDir Path dir) throws IOException {
    InteractionGenerator.write(
        InteractionGenerator.generate(new InteractionGenerator.Settings(1_500, 300, 60, 6, 5)),
        dir);
    Run ok =
        run(
            "--train",
            dir + "/train.tsv",
            "--val",
            dir + "/val.tsv",
            "--test",
            dir + "/test.tsv",
            "--k",
            "10",
            "--videos",
            dir + "/videos.tsv",
            "--item-features",
            dir + "/features.tsv");
    assertThat(ok.code).as(ok.err).isZero();
    assertThat(ok.out)
        .contains(
            "| model | Recall@10 | NDCG@10 | users evaluated | Recall@10 every test user |"
                + " NDCG@10 every test user | test users |")
        .contains("| MostPop | ")
        .contains("| ItemKNN | ")
        .contains("| EASE | ")
        .contains("| ALS | ")
        .contains("| Flick ranker | ")
        .contains("Recall@10 = |top-10 ∩ test| / min(10, |test|)")
        .contains("validation NDCG@10, Flick ranker: ")
        .contains("historyPerUser=")
        .contains("content vectors from " + dir + "/features.tsv");

    Files.writeString(dir.resolve("features-bad.tsv"), "v1\t0.1,0.2\n\nv2\t0.3,x\n");
    Run badFeatures =
        run(
            "--train",
            dir + "/train.tsv",
            "--val",
            dir + "/val.tsv",
            "--test",
            dir + "/test.tsv",
            "--item-features",
            dir + "/features-bad.tsv");
    assertThat(badFeatures.code).isEqualTo(1);
    assertThat(badFeatures.err)
        .contains(dir + "/features-bad.tsv:3: value 2 is not a finite number: 'x'");
    Files.writeString(dir.resolve("features-ragged.tsv"), "v1\t0.1,0.2\nv2\t0.3\n");
    assertThat(
            run(
                    "--train",
                    dir + "/train.tsv",
                    "--val",
                    dir + "/val.tsv",
                    "--test",
                    dir + "/test.tsv",
                    "--item-features",
                    dir + "/features-ragged.tsv")
                .err)
        .contains("features-ragged.tsv:2: 1 values where the lines before have 2");

    Run missing = run("--train", dir + "/nope.tsv", "--val", "v", "--test", "t");
    assertThat(missing.code).isEqualTo(1);
    assertThat(missing.err).contains("no such file: " + dir + "/nope.tsv");

    Files.writeString(dir.resolve("bad.tsv"), "u1\tv1\nu2\n");
    Run bad =
        run("--train", dir + "/bad.tsv", "--val", dir + "/val.tsv", "--test", dir + "/test.tsv");
    assertThat(bad.code).isEqualTo(1);
    assertThat(bad.err).contains(dir + "/bad.tsv:2: expected user<TAB>item");

    for (List<String> args :
        List.of(
            List.of("--train", "t", "--val", "v"),
            List.of("--train", "t", "--val", "v", "--test", "s", "--k", "0"),
            List.of("--train", "t", "--val", "v", "--test", "s", "--k", "many"),
            List.of("--train", "t", "--val", "v", "--test", "s", "--bogus", "1"),
            List.of("--train", "t", "--val", "v", "--test", "s", "--models", "mostpop,svd"),
            List.of("--train", "t", "--val", "v", "--test"),
            List.of("train.tsv"))) {
      Run usage = run(args.toArray(String[]::new));
      assertThat(usage.code).as(args.toString()).isEqualTo(2);
      assertThat(usage.err).contains("usage: eval --train T --val V --test S");
    }
  }

  @Test
  void theGeneratorCommandWritesFilesAndRejectsBadArguments(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        GenerateCommand.run(
            List.of(
                "--out",
                dir.toString(),
                "--users",
                "500",
                "--videos",
                "100",
                "--creators",
                "20",
                "--clusters",
                "5"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(dir.resolve("train.tsv")).isNotEmptyFile();
    assertThat(dir.resolve("videos.tsv")).isNotEmptyFile();
    assertThat(dir.resolve("features.tsv")).isNotEmptyFile();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("500 users, 100 videos");

    for (List<String> args :
        List.of(
            List.of("--users", "0"),
            List.of("--videos", "10", "--creators", "20"),
            List.of("--seed"),
            List.of("--mode", "medium"))) {
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      assertThat(
              GenerateCommand.run(
                  args, System.out, new PrintStream(e, true, StandardCharsets.UTF_8)))
          .as(args.toString())
          .isEqualTo(2);
      assertThat(e.toString(StandardCharsets.UTF_8)).contains("usage: gen-interactions");
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        EvalCommand.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
