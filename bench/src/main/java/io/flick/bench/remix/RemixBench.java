package io.flick.bench.remix;

import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.LadderPlan;
import io.flick.transcode.media.LadderPlanner;
import io.flick.transcode.media.MediaInfo;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.Remix;
import io.flick.transcode.media.RungOutput;
import io.flick.transcode.media.TranscodeOptions;
import io.flick.transcode.media.TranscodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a duet and a stitch cost: the ladder exactly as the pipeline runs it (HlsLadderTranscoder,
 * default options) for the plain clip (the baseline), a duet with a 30 s source and a stitch of its
 * first 5 s, run interleaved, the fastest of each counting (the machine is shared). Then the
 * quality of the remix's own part against its input (PSNR on the top rung), the plain ladder's as
 * its baseline, and the Chromaprint fingerprint time per minute of audio next to decoding only.
 */
public final class RemixBench {
  private static final long STITCH_MS = 5_000;

  public static void main(String[] args) throws Exception {
    Path work = Path.of(System.getProperty("flick.bench.dir", "bench/target/remix-bench"));
    int repeat = Math.max(1, Integer.parseInt(System.getProperty("flick.bench.repeat", "2")));
    Files.createDirectories(work);
    FfmpegPaths paths = FfmpegPaths.fromEnvironment();
    Path clip = work.resolve("clip-30s-1080x1920.mp4");
    Path source = work.resolve("source-30s-1080x1920.mp4");
    make(paths, clip, "testsrc2=size=1080x1920:rate=30", "sine=frequency=880:sample_rate=48000");
    make(
        paths,
        source,
        "mandelbrot=size=1080x1920:rate=30",
        "aevalsrc=0.4*sin(2*PI*(220+40*floor(mod(t*2\\,4)))*t):s=44100");
    MediaProbe probe = new MediaProbe(paths.ffprobe());
    MediaInfo clipInfo = probe.probeAndValidate(clip, MediaLimits.defaults());
    MediaInfo sourceInfo = probe.probe(source);
    LadderPlanner planner = new LadderPlanner();
    LadderPlan plain = planner.plan(clipInfo);
    Remix duet = Remix.duet(clipInfo, source, sourceInfo);
    Remix stitch = Remix.stitch(clipInfo, source, sourceInfo, 0, STITCH_MS);
    LadderPlan duetPlan = planner.plan(duet.output());
    LadderPlan stitchPlan = planner.plan(stitch.output());
    HlsLadderTranscoder transcoder = new HlsLadderTranscoder(paths.ffmpeg());
    TranscodeOptions options = TranscodeOptions.defaults();
    double plainBest = Double.MAX_VALUE;
    double duetBest = Double.MAX_VALUE;
    double stitchBest = Double.MAX_VALUE;
    TranscodeResult plainOut = null;
    TranscodeResult duetOut = null;
    TranscodeResult stitchOut = null;
    for (int i = 0; i < repeat; i++) {
      long t0 = System.nanoTime();
      plainOut =
          transcoder.transcode(
              clip,
              Optional.empty(),
              Optional.empty(),
              work.resolve("plain"),
              plain,
              options,
              e -> {});
      long t1 = System.nanoTime();
      duetOut =
          transcoder.transcode(
              clip,
              Optional.empty(),
              Optional.of(duet),
              work.resolve("duet"),
              duetPlan,
              options,
              e -> {});
      long t2 = System.nanoTime();
      stitchOut =
          transcoder.transcode(
              clip,
              Optional.empty(),
              Optional.of(stitch),
              work.resolve("stitch"),
              stitchPlan,
              options,
              e -> {});
      long t3 = System.nanoTime();
      plainBest = Math.min(plainBest, (t1 - t0) / 1e9);
      duetBest = Math.min(duetBest, (t2 - t1) / 1e9);
      stitchBest = Math.min(stitchBest, (t3 - t2) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "clip and source: 30 s 1080x1920 30 fps; ladder %s; stitch: %d ms of the source; fastest"
            + " of %d%n",
        plain.rungs().stream().map(r -> r.name()).toList(),
        STITCH_MS,
        repeat);
    System.out.printf(Locale.ROOT, "duet ladder:                    %.2f s%n", duetBest);
    System.out.printf(Locale.ROOT, "stitch ladder:                  %.2f s%n", stitchBest);
    System.out.printf(Locale.ROOT, "baseline, the clip's own ladder: %.2f s%n", plainBest);
    System.out.printf(
        Locale.ROOT,
        "duet / plain: %.3fx   stitch / plain: %.3fx   (goal <= 1.5x)%n",
        duetBest / plainBest,
        stitchBest / plainBest);

    // quality of the remix's own part on the top rung, against the input it was made from
    Path plainTop = joinTop(plainOut, work.resolve("plain-top.ts"));
    Path duetTop = joinTop(duetOut, work.resolve("duet-top.ts"));
    Path stitchTop = joinTop(stitchOut, work.resolve("stitch-top.ts"));
    RungOutput duetRung = duetOut.rungs().get(duetOut.rungs().size() - 1);
    int half = duetRung.rung().width() / 2;
    // the clip (9:16) letterboxed into its half: half wide, 16/9 of that tall, centred
    int shown = (int) Math.round(half * 16.0 / 9 / 2) * 2;
    int top = (duetRung.rung().height() - shown) / 2;
    double plainPsnr = psnr(paths, plainTop, clip, "[0:v]null[a];[1:v]null[b]");
    double duetPsnr =
        psnr(
            paths,
            duetTop,
            clip,
            "[0:v]crop="
                + half
                + ":"
                + shown
                + ":0:"
                + top
                + "[a];[1:v]scale="
                + half
                + ":"
                + shown
                + ":flags=bicubic[b]");
    double stitchPsnr =
        psnr(
            paths,
            stitchTop,
            clip,
            "[0:v]trim=start=" + STITCH_MS / 1000.0 + ",setpts=PTS-STARTPTS[a];[1:v]null[b]");
    System.out.printf(
        Locale.ROOT,
        "PSNR, the duet's own half (%dx%d) vs the clip scaled to it: %.2f dB%n",
        half,
        shown,
        duetPsnr);
    System.out.printf(
        Locale.ROOT,
        "PSNR, the stitch's clip part vs the clip:              %.2f dB%n",
        stitchPsnr);
    System.out.printf(
        Locale.ROOT, "baseline PSNR, the plain ladder vs the clip:           %.2f dB%n", plainPsnr);

    // fingerprint cost per minute of audio: the source's 30 s of audio, as the pipeline does it
    double fp = Double.MAX_VALUE;
    double decode = Double.MAX_VALUE;
    for (int i = 0; i < Math.max(3, repeat); i++) {
      long t0 = System.nanoTime();
      ffmpeg(
          paths,
          "-i",
          source.toString(),
          "-map",
          "0:a:0",
          "-ac",
          "1",
          "-c:a",
          "pcm_s16le",
          "-f",
          "chromaprint",
          "-fp_format",
          "raw",
          work.resolve("source.fp").toString());
      long t1 = System.nanoTime();
      ffmpeg(paths, "-i", source.toString(), "-map", "0:a:0", "-f", "null", "-");
      long t2 = System.nanoTime();
      fp = Math.min(fp, (t1 - t0) / 1e9);
      decode = Math.min(decode, (t2 - t1) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "fingerprint (decode + chromaprint): %.1f ms per minute of audio%n",
        fp * 1000 * 2);
    System.out.printf(
        Locale.ROOT,
        "baseline (decode only):             %.1f ms per minute of audio (fingerprint / decode:"
            + " %.2fx)%n",
        decode * 1000 * 2,
        fp / decode);
  }

  private static Path joinTop(TranscodeResult result, Path joined) throws IOException {
    try (var out = Files.newOutputStream(joined)) {
      for (Path segment : result.rungs().get(result.rungs().size() - 1).segments()) {
        Files.copy(segment, out);
      }
    }
    return joined;
  }

  private static final Pattern AVERAGE = Pattern.compile("average:([0-9.]+|inf)");

  /** ffmpeg's psnr filter between {@code [a]} and {@code [b]} made by {@code prepare}. */
  private static double psnr(FfmpegPaths paths, Path output, Path input, String prepare)
      throws Exception {
    String err =
        ffmpeg(
            paths,
            "-i",
            output.toString(),
            "-i",
            input.toString(),
            "-lavfi",
            prepare + ";[a][b]psnr",
            "-f",
            "null",
            "-");
    Matcher m = AVERAGE.matcher(err);
    if (!m.find()) {
      throw new IllegalStateException("no PSNR in: " + err);
    }
    return m.group(1).equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
  }

  /** Runs ffmpeg, returns its log (stderr, info level). */
  private static String ffmpeg(FfmpegPaths paths, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(List.of(paths.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("remix-bench", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(log.toFile())
              .start();
      String text;
      if (p.waitFor() != 0) {
        text = Files.readString(log, StandardCharsets.UTF_8);
        throw new IllegalStateException("ffmpeg failed: " + command + "\n" + text);
      }
      return Files.readString(log, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void make(FfmpegPaths paths, Path out, String video, String audio)
      throws Exception {
    if (Files.exists(out) && Files.size(out) > 0) {
      return;
    }
    ffmpeg(
        paths,
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        video,
        "-f",
        "lavfi",
        "-i",
        audio,
        "-t",
        "30",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        out.toString());
  }
}
