package io.flick.bench.transcode;

import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.LadderPlan;
import io.flick.transcode.media.LadderPlanner;
import io.flick.transcode.media.MediaInfo;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.Rung;
import io.flick.transcode.media.RungOutput;
import io.flick.transcode.media.SegmentEvent;
import io.flick.transcode.media.SegmentListener;
import io.flick.transcode.media.TranscodeOptions;
import io.flick.transcode.media.TranscodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transcoding benchmark, all in one run on the same cached source (30 s, 1080x1920, 30 fps,
 * H.264/AAC):
 *
 * <ol>
 *   <li>(c) decode only ({@code -f null -}): the floor any transcode pays;
 *   <li>(a) naive: one ffmpeg per rendition, sequentially, 360p/720p/1080p MP4, libx264 medium CRF
 *       23, AAC 128k, +faststart;
 *   <li>(b) Flick: probe + plan + {@link HlsLadderTranscoder} with {@link
 *       TranscodeOptions#defaults()}, exactly as the pipeline runs it, with the time until the
 *       lowest rung's first segment is complete (from the {@link SegmentListener}).
 * </ol>
 *
 * Then PSNR and SSIM of every rung (Flick's and the naive ones) against the source scaled to the
 * rung's size. Usage: {@code bench/transcode/run [extra presets to also time, e.g. veryfast]}.
 */
public final class TranscodeBench {

  private static final double CLIP_SECONDS = 30;
  private static final Pattern PSNR = Pattern.compile("PSNR .*average:([0-9.]+|inf)");
  private static final Pattern SSIM = Pattern.compile("SSIM .*All:([0-9.]+)");
  private static final long CLK_TCK = clockTicks();

  private final FfmpegPaths paths;
  private final Path work;
  private final int repeat;

  private TranscodeBench(FfmpegPaths paths, Path work, int repeat) {
    this.paths = paths;
    this.work = work;
    this.repeat = repeat;
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(System.getProperty("flick.bench.dir", "bench/target/transcode-bench"));
    Files.createDirectories(work);
    int repeat = Integer.parseInt(System.getProperty("flick.bench.repeat", "2"));
    new TranscodeBench(FfmpegPaths.fromEnvironment(), work, Math.max(1, repeat)).run(List.of(args));
  }

  private record Quality(String name, String size, long kbps, String psnr, String ssim) {}

  private void run(List<String> extraPresets) throws Exception {
    Path source = sourceClip();
    String loadBefore = loadAverage();
    int cpus = Runtime.getRuntime().availableProcessors();

    // (c) decode only; also warms the page cache for everyone after it
    double decodeCpu0 = childCpuSeconds();
    double decode = time(() -> ffmpeg("-i", source.toString(), "-map", "0:v:0", "-f", "null", "-"));
    double decodeCpu = childCpuSeconds() - decodeCpu0;

    // (a) naive and (b) Flick, interleaved, REPEAT times each; the fastest of each is reported
    // (the machine is shared: the minimum is the least disturbed measurement)
    MediaProbe probe = new MediaProbe(paths.ffprobe());
    MediaInfo info = probe.probe(source);
    LadderPlan plan = new LadderPlanner().plan(info);
    NaiveRun naiveRun = null;
    FlickRun flick = null;
    for (int i = 0; i < repeat; i++) {
      NaiveRun n = naive(source, plan);
      naiveRun = naiveRun == null ? n : naiveRun.min(n);
      FlickRun f = flick(probe, source, TranscodeOptions.defaults(), "flick");
      flick = flick == null ? f : flick.min(f);
    }
    double naive = naiveRun.total;
    double naiveCpu = naiveRun.cpu;
    double naiveFirst = naiveRun.first;
    List<Path> naiveFiles = naiveRun.files;

    List<FlickRun> extras = new ArrayList<>();
    for (String variant : extraPresets) {
      // "superfast" = that preset on every rung; "ultrafast:cabac=1:deblock=1" = upper rungs with
      // those x264 parameters, lowest rung at the default's preset
      int colon = variant.indexOf(':');
      TranscodeOptions o =
          colon < 0
              ? TranscodeOptions.defaults().withPreset(variant)
              : TranscodeOptions.defaults()
                  .withPresets(
                      variant.substring(0, colon),
                      variant.substring(colon + 1),
                      TranscodeOptions.defaults().lowestRungPreset());
      extras.add(flick(probe, source, o, variant));
    }
    String loadAfterEncodes = loadAverage();

    // quality
    List<Quality> flickQuality = new ArrayList<>();
    for (RungOutput r : flick.result.rungs()) {
      flickQuality.add(quality(r.rung(), r.mediaPlaylist(), source, r.averageBitrate() / 1000));
    }
    List<Quality> naiveQuality = new ArrayList<>();
    for (int i = 0; i < plan.rungs().size(); i++) {
      Path f = naiveFiles.get(i);
      long kbps = Math.round(Files.size(f) * 8 / 1000.0 / CLIP_SECONDS);
      naiveQuality.add(quality(plan.rungs().get(i), f, source, kbps));
    }

    // report
    TranscodeOptions d = TranscodeOptions.defaults();
    System.out.printf(
        Locale.ROOT,
        "%nFlick transcode bench: source %s, %.1f s, %.0f fps, H.264/AAC (%s)%n"
            + "%d CPUs; load average before: %s, after the encodes: %s; naive and Flick each run %d"
            + " times interleaved, fastest shown; CPU s = user+sys of the ffmpeg processes%n"
            + "ladder: %s; Flick: upper rungs preset %s + x264-params %s, lowest rung %s, CRF %d under"
            + " per-rung caps, %s s segments%n%n",
        info.displaySize(),
        info.durationSeconds(),
        info.frameRate(),
        source,
        cpus,
        loadBefore,
        loadAfterEncodes,
        repeat,
        String.join(" ", plan.rungs().stream().map(Rung::resolution).toList()),
        d.preset(),
        d.x264Params().isEmpty() ? "(none)" : d.x264Params(),
        d.lowestRungPreset(),
        d.crf(),
        fmt(d.segmentSeconds()));
    System.out.printf(
        Locale.ROOT,
        "%-52s %8s %10s %10s %8s %10s%n",
        "run",
        "wall s",
        "realtime",
        "naive / x",
        "CPU s",
        "naive / x");
    row("(c) decode only (-f null -)", decode, naive, decodeCpu, naiveCpu);
    row("(a) naive: 3 ffmpeg runs, medium CRF 23, MP4", naive, naive, naiveCpu, naiveCpu);
    row("    naive: first rendition (360p MP4) ready", naiveFirst, naive, -1, naiveCpu);
    row(
        "(b) Flick: probe + one-process HLS ladder, total",
        flick.total,
        naive,
        flick.cpu,
        naiveCpu);
    row("    of which probe", flick.probe, naive, -1, naiveCpu);
    row(
        "    first " + flick.result.rungs().get(0).rung().name() + " segment ready (listener)",
        flick.firstSegment,
        naive,
        -1,
        naiveCpu);
    for (FlickRun e : extras) {
      row("    variant: preset " + e.label + ", total", e.total, naive, e.cpu, naiveCpu);
    }
    System.out.printf(
        Locale.ROOT,
        "%nREADY ratio naive/Flick: %.2fx wall, %.2fx CPU; first playable: naive %.1f s (360p MP4) vs Flick %.1f s"
            + " (first 360p segment) = %.1fx; Flick total / decode-only: %.2fx%n%n",
        naive / flick.total,
        naiveCpu / flick.cpu,
        naiveFirst,
        flick.firstSegment,
        naiveFirst / flick.firstSegment,
        flick.total / decode);

    System.out.printf(
        Locale.ROOT,
        "%-6s %-10s | %-28s | %-28s%n",
        "rung",
        "size",
        "Flick  kbps   PSNR    SSIM",
        "naive  kbps   PSNR    SSIM");
    for (int i = 0; i < flickQuality.size(); i++) {
      Quality f = flickQuality.get(i);
      Quality n = i < naiveQuality.size() ? naiveQuality.get(i) : null;
      System.out.printf(
          Locale.ROOT,
          "%-6s %-10s | %10d %7s %7s | %10s %7s %7s%n",
          f.name,
          f.size,
          f.kbps,
          f.psnr,
          f.ssim,
          n == null ? "-" : Long.toString(n.kbps),
          n == null ? "-" : n.psnr,
          n == null ? "-" : n.ssim);
    }
    for (FlickRun e : extras) {
      StringBuilder line = new StringBuilder("variant " + e.label + ":");
      for (RungOutput r : e.result.rungs()) {
        Quality q = quality(r.rung(), r.mediaPlaylist(), source, r.averageBitrate() / 1000);
        line.append(
            String.format(Locale.ROOT, "  %s %d kbps %s dB %s", q.name, q.kbps, q.psnr, q.ssim));
      }
      System.out.println(line);
    }
    System.out.println(
        "(Flick kbps = measured AVERAGE-BANDWIDTH incl. audio and MPEG-TS overhead;"
            + " naive kbps = MP4 file size / duration; PSNR dB and SSIM of the luma+chroma average vs"
            + " the source scaled to the rung size)");
    System.out.printf(
        Locale.ROOT,
        "%nmaster playlist (%s):%n%s%n",
        flick.result.masterPlaylist(),
        Files.readString(flick.result.masterPlaylist(), StandardCharsets.UTF_8));
    System.out.println("ffmpeg command:");
    System.out.println(String.join(" ", flick.command));
  }

  private static final class NaiveRun {
    double total;
    double cpu;
    double first;
    List<Path> files = new ArrayList<>();

    NaiveRun min(NaiveRun o) {
      NaiveRun m = total <= o.total ? this : o;
      m.cpu = Math.min(cpu, o.cpu);
      m.first = Math.min(first, o.first);
      return m;
    }
  }

  /** One ffmpeg per rendition, sequentially, the way a first version would do it. */
  private NaiveRun naive(Path source, LadderPlan plan) throws Exception {
    NaiveRun run = new NaiveRun();
    double cpu0 = childCpuSeconds();
    long start = System.nanoTime();
    for (Rung r : plan.rungs()) {
      Path out = work.resolve("naive-" + r.name() + ".mp4");
      ffmpeg(
          "-i",
          source.toString(),
          "-vf",
          "scale=" + r.width() + ":" + r.height(),
          "-c:v",
          "libx264",
          "-preset",
          "medium",
          "-crf",
          "23",
          "-c:a",
          "aac",
          "-b:a",
          "128k",
          "-movflags",
          "+faststart",
          out.toString());
      run.files.add(out);
      if (run.first == 0) {
        run.first = seconds(start);
      }
    }
    run.total = seconds(start);
    run.cpu = childCpuSeconds() - cpu0;
    return run;
  }

  private static final class FlickRun {
    String label;
    double total;
    double cpu;
    double probe;
    double firstSegment;
    TranscodeResult result;
    List<String> command;

    FlickRun min(FlickRun o) {
      FlickRun m = total <= o.total ? this : o;
      m.cpu = Math.min(cpu, o.cpu);
      m.firstSegment = Math.min(firstSegment, o.firstSegment);
      m.probe = Math.min(probe, o.probe);
      return m;
    }
  }

  private FlickRun flick(MediaProbe probe, Path source, TranscodeOptions options, String label)
      throws Exception {
    FlickRun run = new FlickRun();
    run.label = label;
    HlsLadderTranscoder transcoder = new HlsLadderTranscoder(paths.ffmpeg());
    double cpu0 = childCpuSeconds();
    long start = System.nanoTime();
    MediaInfo info = probe.probeAndValidate(source, MediaLimits.defaults());
    run.probe = seconds(start);
    LadderPlan plan = new LadderPlanner().plan(info);
    Path out = work.resolve(label.replaceAll("[^A-Za-z0-9]+", "-"));
    run.command = transcoder.command(source, out, plan, options);
    SegmentListener listener =
        new SegmentListener() {
          @Override
          public void onSegment(SegmentEvent event) {
            if (event.rungIndex() == 0 && run.firstSegment == 0) {
              run.firstSegment = seconds(start);
            }
          }
        };
    run.result = transcoder.transcode(source, out, plan, options, listener);
    run.total = seconds(start);
    run.cpu = childCpuSeconds() - cpu0;
    return run;
  }

  private Quality quality(Rung rung, Path encoded, Path source, long kbps) throws Exception {
    String graph =
        "[0:v]setpts=PTS-STARTPTS,split=2[a][b];"
            + "[1:v]setpts=PTS-STARTPTS,scale="
            + rung.width()
            + ":"
            + rung.height()
            + ":flags=bicubic,split=2[r1][r2];"
            + "[a][r1]psnr[o1];[b][r2]ssim[o2]";
    String log =
        ffmpegLog(
            "-i",
            encoded.toString(),
            "-i",
            source.toString(),
            "-filter_complex",
            graph,
            "-map",
            "[o1]",
            "-f",
            "null",
            "-",
            "-map",
            "[o2]",
            "-f",
            "null",
            "-");
    return new Quality(rung.name(), rung.resolution(), kbps, find(PSNR, log), find(SSIM, log));
  }

  private static String find(Pattern p, String log) {
    Matcher m = p.matcher(log);
    String last = "?";
    while (m.find()) {
      last = m.group(1);
    }
    if (last.matches("[0-9.]+")) {
      double v = Double.parseDouble(last);
      return String.format(Locale.ROOT, v > 1.5 ? "%.2f" : "%.4f", v);
    }
    return last;
  }

  /** The cached 30 s 1080x1920 30 fps H.264/AAC source, generated on first use. */
  private Path sourceClip() throws Exception {
    Path clip = work.resolve("source-1080x1920-30fps-30s.mp4");
    if (Files.exists(clip) && Files.size(clip) > 0) {
      return clip;
    }
    System.out.println("generating the benchmark source clip once: " + clip);
    Path tmp = work.resolve("source.tmp.mp4");
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=1080x1920:rate=30",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        fmt(CLIP_SECONDS),
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
        "-movflags",
        "+faststart",
        tmp.toString());
    Files.move(tmp, clip);
    return clip;
  }

  private interface Action {
    void run() throws Exception;
  }

  private static double time(Action a) throws Exception {
    long start = System.nanoTime();
    a.run();
    return seconds(start);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void row(String label, double seconds, double naive, double cpu, double naiveCpu) {
    String cpuCols =
        cpu < 0 ? "" : String.format(Locale.ROOT, " %8.1f %9.2fx", cpu, naiveCpu / cpu);
    System.out.printf(
        Locale.ROOT,
        "%-52s %8.1f %9.2fx %9.2fx%s%n",
        label,
        seconds,
        CLIP_SECONDS / seconds,
        naive / seconds,
        cpuCols);
  }

  /**
   * CPU seconds (user + system) of this JVM's finished child processes: Linux adds a reaped child's
   * CPU time to its parent's cutime/cstime. Unlike wall time it hardly moves when other work shares
   * the machine.
   */
  private static double childCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command name: field 3 (state) is f[0], so cutime (16) is f[13], cstime (17) f[14]
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / (double) CLK_TCK;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor();
      return Long.parseLong(out);
    } catch (Exception e) {
      return 100;
    }
  }

  private void ffmpeg(String... args) throws IOException, InterruptedException {
    ffmpegLog(args);
  }

  /** Runs ffmpeg (info log level, so filters print their summaries) and returns its stderr. */
  private String ffmpegLog(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(paths.ffmpeg().toString());
    cmd.addAll(List.of("-hide_banner", "-nostdin", "-nostats", "-y"));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(work, "ffmpeg", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(log.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("ffmpeg timed out: " + String.join(" ", cmd));
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "ffmpeg failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
