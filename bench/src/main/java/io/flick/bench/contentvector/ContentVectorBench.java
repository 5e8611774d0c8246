package io.flick.bench.contentvector;

import io.flick.transcode.media.ContentVector;
import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.LadderPlan;
import io.flick.transcode.media.LadderPlanner;
import io.flick.transcode.media.MediaInfo;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.SegmentListener;
import io.flick.transcode.media.TranscodeOptions;
import io.flick.transcode.media.TranscodeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the content vector costs the transcode pipeline: on one cached clip, the pipeline's media
 * work without it (probe + plan + the one-process HLS ladder, defaults, as the pipeline runs it:
 * the baseline) and the content vector on the same clip, interleaved, fastest of each; prints the
 * pipeline's time with the vector over its time without.
 */
public final class ContentVectorBench {
  private static final SegmentListener NONE = event -> {};

  public static void main(String[] args) throws Exception {
    Path work = Path.of(System.getProperty("flick.bench.dir", "bench/target/content-vector-bench"));
    int repeat = Integer.getInteger("flick.bench.repeat", 2);
    Files.createDirectories(work);
    FfmpegPaths paths = FfmpegPaths.fromEnvironment();
    Path clip = clip(paths, work);
    MediaProbe probe = new MediaProbe(paths.ffprobe());
    HlsLadderTranscoder ladder = new HlsLadderTranscoder(paths.ffmpeg());
    ContentVector vectors = new ContentVector(paths.ffmpeg());
    double ladderBest = Double.MAX_VALUE;
    double vectorBest = Double.MAX_VALUE;
    int dimension = 0;
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      MediaInfo info = probe.probeAndValidate(clip, MediaLimits.defaults());
      LadderPlan plan = new LadderPlanner().plan(info);
      Path out = work.resolve("ladder");
      deleteRecursively(out);
      TranscodeResult result = ladder.transcode(clip, out, plan, TranscodeOptions.defaults(), NONE);
      ladderBest = Math.min(ladderBest, seconds(start));

      start = System.nanoTime();
      float[] vector =
          vectors
              .compute(clip, info.audio().isPresent(), result.dhashMaterial(), work)
              .orElseThrow(() -> new IllegalStateException("no content vector"));
      vectorBest = Math.min(vectorBest, seconds(start));
      dimension = vector.length;
    }
    System.out.printf(
        Locale.ROOT,
        "clip: %s (fastest of %d, interleaved)%n"
            + "baseline  pipeline media work without the vector (probe+plan+ladder): %.2f s%n"
            + "content vector (%d numbers):                                        %.3f s%n"
            + "pipeline with / without the vector:                                 x%.3f%n",
        clip.getFileName(),
        repeat,
        ladderBest,
        dimension,
        vectorBest,
        (ladderBest + vectorBest) / ladderBest);
  }

  private static Path clip(FfmpegPaths paths, Path work) throws Exception {
    Path clip = work.resolve("source-720x1280-30fps-20s.mp4");
    if (Files.exists(clip) && Files.size(clip) > 0) {
      return clip;
    }
    Path tmp = work.resolve("source.tmp.mp4");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                paths.ffmpeg().toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=720x1280:rate=30",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "20",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-crf",
                "20",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                tmp.toString()));
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("could not make the clip");
    }
    Files.move(tmp, clip);
    return clip;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void deleteRecursively(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
