package io.flick.feed.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code gen-interactions [--out DIR] [--users N] [--videos N] [--creators N] [--clusters N]
 * [--seed N]}: writes {@link InteractionGenerator} data (train/val/test.tsv, videos.tsv) into DIR.
 */
public final class GenerateCommand {
  static final String USAGE =
      "usage: gen-interactions [--out DIR] [--users 100000] [--videos 10000] [--creators 2000]"
          + " [--clusters 40] [--seed 42]\n"
          + "  writes DIR/train.tsv, val.tsv, test.tsv (user<TAB>video<TAB>weight<TAB>epoch-ms, split"
          + " by time per user)\n"
          + "  and DIR/videos.tsv (video<TAB>creator<TAB>hashtag); DIR defaults to"
          + " .flick/interactions";

  private GenerateCommand() {}

  /** Runs the command; returns the exit code (0 done, 1 failed, 2 bad arguments). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    InteractionGenerator.Settings settings;
    Path dir;
    try {
      Options options =
          Options.parse(args, Set.of("out", "users", "videos", "creators", "clusters", "seed"));
      InteractionGenerator.Settings d = InteractionGenerator.Settings.defaults();
      dir = Path.of(options.string("out", ".flick/interactions"));
      settings =
          new InteractionGenerator.Settings(
              options.integer("users", d.users(), 1),
              options.integer("videos", d.videos(), 1),
              options.integer("creators", d.creators(), 1),
              options.integer("clusters", d.clusters(), 1),
              options.longValue("seed", d.seed()));
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
        "wrote %s: %,d users, %,d videos, %,d creators, %d clusters (seed %d): %,d interactions ="
            + " train %,d + val %,d + test %,d, in %.1f s%n",
        dir,
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
