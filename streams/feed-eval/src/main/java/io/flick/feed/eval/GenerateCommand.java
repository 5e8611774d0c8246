package io.flick.feed.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code gen-interactions [--mode dense|sparse] [--out DIR] [--users N] [--videos N] [--creators N]
 * [--clusters N] [--seed N]}: writes {@link InteractionGenerator} data (train/val/test.tsv,
 * videos.tsv, features.tsv) into DIR.
 */
public final class GenerateCommand {
  static final String USAGE =
      """
      usage: gen-interactions [--mode dense|sparse] [--out DIR] [--users N] [--videos N] [--creators N] [--clusters 40] [--seed 42]
        --mode dense   (default) 100000 users, 10000 videos, 2000 creators: many interactions per user,
                       skips, each user's last 10 % → test and the 10 % before → validation
        --mode sparse  9000 users, 7000 videos, 1400 creators, shaped like public short-video logs: median 2
                       training interactions per user (tail to 100), implicit (no skips), one validation
                       and one test item per user, ~5 % of test items never seen in train
        writes DIR/train.tsv, val.tsv, test.tsv (user<TAB>video<TAB>weight<TAB>epoch-ms, split by time per
        user), DIR/videos.tsv (video<TAB>creator<TAB>hashtag) and DIR/features.tsv (video<TAB>v1,…,v16:
        content vectors correlated with the interest clusters, with noise); DIR defaults to .flick/interactions""";

  private GenerateCommand() {}

  /** Runs the command; returns the exit code (0 done, 1 failed, 2 bad arguments). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    InteractionGenerator.Settings settings;
    Path dir;
    try {
      Options options =
          Options.parse(
              args, Set.of("mode", "out", "users", "videos", "creators", "clusters", "seed"));
      InteractionGenerator.Mode mode =
          switch (options.string("mode", "dense")) {
            case "dense" -> InteractionGenerator.Mode.DENSE;
            case "sparse" -> InteractionGenerator.Mode.SPARSE;
            default -> throw new Options.UsageException("--mode must be dense or sparse");
          };
      InteractionGenerator.Settings d = InteractionGenerator.Settings.defaults(mode);
      dir = Path.of(options.string("out", ".flick/interactions"));
      settings =
          new InteractionGenerator.Settings(
              options.integer("users", d.users(), 1),
              options.integer("videos", d.videos(), 1),
              options.integer("creators", d.creators(), 1),
              options.integer("clusters", d.clusters(), 1),
              options.longValue("seed", d.seed()),
              mode);
    } catch (Options.UsageException | IllegalArgumentException e) {
      err.println("gen-interactions: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    long start = System.nanoTime();
    InteractionGenerator.Dataset data = InteractionGenerator.generate(settings);
    try {
      InteractionGenerator.write(data, dir);
    } catch (IOException e) {
      err.println("gen-interactions: cannot write " + dir + ": " + e);
      return 1;
    }
    out.printf(
        Locale.ROOT,
        "wrote %s (%s): %,d users, %,d videos, %,d creators, %d clusters (seed %d): %,d interactions ="
            + " train %,d + val %,d + test %,d, in %.1f s%n",
        dir,
        settings.mode().name().toLowerCase(Locale.ROOT),
        settings.users(),
        settings.videos(),
        settings.creators(),
        settings.clusters(),
        settings.seed(),
        data.interactions(),
        data.train().size(),
        data.val().size(),
        data.test().size(),
        (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
