package io.flick.transcode.media;

import io.flick.video.fingerprint.DHash;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a source video into a whole HLS ladder with ONE ffmpeg process: the source is decoded once,
 * split, scaled in a cascade (each rung from the next larger one) and encoded to every rung at once
 * (H.264 + AAC in MPEG-TS, 2 s segments, keyframes forced at the same instants in every rung), plus
 * a poster JPEG and the 1 fps 9x8 grey frames for dHash, from the same decode.
 *
 * <p>Blocking: {@link #transcode} returns when everything is on disk, so run it on a dispatcher for
 * blocking work. While it runs, the {@link SegmentListener} hears about each segment as soon as it
 * is complete, which is how the pipeline publishes the lowest rung before the ladder is done.
 *
 * <p><b>Publishing the lowest rung early.</b> All rungs advance together (one decode feeds them),
 * so the lowest rung is not finished first; instead its segments become available one by one, the
 * first about one segment's worth of encoding after the start. In {@link SegmentListener#onSegment}
 * for {@code rungIndex == 0}: upload {@link SegmentEvent#segment()}, then upload {@link
 * SegmentEvent#mediaPlaylist()} as {@code 360p/index.m3u8} (an EVENT playlist that lists exactly
 * the uploaded segments and starts players at 0), and after the first one publish {@link
 * SegmentEvent#singleRungMasterPlaylist()} as the master playlist. When {@code transcode} returns,
 * upload the rest of {@link TranscodeResult#files()}: the final VOD playlists and the measured
 * master playlist replace the early ones.
 *
 * <p>Output layout under {@code outputDir}: {@code master.m3u8}, {@code poster.jpg}, and per rung
 * {@code <rung>/index.m3u8} + {@code <rung>/seg_00000.ts}… Leftovers of an earlier attempt in the
 * rung directories are removed first, so a retry into the same directory is clean.
 *
 * <p><b>A chosen sound.</b> When the uploader chose a sound ("use this sound"), its media is a
 * second input of the same ffmpeg run, looped ({@code -stream_loop -1}) and cut at the clip's
 * duration: its first audio track replaces the clip's own audio in every rung, and no audio
 * fingerprint is written (the clip's sound is the chosen one, there is nothing to match).
 */
public final class HlsLadderTranscoder {

  /** File name of each rung's media playlist. */
  public static final String MEDIA_PLAYLIST = "index.m3u8";

  /** File name of the master playlist. */
  public static final String MASTER_PLAYLIST = "master.m3u8";

  /** File name of the poster. */
  public static final String POSTER = "poster.jpg";

  private static final Logger log = LoggerFactory.getLogger(HlsLadderTranscoder.class);

  private static final String WORK_DIR = ".work";
  private static final String SEGMENT_PATTERN = "seg_%05d.ts";
  private static final int LOG_TAIL = 6000;
  private static final long MAX_WATCH_WAIT_MS = 500;

  /** Lines in ffmpeg's log that mean the input itself is bad (retrying will not help). */
  private static final List<String> CONTENT_ERRORS =
      List.of(
          "Invalid data found when processing input",
          "moov atom not found",
          "Decoder (codec",
          "Could not find codec parameters",
          "could not find codec parameters",
          "Unsupported codec",
          "Error while decoding stream",
          "does not contain any stream",
          "Output file is empty",
          "Invalid NAL unit",
          "no frame!");

  private final Path ffmpeg;

  /**
   * @param ffmpeg the ffmpeg executable; it must have libx264 and the native aac encoder
   */
  public HlsLadderTranscoder(Path ffmpeg) {
    this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg");
  }

  /**
   * Transcodes {@code source} into {@code outputDir}.
   *
   * @param source the original video (already probed and validated; see {@link MediaProbe})
   * @param outputDir where to write; created if needed
   * @param plan the ladder, from {@link LadderPlanner#plan(MediaInfo)}
   * @param options preset, CRF, segment length, timeout...
   * @param listener told about each completed segment, on the calling thread
   * @throws TranscodeException transient when ffmpeg was killed, timed out, failed without a
   *     content error, the listener threw, or the thread was interrupted (ffmpeg is killed in all
   *     these cases); permanent (with a {@link MediaRejection}) when the content could not be
   *     decoded
   */
  public TranscodeResult transcode(
      Path source,
      Path outputDir,
      LadderPlan plan,
      TranscodeOptions options,
      SegmentListener listener)
      throws TranscodeException {
    return transcode(source, Optional.empty(), outputDir, plan, options, listener);
  }

  /**
   * As {@link #transcode(Path, Path, LadderPlan, TranscodeOptions, SegmentListener)}, with the
   * audio of {@code sound} (a media file with an audio track, e.g. the original upload of the
   * sound's video), looped or trimmed to the clip's duration, in place of the source's own audio.
   */
  public TranscodeResult transcode(
      Path source,
      Optional<Path> sound,
      Path outputDir,
      LadderPlan plan,
      TranscodeOptions options,
      SegmentListener listener)
      throws TranscodeException {
    return transcode(source, sound, Optional.empty(), outputDir, plan, options, listener);
  }

  /**
   * As above, for a duet or stitch ({@code remix}): the source video is a second input and the
   * picture and audio the ladder encodes are composed from both (see {@link Remix}); {@code plan}
   * is then planned from {@link Remix#output}. A remix has no chosen sound.
   */
  public TranscodeResult transcode(
      Path source,
      Optional<Path> sound,
      Optional<Remix> remix,
      Path outputDir,
      LadderPlan plan,
      TranscodeOptions options,
      SegmentListener listener)
      throws TranscodeException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sound, "sound");
    Objects.requireNonNull(remix, "remix");
    if (sound.isPresent() && remix.isPresent()) {
      throw new IllegalArgumentException("a remix cannot use a chosen sound");
    }
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(listener, "listener");
    long started = System.nanoTime();
    Path work = outputDir.resolve(WORK_DIR);
    Path logFile = work.resolve("ffmpeg.log");
    Process process = null;
    WatchService watcher = null;
    try {
      prepare(outputDir, work, plan);
      List<String> command = command(source, sound, remix, outputDir, plan, options);
      boolean audio = hasAudio(plan, sound);
      log.debug("transcoding {}: {}", source, String.join(" ", command));
      watcher = FileSystems.getDefault().newWatchService();
      List<RungWatch> watches = new ArrayList<>();
      for (int i = 0; i < plan.rungs().size(); i++) {
        Rung rung = plan.rungs().get(i);
        Path dir = outputDir.resolve(rung.name());
        dir.register(
            watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        watches.add(new RungWatch(i, rung, dir));
      }
      process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(logFile.toFile())
              .start();
      WatchService toClose = watcher;
      // wakes the watch loop the moment ffmpeg exits
      process.onExit().thenRun(() -> closeQuietly(toClose));
      Progress progress = new Progress(started, plan, audio, options, listener);
      ProcessHandle handle = process.toHandle();
      callListener(() -> listener.onStart(handle));

      long deadline = started + options.timeout().toNanos();
      boolean alive = true;
      while (alive) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          Processes.kill(process);
          throw TranscodeException.transientFailure(
              "ffmpeg did not finish within " + options.timeout().toSeconds() + " s",
              null,
              Processes.tail(logFile, LOG_TAIL));
        }
        try {
          WatchKey key =
              watcher.poll(
                  Math.min(MAX_WATCH_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(left) + 1),
                  TimeUnit.MILLISECONDS);
          while (key != null) {
            key.pollEvents();
            key.reset();
            key = watcher.poll();
          }
        } catch (ClosedWatchServiceException exited) {
          // ffmpeg exited; fall through to the final scan below
        }
        alive = process.isAlive();
        // while ffmpeg runs, a playlist's final entry is held back: only a clean exit makes it
        // final
        for (RungWatch w : watches) {
          progress.scan(w, false);
        }
      }
      int exit = process.waitFor();
      String ffmpegLog = Processes.tail(logFile, LOG_TAIL);
      if (exit != 0) {
        throw failure(exit, ffmpegLog);
      }
      for (RungWatch w : watches) {
        progress.scan(w, true);
      }
      return finish(outputDir, work, plan, audio, options, watches, progress, started, ffmpegLog);
    } catch (ListenerFailure e) {
      Processes.kill(process);
      throw TranscodeException.transientFailure(
          "transcode aborted by its listener: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Processes.kill(process);
      Thread.currentThread().interrupt();
      throw TranscodeException.transientFailure("transcode interrupted", e);
    } catch (IOException | UncheckedIOException e) {
      Processes.kill(process);
      throw TranscodeException.transientFailure(
          "transcode failed on I/O: " + e.getMessage() + logSuffix(logFile), e);
    } finally {
      Processes.kill(process);
      closeQuietly(watcher);
      deleteTree(work);
    }
  }

  /** The ffmpeg command line {@link #transcode} runs (for logs, benchmarks and reports). */
  public List<String> command(
      Path source, Path outputDir, LadderPlan plan, TranscodeOptions options) {
    return command(source, Optional.empty(), outputDir, plan, options);
  }

  /** As above, with a chosen sound's audio in place of the source's (see the class comment). */
  public List<String> command(
      Path source,
      Optional<Path> sound,
      Path outputDir,
      LadderPlan plan,
      TranscodeOptions options) {
    return command(source, sound, Optional.empty(), outputDir, plan, options);
  }

  /**
   * As above, for a duet or stitch ({@code plan} is planned from the composed output, {@link
   * Remix#output}).
   */
  public List<String> command(
      Path source,
      Optional<Path> sound,
      Optional<Remix> remix,
      Path outputDir,
      LadderPlan plan,
      TranscodeOptions options) {
    List<Rung> rungs = plan.rungs();
    int n = rungs.size();
    boolean audio = hasAudio(plan, sound);
    // input 1, when there is a sound: looped so that a sound shorter than the clip fills it
    String audioStream = sound.isPresent() ? "1:a:0" : "0:a:0";
    Path work = outputDir.resolve(WORK_DIR);
    List<String> c = new ArrayList<>();
    c.add(ffmpeg.toString());
    c.addAll(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning", "-y"));
    c.addAll(List.of("-i", source.toAbsolutePath().toString()));
    sound.ifPresent(
        s -> c.addAll(List.of("-stream_loop", "-1", "-i", s.toAbsolutePath().toString())));
    remix.ifPresent(r -> c.addAll(r.inputArgs()));
    c.addAll(List.of("-filter_complex", filterGraph(plan, options, remix)));
    for (int i = 0; i < n; i++) {
      c.addAll(List.of("-map", "[r" + i + "]"));
      if (audio) {
        c.addAll(List.of("-map", remix.isPresent() ? "[ra" + i + "]" : audioStream));
      }
    }
    int gop = (int) Math.round(options.segmentSeconds() * plan.frameRate());
    c.addAll(List.of("-c:v", "libx264", "-preset", options.preset()));
    if (!options.lowestRungPreset().equals(options.preset())) {
      c.addAll(List.of("-preset:v:0", options.lowestRungPreset()));
    }
    if (!options.x264Params().isEmpty()) {
      for (int i = 1; i < n; i++) {
        c.addAll(List.of("-x264-params:v:" + i, options.x264Params()));
      }
    }
    c.addAll(
        List.of(
            "-profile:v",
            "high",
            "-crf",
            Integer.toString(options.crf()),
            "-g",
            Integer.toString(gop),
            "-keyint_min",
            Integer.toString(gop),
            "-sc_threshold",
            "0",
            "-force_key_frames",
            "expr:gte(t,n_forced*" + num(options.segmentSeconds()) + ")"));
    for (int i = 0; i < n; i++) {
      Rung r = rungs.get(i);
      c.addAll(List.of("-maxrate:v:" + i, r.videoMaxrateKbps() + "k"));
      c.addAll(List.of("-bufsize:v:" + i, r.videoBufsizeKbps() + "k"));
    }
    if (audio) {
      int channels =
          sound.isPresent() || remix.isPresent()
              ? 2
              : plan.source().audio().map(MediaInfo.Audio::channels).orElse(2);
      c.addAll(List.of("-c:a", "aac", "-ac", Integer.toString(channels == 1 ? 1 : 2)));
      for (int i = 0; i < n; i++) {
        c.addAll(List.of("-b:a:" + i, rungs.get(i).audioKbps() + "k"));
      }
    }
    if (options.threads() > 0) {
      c.addAll(List.of("-threads", Integer.toString(options.threads())));
    }
    StringBuilder streamMap = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        streamMap.append(' ');
      }
      streamMap.append("v:").append(i);
      if (audio) {
        streamMap.append(",a:").append(i);
      }
      streamMap.append(",name:").append(rungs.get(i).name());
    }
    if (sound.isPresent() || remix.isPresent()) {
      // the looped sound never ends: the ladder ends with the clip (a remix: with its plan)
      c.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", plan.source().durationSeconds())));
    }
    c.addAll(
        List.of(
            "-max_muxing_queue_size",
            "4096",
            "-f",
            "hls",
            "-hls_time",
            num(options.segmentSeconds()),
            "-hls_playlist_type",
            "event",
            "-hls_list_size",
            "0",
            "-hls_flags",
            "independent_segments+temp_file",
            "-hls_segment_type",
            "mpegts",
            "-start_number",
            "0",
            "-hls_segment_filename",
            outputDir.resolve("%v").resolve(SEGMENT_PATTERN).toString(),
            "-var_stream_map",
            streamMap.toString(),
            outputDir.resolve("%v").resolve(MEDIA_PLAYLIST).toString()));
    c.addAll(
        List.of(
            "-map",
            "[poster]",
            "-frames:v",
            "1",
            "-q:v",
            "2",
            "-f",
            "image2",
            "-update",
            "1",
            outputDir.resolve(POSTER).toString()));
    c.addAll(
        List.of(
            "-map",
            "[dhash]",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            work.resolve("dhash.gray").toString()));
    if (sound.isEmpty() && remix.isEmpty()) {
      // a remix's audio is not fingerprinted: like a clip using a sound, it makes no sound
      c.addAll(audioFingerprintOutput(plan, work));
    }
    return c;
  }

  private static boolean hasAudio(LadderPlan plan, Optional<Path> sound) {
    return plan.hasAudio() || sound.isPresent();
  }

  /** File (in the work directory) the Chromaprint muxer writes the raw audio fingerprint to. */
  static final String AUDIO_FINGERPRINT = "audio.fp";

  /**
   * The sound's fingerprint from the same decode: the source's first audio track, mono PCM, into
   * ffmpeg's {@code chromaprint} muxer (raw 32-bit sub-fingerprints). Nothing without audio.
   */
  static List<String> audioFingerprintOutput(LadderPlan plan, Path work) {
    if (!plan.hasAudio()) {
      return List.of();
    }
    return List.of(
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
        work.resolve(AUDIO_FINGERPRINT).toString());
  }

  /**
   * {@code [0:v]} → fps → split into: the rung cascade (largest rung scaled from the source, each
   * smaller one from the next larger), one poster frame, and 1 fps 9x8 grey frames for dHash.
   */
  String filterGraph(LadderPlan plan, TranscodeOptions options) {
    return filterGraph(plan, options, Optional.empty());
  }

  /** As above; a remix composes {@code [composed]} from both inputs first (see {@link Remix}). */
  String filterGraph(LadderPlan plan, TranscodeOptions options, Optional<Remix> remix) {
    List<Rung> rungs = plan.rungs();
    int n = rungs.size();
    StringBuilder g = new StringBuilder();
    String fps = fpsExpr(plan.frameRate());
    String picture = "0:v";
    if (remix.isPresent()) {
      g.append(remix.get().filterGraph(fps, plan.hasAudio() ? n : 0));
      picture = Remix.COMPOSED;
    }
    g.append('[').append(picture).append("]fps=").append(fps).append(",split=3[main][pst][dh];");
    String input = "main";
    for (int i = n - 1; i >= 0; i--) {
      Rung r = rungs.get(i);
      g.append('[').append(input).append(']');
      g.append("scale=").append(r.width()).append(':').append(r.height());
      g.append(":flags=bicubic,format=yuv420p,setsar=1");
      if (i > 0) {
        g.append(",split=2[r").append(i).append("][c").append(i).append("];");
        input = "c" + i;
      } else {
        g.append("[r0];");
      }
    }
    int[] poster = posterSize(plan, options);
    long frame = posterFrame(plan, options);
    g.append("[pst]trim=start_frame=").append(frame).append(":end_frame=").append(frame + 1);
    g.append(",scale=").append(poster[0]).append(':').append(poster[1]);
    g.append(":flags=bicubic,setsar=1[poster];");
    g.append("[dh]fps=1,scale=9:8:flags=area,format=gray[dhash]");
    return g.toString();
  }

  static int[] posterSize(LadderPlan plan, TranscodeOptions options) {
    Rung top = plan.highest();
    int max = options.posterMaxShortSide();
    if (top.shortSide() <= max) {
      return new int[] {top.width(), top.height()};
    }
    int longSide =
        (int) Math.round((double) Math.max(top.width(), top.height()) * max / top.shortSide() / 2)
            * 2;
    return top.isPortrait() ? new int[] {max, longSide} : new int[] {longSide, max};
  }

  static long posterFrame(LadderPlan plan, TranscodeOptions options) {
    double duration = plan.source().durationSeconds();
    double at =
        duration >= 2 * options.posterAtSeconds() ? options.posterAtSeconds() : duration / 2;
    long frame = (long) Math.floor(at * plan.frameRate());
    long lastFrame = (long) Math.floor(duration * plan.frameRate()) - 1;
    return Math.max(0, Math.min(frame, lastFrame));
  }

  static String fpsExpr(double fps) {
    long whole = Math.round(fps);
    if (Math.abs(fps - whole) < 1e-6) {
      return Long.toString(whole);
    }
    long ntsc = Math.round(fps * 1.001);
    if (Math.abs(fps - ntsc * 1000.0 / 1001) < 1e-6) {
      return ntsc * 1000 + "/1001";
    }
    return String.format(Locale.ROOT, "%.6f", fps);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }

  // ---------------------------------------------------------------------------------------------

  private TranscodeResult finish(
      Path outputDir,
      Path work,
      LadderPlan plan,
      boolean audio,
      TranscodeOptions options,
      List<RungWatch> watches,
      Progress progress,
      long started,
      String ffmpegLog)
      throws IOException, TranscodeException, InterruptedException {
    List<RungOutput> outputs = new ArrayList<>();
    for (RungWatch w : watches) {
      if (!w.ended || w.entries.isEmpty()) {
        throw TranscodeException.rejected(
            MediaRejection.of(
                MediaRejection.Reason.UNDECODABLE,
                "The video could not be decoded: no frames came out of it."),
            0,
            ffmpegLog);
      }
      writeAtomically(
          w.dir.resolve(MEDIA_PLAYLIST),
          MediaPlaylist.render(w.entries, w.entries.size(), options.segmentSeconds(), true));
      outputs.add(w.output(plan.frameRate(), options.segmentSeconds()));
    }
    Path poster = outputDir.resolve(POSTER);
    if (!Files.exists(poster) || Files.size(poster) == 0) {
      posterFallback(outputs.get(outputs.size() - 1).segments().get(0), poster, plan, options);
    }
    Path dhashFile = work.resolve("dhash.gray");
    byte[] dhash = Files.exists(dhashFile) ? Files.readAllBytes(dhashFile) : new byte[0];
    int whole = DHash.frameCount(dhash) * DHash.FRAME_BYTES;
    if (whole != dhash.length) {
      dhash = java.util.Arrays.copyOf(dhash, whole);
    }
    Path audioFingerprintFile = work.resolve(AUDIO_FINGERPRINT);
    byte[] audioFingerprint =
        Files.exists(audioFingerprintFile) ? Files.readAllBytes(audioFingerprintFile) : new byte[0];
    List<MasterPlaylist.Variant> variants = new ArrayList<>();
    for (RungOutput o : outputs) {
      variants.add(MasterPlaylist.Variant.measured(o, o.rung().name() + "/" + MEDIA_PLAYLIST));
    }
    Path master = outputDir.resolve(MASTER_PLAYLIST);
    writeAtomically(master, MasterPlaylist.render(variants));
    int[] posterSize = posterSize(plan, options);
    RungOutput top = outputs.get(outputs.size() - 1);
    return new TranscodeResult(
        outputDir,
        master,
        outputs,
        poster,
        posterSize[0],
        posterSize[1],
        dhash,
        top.durationSeconds(),
        plan.source().displayWidth(),
        plan.source().displayHeight(),
        plan.frameRate(),
        audio,
        Duration.ofNanos(System.nanoTime() - started),
        progress.firstSegmentReady == null ? Duration.ZERO : progress.firstSegmentReady,
        audioFingerprint);
  }

  /** Only when the poster frame was past the real end of the video (a lying duration). */
  private void posterFallback(Path segment, Path poster, LadderPlan plan, TranscodeOptions options)
      throws IOException, InterruptedException, TranscodeException {
    int[] size = posterSize(plan, options);
    Process p =
        new ProcessBuilder(
                ffmpeg.toString(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                segment.toString(),
                "-frames:v",
                "1",
                "-vf",
                "scale=" + size[0] + ":" + size[1] + ",setsar=1",
                "-q:v",
                "2",
                "-f",
                "image2",
                "-update",
                "1",
                poster.toString())
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(poster)) {
        throw TranscodeException.transientFailure("could not extract a poster frame", null);
      }
    } finally {
      Processes.kill(p);
    }
  }

  private static TranscodeException failure(int exit, String ffmpegLog) {
    if (Processes.diedBySignal(exit, ffmpegLog)) {
      return TranscodeException.transientFailure(
          "ffmpeg was killed by a signal (exit " + exit + ")", exit, ffmpegLog);
    }
    for (String marker : CONTENT_ERRORS) {
      if (ffmpegLog.contains(marker)) {
        return TranscodeException.rejected(
            MediaRejection.of(
                MediaRejection.Reason.UNDECODABLE,
                "The video could not be decoded; the file appears to be damaged."),
            exit,
            ffmpegLog);
      }
    }
    return TranscodeException.transientFailure(
        "ffmpeg exited with code " + exit + ": " + Processes.lastLine(ffmpegLog), exit, ffmpegLog);
  }

  private static void prepare(Path outputDir, Path work, LadderPlan plan) throws IOException {
    Files.createDirectories(outputDir);
    deleteTree(work);
    Files.createDirectories(work);
    Files.deleteIfExists(outputDir.resolve(MASTER_PLAYLIST));
    Files.deleteIfExists(outputDir.resolve(POSTER));
    for (Rung r : plan.rungs()) {
      Path dir = outputDir.resolve(r.name());
      deleteTree(dir);
      Files.createDirectories(dir);
    }
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(Processes::deleteQuietly);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  private static String logSuffix(Path logFile) {
    String tail = Processes.tail(logFile, 500);
    return tail.isEmpty() ? "" : " (ffmpeg: " + Processes.lastLine(tail) + ")";
  }

  private static void closeQuietly(WatchService w) {
    if (w == null) {
      return;
    }
    try {
      w.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private interface Callback {
    void run() throws Exception;
  }

  private static void callListener(Callback c) {
    try {
      c.run();
    } catch (Exception e) {
      throw new ListenerFailure(e);
    }
  }

  /** A listener threw; carried out of the loop to abort the transcode. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(Throwable cause) {
      super(cause);
    }
  }

  /** Per-rung state of the watch loop. */
  private static final class RungWatch {
    final int index;
    final Rung rung;
    final Path dir;
    final List<MediaPlaylist.Entry> entries = new ArrayList<>();
    String codecs;
    boolean ended;

    RungWatch(int index, Rung rung, Path dir) {
      this.index = index;
      this.rung = rung;
      this.dir = dir;
    }

    RungOutput output(double frameRate, double segmentSeconds) throws IOException {
      List<Path> segments = new ArrayList<>();
      List<Double> durations = new ArrayList<>();
      long[] bytes = new long[entries.size()];
      double[] seconds = new double[entries.size()];
      long total = 0;
      for (int i = 0; i < entries.size(); i++) {
        MediaPlaylist.Entry e = entries.get(i);
        Path seg = dir.resolve(e.uri());
        segments.add(seg);
        durations.add(e.durationSeconds());
        bytes[i] = Files.size(seg);
        seconds[i] = e.durationSeconds();
        total += bytes[i];
      }
      double duration = durations.stream().mapToDouble(Double::doubleValue).sum();
      long peak = RungOutput.peakBitrate(bytes, seconds, Math.ceil(segmentSeconds - 1e-6));
      long average = duration > 0 ? (long) Math.ceil(total * 8 / duration) : peak;
      return new RungOutput(
          rung,
          dir.resolve(MEDIA_PLAYLIST),
          segments,
          durations,
          codecs,
          frameRate,
          Math.max(peak, average),
          average,
          total);
    }
  }

  /** Reads playlists and tells the listener about new segments. */
  private static final class Progress {
    final long started;
    final LadderPlan plan;
    final boolean audio;
    final TranscodeOptions options;
    final SegmentListener listener;
    Duration firstSegmentReady;

    Progress(
        long started,
        LadderPlan plan,
        boolean audio,
        TranscodeOptions options,
        SegmentListener listener) {
      this.started = started;
      this.plan = plan;
      this.audio = audio;
      this.options = options;
      this.listener = listener;
    }

    /**
     * Emits the rung's segments that are listed and on disk. With {@code exitedCleanly} false the
     * final entry of an ENDLIST playlist is held back: ffmpeg also writes ENDLIST when it stops on
     * a signal, and such a rung must not be announced as complete.
     */
    void scan(RungWatch w, boolean exitedCleanly) throws IOException {
      Path playlist = w.dir.resolve(MEDIA_PLAYLIST);
      String text;
      try {
        text = Files.readString(playlist, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        return;
      }
      MediaPlaylist.Parsed parsed = MediaPlaylist.parse(text);
      List<MediaPlaylist.Entry> listed = parsed.entries();
      int available = listed.size();
      if (parsed.ended() && !exitedCleanly) {
        available--;
      }
      for (int i = w.entries.size(); i < available; i++) {
        MediaPlaylist.Entry e = listed.get(i);
        Path segment = w.dir.resolve(e.uri());
        if (!Files.exists(segment)) {
          return;
        }
        if (w.codecs == null) {
          w.codecs =
              Codecs.forSegment(segment, audio)
                  .orElseGet(
                      () -> {
                        log.warn("no H.264 SPS found in {}; assuming High@4.0", segment);
                        return "avc1.640028" + (audio ? "," + Codecs.AAC_LC : "");
                      });
        }
        w.entries.add(e);
        boolean last = parsed.ended() && exitedCleanly && i == listed.size() - 1;
        if (last) {
          w.ended = true;
        }
        if (w.index == 0 && firstSegmentReady == null) {
          firstSegmentReady = Duration.ofNanos(System.nanoTime() - started);
        }
        SegmentEvent event =
            new SegmentEvent(
                w.index,
                w.rung,
                i,
                segment,
                e.durationSeconds(),
                last,
                w.codecs,
                plan.frameRate(),
                MediaPlaylist.render(w.entries, w.entries.size(), options.segmentSeconds(), last));
        HlsLadderTranscoder.callListener(() -> listener.onSegment(event));
      }
      if (parsed.ended() && exitedCleanly && w.entries.size() == listed.size()) {
        w.ended = true;
      }
    }
  }
}
