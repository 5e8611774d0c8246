package io.flick.bench.sounds;

import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.LadderPlan;
import io.flick.transcode.media.LadderPlanner;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.TranscodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What "use this sound" adds to a transcode: the ladder exactly as the pipeline runs it
 * (HlsLadderTranscoder, default options) on a cached 30 s 720x1280 clip, once with its own audio
 * (the baseline) and once with a 7 s sound looped in its place (a second, looped ffmpeg input), run
 * interleaved; the fastest of each counts (the machine is shared).
 */
public final class UseSoundBench {
  public static void main(String[] args) throws Exception {
    Path work = Path.of(System.getProperty("flick.bench.dir", "bench/target/use-sound-bench"));
    int repeat = Math.max(1, Integer.parseInt(System.getProperty("flick.bench.repeat", "3")));
    Files.createDirectories(work);
    FfmpegPaths paths = FfmpegPaths.fromEnvironment();
    Path clip = work.resolve("clip-30s.mp4");
    Path sound = work.resolve("sound-7s.mp4");
    make(paths, clip, "testsrc2=size=720x1280:rate=30", "sine=frequency=440:sample_rate=48000", 30);
    make(
        paths,
        sound,
        "mandelbrot=size=720x1280:rate=30",
        "aevalsrc=0.4*sin(2*PI*(220+40*floor(mod(t*2\\,4)))*t):s=44100",
        7);
    MediaProbe probe = new MediaProbe(paths.ffprobe());
    LadderPlan plan =
        new LadderPlanner().plan(probe.probeAndValidate(clip, MediaLimits.defaults()));
    HlsLadderTranscoder transcoder = new HlsLadderTranscoder(paths.ffmpeg());
    TranscodeOptions options = TranscodeOptions.defaults();
    double own = Double.MAX_VALUE;
    double withSound = Double.MAX_VALUE;
    for (int i = 0; i < repeat; i++) {
      long t0 = System.nanoTime();
      transcoder.transcode(clip, Optional.empty(), work.resolve("own"), plan, options, e -> {});
      long t1 = System.nanoTime();
      transcoder.transcode(clip, Optional.of(sound), work.resolve("sound"), plan, options, e -> {});
      long t2 = System.nanoTime();
      own = Math.min(own, (t1 - t0) / 1e9);
      withSound = Math.min(withSound, (t2 - t1) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "clip: 30 s 720x1280 30 fps, ladder %s; sound: 7 s AAC, looped; fastest of %d%n",
        plan.rungs().stream().map(r -> r.name()).toList(),
        repeat);
    System.out.printf(Locale.ROOT, "ladder with the chosen sound: %.2f s%n", withSound);
    System.out.printf(Locale.ROOT, "baseline, its own audio:      %.2f s%n", own);
    System.out.printf(Locale.ROOT, "with sound / own audio: %.3fx%n", withSound / own);
  }

  private static void make(FfmpegPaths paths, Path out, String video, String audio, int seconds)
      throws Exception {
    if (Files.exists(out) && Files.size(out) > 0) {
      return;
    }
    Process p =
        new ProcessBuilder(
                List.of(
                    paths.ffmpeg().toString(),
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    video,
                    "-f",
                    "lavfi",
                    "-i",
                    audio,
                    "-t",
                    Integer.toString(seconds),
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "aac",
                    out.toString()))
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("could not make " + out);
    }
  }
}
