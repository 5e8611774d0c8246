package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.flick.video.fingerprint.AudioFingerprint;
import io.flick.video.fingerprint.DHash;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class HlsLadderTranscoderTest {

  @TempDir static Path dir;

  static final MediaProbe PROBE = new MediaProbe(Media.PATHS.ffprobe());
  static final HlsLadderTranscoder TRANSCODER = new HlsLadderTranscoder(Media.PATHS.ffmpeg());
  static final LadderPlanner PLANNER = new LadderPlanner();
  static final TranscodeOptions OPTIONS = TranscodeOptions.defaults();

  /** A 3 s 720x1280 portrait clip with audio, transcoded once for several tests. */
  static Path portraitSource;

  static TranscodeResult portrait;
  static final List<SegmentEvent> portraitEvents = new CopyOnWriteArrayList<>();

  @BeforeAll
  @Timeout(120)
  static void transcodePortrait() throws Exception {
    portraitSource = Media.clip(dir, "portrait.mp4", "testsrc2", 720, 1280, 3, true);
    portrait = transcode(portraitSource, "portrait-out", portraitEvents::add);
  }

  static TranscodeResult transcode(Path source, String outName, SegmentListener listener)
      throws Exception {
    MediaInfo info = PROBE.probeAndValidate(source, MediaLimits.defaults());
    return TRANSCODER.transcode(
        source, dir.resolve(outName), PLANNER.plan(info), OPTIONS, listener);
  }

  @Test
  void portraitLadderIsPortraitSizedByTheShortSideAndNotUpscaled() throws Exception {
    assertThat(portrait.rungs())
        .extracting(r -> r.rung().resolution())
        .containsExactly("360x640", "720x1280");
    for (RungOutput r : portrait.rungs()) {
      assertThat(r.segments()).isNotEmpty().allMatch(Files::isRegularFile);
      assertThat(Media.videoSize(r.segments().get(0)))
          .containsExactly(r.rung().width(), r.rung().height());
    }
    assertThat(portrait.width()).isEqualTo(720);
    assertThat(portrait.height()).isEqualTo(1280);
    assertThat(portrait.durationSeconds()).isCloseTo(3.0, within(0.1));
    assertThat(portrait.frameRate()).isEqualTo(30);
  }

  @Test
  void masterPlaylistHasAllFiveAttributesFromMeasurements() throws Exception {
    String master = Files.readString(portrait.masterPlaylist(), StandardCharsets.UTF_8);
    List<Map<String, String>> variants = streamInfs(master);
    assertThat(variants).hasSize(2);
    for (int i = 0; i < variants.size(); i++) {
      Map<String, String> v = variants.get(i);
      RungOutput rung = portrait.rungs().get(i);
      assertThat(v)
          .containsKeys("BANDWIDTH", "AVERAGE-BANDWIDTH", "RESOLUTION", "CODECS", "FRAME-RATE");
      assertThat(v.get("RESOLUTION")).isEqualTo(rung.rung().resolution());
      assertThat(v.get("FRAME-RATE")).isEqualTo("30.000");
      assertThat(v.get("CODECS")).matches("\"avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2\"");
      long bandwidth = Long.parseLong(v.get("BANDWIDTH"));
      long average = Long.parseLong(v.get("AVERAGE-BANDWIDTH"));
      assertThat(average).isPositive().isLessThanOrEqualTo(bandwidth);
      long bytes = 0;
      for (Path s : rung.segments()) {
        bytes += Files.size(s);
      }
      assertThat(average).isCloseTo((long) (bytes * 8 / rung.durationSeconds()), within(1000L));
      assertThat(v.get("uri")).isEqualTo(rung.rung().name() + "/index.m3u8");
      Path mediaPlaylist = portrait.outputDir().resolve(v.get("uri"));
      String media = Files.readString(mediaPlaylist, StandardCharsets.UTF_8);
      assertThat(media).contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-ENDLIST");
      for (MediaPlaylist.Entry e : MediaPlaylist.parse(media).entries()) {
        assertThat(mediaPlaylist.resolveSibling(e.uri())).isRegularFile();
      }
    }
    assertThat(variants.get(0).get("RESOLUTION")).as("lowest first").isEqualTo("360x640");
  }

  @Test
  void codecsComeFromTheEncodedStream() throws Exception {
    for (RungOutput r : portrait.rungs()) {
      List<String> probed =
          Media.ffprobe(
              "-select_streams",
              "v:0",
              "-show_entries",
              "stream=profile,level",
              "-of",
              "csv=p=0",
              r.segments().get(0).toString());
      String[] profileLevel = probed.get(0).split(",");
      assertThat(profileLevel[0]).isEqualTo("High");
      String levelHex = String.format("%02x", Integer.parseInt(profileLevel[1]));
      assertThat(r.codecs()).isEqualTo("avc1.6400" + levelHex + ",mp4a.40.2");
    }
  }

  @Test
  void keyframesAreAlignedAcrossRungsEveryTwoSeconds() throws Exception {
    List<List<Double>> keyframesPerRung = new ArrayList<>();
    for (RungOutput r : portrait.rungs()) {
      List<Double> keyframes = new ArrayList<>();
      for (Path segment : r.segments()) {
        List<String> packets =
            Media.ffprobe(
                "-select_streams",
                "v:0",
                "-show_entries",
                "packet=pts_time,flags",
                "-of",
                "csv=p=0",
                segment.toString());
        assertThat(packets.get(0)).as("%s starts with a keyframe", segment).contains("K");
        for (String p : packets) {
          if (p.contains("K")) {
            keyframes.add(Double.parseDouble(p.split(",")[0]));
          }
        }
      }
      Collections.sort(keyframes);
      keyframesPerRung.add(keyframes);
    }
    List<Double> first = keyframesPerRung.get(0);
    assertThat(first).hasSize(2);
    assertThat(first.get(1) - first.get(0)).isCloseTo(2.0, within(0.001));
    assertThat(keyframesPerRung).allSatisfy(k -> assertThat(k).isEqualTo(first));
    assertThat(portrait.rungs())
        .allSatisfy(
            r ->
                assertThat(r.segmentDurations())
                    .isEqualTo(portrait.rungs().get(0).segmentDurations()));
  }

  @Test
  void posterIsADisplayOrientedJpeg() throws Exception {
    byte[] bytes = Files.readAllBytes(portrait.poster());
    assertThat(bytes).startsWith((byte) 0xFF, (byte) 0xD8);
    BufferedImage img = ImageIO.read(portrait.poster().toFile());
    assertThat(img.getWidth()).isEqualTo(720);
    assertThat(img.getHeight()).isEqualTo(1280);
    assertThat(portrait.posterWidth()).isEqualTo(720);
    assertThat(portrait.posterHeight()).isEqualTo(1280);
  }

  @Test
  void dhashMaterialIs72BytesPerSecond() {
    assertThat(portrait.dhashMaterial().length).isEqualTo(72 * 3);
    assertThat(portrait.dhashes()).hasSize(3);
  }

  @Test
  void listenerHearsEverySegmentInOrderAndCanPublishTheLowestRungEarly() throws Exception {
    for (int i = 0; i < portrait.rungs().size(); i++) {
      int rungIndex = i;
      RungOutput rung = portrait.rungs().get(i);
      List<SegmentEvent> events =
          portraitEvents.stream().filter(e -> e.rungIndex() == rungIndex).toList();
      assertThat(events).extracting(SegmentEvent::segment).isEqualTo(rung.segments());
      assertThat(events).extracting(SegmentEvent::sequence).containsExactly(0, 1);
      assertThat(events).extracting(SegmentEvent::last).containsExactly(false, true);
      assertThat(events).allMatch(e -> e.codecs().equals(rung.codecs()));
      SegmentEvent firstEvent = events.get(0);
      assertThat(firstEvent.mediaPlaylist())
          .contains("#EXT-X-PLAYLIST-TYPE:EVENT", "seg_00000.ts")
          .doesNotContain("seg_00001.ts", "#EXT-X-ENDLIST");
      assertThat(events.get(1).mediaPlaylist())
          .isEqualTo(Files.readString(rung.mediaPlaylist(), StandardCharsets.UTF_8));
    }
    SegmentEvent earliest =
        portraitEvents.stream().filter(e -> e.rungIndex() == 0).findFirst().orElseThrow();
    List<Map<String, String>> early = streamInfs(earliest.singleRungMasterPlaylist());
    assertThat(early).hasSize(1);
    assertThat(early.get(0))
        .containsEntry("RESOLUTION", "360x640")
        .containsEntry("uri", "360p/index.m3u8")
        .containsKeys("BANDWIDTH", "AVERAGE-BANDWIDTH", "CODECS", "FRAME-RATE");
    assertThat(earliest.relativeUri()).isEqualTo("360p/seg_00000.ts");
    assertThat(portrait.firstSegmentReady()).isPositive().isLessThanOrEqualTo(portrait.elapsed());
    assertThat(portrait.files())
        .allMatch(Files::isRegularFile)
        .allMatch(f -> f.startsWith(portrait.outputDir()));
    assertThat(portrait.outputDir().resolve(".work")).doesNotExist();
  }

  @Test
  void landscapeLadder() throws Exception {
    Path src = Media.clip(dir, "landscape.mp4", "testsrc2", 1280, 720, 2, true);
    TranscodeResult r = transcode(src, "landscape-out", SegmentListener.NONE);
    assertThat(r.rungs())
        .extracting(o -> o.rung().resolution())
        .containsExactly("640x360", "1280x720");
    assertThat(Media.videoSize(r.rungs().get(0).segments().get(0))).containsExactly(640, 360);
    BufferedImage poster = ImageIO.read(r.poster().toFile());
    assertThat(poster.getWidth()).isGreaterThan(poster.getHeight());
  }

  @Test
  void rotationMetadataIsHonoured() throws Exception {
    Path coded = Media.clip(dir, "sideways.mp4", "testsrc2", 640, 360, 2, true);
    Path rotated = dir.resolve("rotated.mp4");
    Media.ffmpeg(
        "-i", coded.toString(), "-c", "copy", "-metadata:s:v", "rotate=90", rotated.toString());
    MediaInfo info = PROBE.probeAndValidate(rotated, MediaLimits.defaults());
    assertThat(info.displaySize()).isEqualTo("360x640");
    TranscodeResult r = transcode(rotated, "rotated-out", SegmentListener.NONE);
    assertThat(r.rungs()).extracting(o -> o.rung().resolution()).containsExactly("360x640");
    assertThat(Media.videoSize(r.rungs().get(0).segments().get(0))).containsExactly(360, 640);
    BufferedImage poster = ImageIO.read(r.poster().toFile());
    assertThat(poster.getWidth()).isEqualTo(360);
    assertThat(poster.getHeight()).isEqualTo(640);
  }

  @Test
  void sourceWithoutAudioGivesVideoOnlyRungs() throws Exception {
    Path src = Media.clip(dir, "silent.mp4", "testsrc2", 360, 640, 2, false);
    TranscodeResult r = transcode(src, "silent-out", SegmentListener.NONE);
    assertThat(r.hasAudio()).isFalse();
    RungOutput rung = r.rungs().get(0);
    assertThat(rung.codecs()).matches("avc1\\.64[0-9a-f]{4}");
    assertThat(Media.streamTypes(rung.segments().get(0))).containsExactly("video");
    String master = Files.readString(r.masterPlaylist(), StandardCharsets.UTF_8);
    assertThat(master).contains("CODECS=\"" + rung.codecs() + "\"").doesNotContain("mp4a");
  }

  @Test
  void dhashTellsAReencodeFromAnUnrelatedClip() throws Exception {
    Path reencoded = dir.resolve("reencoded.mp4");
    Media.ffmpeg(
        "-i",
        portraitSource.toString(),
        "-vf",
        "scale=360:640",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "35",
        "-c:a",
        "copy",
        reencoded.toString());
    Path unrelated = Media.clip(dir, "unrelated.mp4", "mandelbrot", 360, 640, 3, true);
    long[] original = portrait.dhashes();
    long[] copy = transcode(reencoded, "reencoded-out", SegmentListener.NONE).dhashes();
    long[] other = transcode(unrelated, "unrelated-out", SegmentListener.NONE).dhashes();
    assertThat(copy).hasSameSizeAs(original);
    double near = DHash.meanDistance(original, copy);
    double far = DHash.meanDistance(original, other);
    assertThat(near).isLessThan(8);
    assertThat(far).isGreaterThan(20);
  }

  @Test
  void ffmpegKilledMidRunIsATransientFailure() throws Exception {
    try (StalledSource stalled = StalledSource.open(dir, "killed")) {
      List<ProcessHandle> ffmpeg = new CopyOnWriteArrayList<>();
      List<SegmentEvent> seen = new CopyOnWriteArrayList<>();
      SegmentListener killer =
          new SegmentListener() {
            @Override
            public void onStart(ProcessHandle handle) {
              ffmpeg.add(handle);
            }

            @Override
            public void onSegment(SegmentEvent event) {
              seen.add(event);
              ffmpeg.get(0).destroyForcibly(); // SIGKILL, as an OOM killer or a crash would
            }
          };
      TranscodeException e =
          catchThrowableOfType(
              TranscodeException.class,
              () ->
                  TRANSCODER.transcode(
                      stalled.fifo, dir.resolve("killed-out"), stalled.plan, OPTIONS, killer));
      assertThat(e).isNotNull();
      assertThat(e.isTransient()).isTrue();
      assertThat(e.rejection()).isEmpty();
      assertThat(e.exitCode()).contains(137);
      assertThat(e.getMessage()).contains("killed");
      assertThat(seen).isNotEmpty().noneMatch(SegmentEvent::last);
      assertThat(ffmpeg.get(0).isAlive()).isFalse();
    }
  }

  @Test
  void ffmpegTerminatedMidRunIsTransientAndNoRungIsAnnouncedComplete() throws Exception {
    try (StalledSource stalled = StalledSource.open(dir, "terminated")) {
      List<ProcessHandle> ffmpeg = new CopyOnWriteArrayList<>();
      List<SegmentEvent> seen = new CopyOnWriteArrayList<>();
      SegmentListener terminator =
          new SegmentListener() {
            @Override
            public void onStart(ProcessHandle handle) {
              ffmpeg.add(handle);
            }

            @Override
            public void onSegment(SegmentEvent event) {
              seen.add(event);
              ffmpeg.get(0).destroy(); // SIGTERM: ffmpeg stops gracefully and writes ENDLIST
            }
          };
      TranscodeException e =
          catchThrowableOfType(
              TranscodeException.class,
              () ->
                  TRANSCODER.transcode(
                      stalled.fifo,
                      dir.resolve("terminated-out"),
                      stalled.plan,
                      OPTIONS,
                      terminator));
      assertThat(e).isNotNull();
      assertThat(e.isTransient()).isTrue();
      assertThat(e.exitCode()).contains(255);
      assertThat(seen).isNotEmpty().noneMatch(SegmentEvent::last);
    }
  }

  @Test
  void aHungFfmpegTimesOutAsTransient() throws Exception {
    try (StalledSource stalled = StalledSource.open(dir, "hung")) {
      TranscodeException e =
          catchThrowableOfType(
              TranscodeException.class,
              () ->
                  TRANSCODER.transcode(
                      stalled.fifo,
                      dir.resolve("hung-out"),
                      stalled.plan,
                      OPTIONS.withTimeout(java.time.Duration.ofSeconds(1)),
                      SegmentListener.NONE));
      assertThat(e.isTransient()).isTrue();
      assertThat(e.getMessage()).contains("did not finish");
    }
  }

  @Test
  void aFailingListenerAbortsTheTranscodeAsTransient() throws Exception {
    Path src = Media.clip(dir, "listener.mp4", "testsrc2", 360, 640, 2, false);
    IllegalStateException uploadFailed = new IllegalStateException("S3 unavailable");
    TranscodeException e =
        catchThrowableOfType(
            TranscodeException.class,
            () ->
                transcode(
                    src,
                    "listener-out",
                    event -> {
                      throw uploadFailed;
                    }));
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getCause()).isSameAs(uploadFailed);
  }

  @Test
  void commandLineIsOneProcessWithTheWholeLadder() throws Exception {
    MediaInfo info = PROBE.probe(portraitSource);
    List<String> cmd =
        TRANSCODER.command(portraitSource, dir.resolve("x"), PLANNER.plan(info), OPTIONS);
    assertThat(cmd.stream().filter("-i"::equals)).hasSize(1);
    String joined = String.join(" ", cmd);
    assertThat(joined)
        .contains("-force_key_frames expr:gte(t,n_forced*2)")
        .contains("-sc_threshold 0")
        .contains("-g 60 -keyint_min 60")
        .contains("-preset ultrafast -preset:v:0 veryfast")
        .contains("-x264-params:v:1 " + TranscodeOptions.FAST_X264_PARAMS)
        .doesNotContain("-x264-params:v:0")
        .contains("-maxrate:v:0 800k -bufsize:v:0 1600k")
        .contains("-var_stream_map v:0,a:0,name:360p v:1,a:1,name:720p");
  }

  // ---------------------------------------------------------------------------------------------

  private static final Pattern ATTR = Pattern.compile("([A-Z-]+)=(\"[^\"]*\"|[^,]*)");

  /** Each EXT-X-STREAM-INF's attributes plus its URI under "uri". */
  static List<Map<String, String>> streamInfs(String master) {
    List<Map<String, String>> out = new ArrayList<>();
    String[] lines = master.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("#EXT-X-STREAM-INF:")) {
        Map<String, String> attrs = new HashMap<>();
        Matcher m = ATTR.matcher(lines[i].substring("#EXT-X-STREAM-INF:".length()));
        while (m.find()) {
          attrs.put(m.group(1), m.group(2));
        }
        attrs.put("uri", lines[i + 1]);
        out.add(attrs);
      }
    }
    return out;
  }

  /**
   * A source that ffmpeg reads through a named pipe: the first part of a 8 s MPEG-TS clip is
   * written, then the writer holds the pipe open without writing more, so ffmpeg produces the first
   * segments and then waits — mid-run, deterministically, without sleeping.
   */
  static final class StalledSource implements AutoCloseable {
    final Path fifo;
    final LadderPlan plan;
    private final Thread writer;
    private final java.util.concurrent.CountDownLatch release =
        new java.util.concurrent.CountDownLatch(1);

    private StalledSource(Path fifo, LadderPlan plan, byte[] head) {
      this.fifo = fifo;
      this.plan = plan;
      this.writer =
          new Thread(
              () -> {
                try (var out = Files.newOutputStream(fifo)) {
                  out.write(head);
                  out.flush();
                  release.await();
                } catch (Exception ignored) {
                  // ffmpeg was killed: the pipe broke, as intended
                }
              },
              "stalled-source-writer");
      writer.setDaemon(true);
      writer.start();
    }

    static StalledSource open(Path dir, String name) throws Exception {
      Path ts = dir.resolve(name + ".ts");
      Media.ffmpeg(
          "-f",
          "lavfi",
          "-i",
          "testsrc2=size=360x640:rate=30:duration=8",
          "-f",
          "lavfi",
          "-i",
          "sine=frequency=440:sample_rate=48000:duration=8",
          "-c:v",
          "libx264",
          "-preset",
          "ultrafast",
          "-pix_fmt",
          "yuv420p",
          "-c:a",
          "aac",
          "-b:a",
          "64k",
          "-f",
          "mpegts",
          ts.toString());
      LadderPlan plan = PLANNER.plan(PROBE.probe(ts));
      byte[] all = Files.readAllBytes(ts);
      Path fifo = dir.resolve(name + ".fifo");
      Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      assertThat(mk.waitFor()).isZero();
      return new StalledSource(fifo, plan, java.util.Arrays.copyOf(all, all.length * 3 / 4));
    }

    @Override
    public void close() throws InterruptedException {
      release.countDown();
      writer.join(10_000);
    }
  }

  // --- "use this sound": the chosen sound's audio replaces the clip's own, in the same run ---

  static final String CLIP_OWN_AUDIO =
      "aevalsrc=0.4*sin(2*PI*(220+40*floor(mod(t*2\\,4)))*t):s=48000";
  static final String SOUND_AUDIO =
      "aevalsrc=0.5*sin(2*PI*(880*pow(2\\,-floor(mod(t*3\\,7))/12))*t)*gt(mod(t\\,0.33)\\,0.1)"
          + ":s=44100";
  static final AudioFingerprinter FINGERPRINTER =
      new AudioFingerprinter(Media.PATHS.ffmpeg(), java.time.Duration.ofMinutes(1));

  /** A 360x640 clip (testsrc2) with its own melody, or a sound's original video with another. */
  static Path withAudio(String name, String video, String audio, double seconds) throws Exception {
    Path out = dir.resolve(name);
    Media.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        video + "=size=360x640:rate=30",
        "-f",
        "lavfi",
        "-i",
        audio,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-t",
        Double.toString(seconds),
        out.toString());
    return out;
  }

  /** The lowest rung's segments joined (MPEG-TS concatenates), to fingerprint and probe. */
  static Path lowestRung(TranscodeResult result, String name) throws Exception {
    Path joined = dir.resolve(name);
    try (var out = Files.newOutputStream(joined)) {
      for (Path segment : result.rungs().get(0).segments()) {
        Files.copy(segment, out);
      }
    }
    return joined;
  }

  static double audioSeconds(Path media) throws Exception {
    List<String> d =
        Media.ffprobe(
            "-select_streams",
            "a:0",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
            media.toString());
    return Double.parseDouble(d.get(0));
  }

  @Test
  @Timeout(180)
  void aChosenSoundShorterThanTheClipIsLoopedInPlaceOfItsAudio() throws Exception {
    Path clip = withAudio("sound-clip.mp4", "testsrc2", CLIP_OWN_AUDIO, 12);
    Path sound = withAudio("sound-original.mp4", "mandelbrot", SOUND_AUDIO, 5);
    MediaInfo info = PROBE.probeAndValidate(clip, MediaLimits.defaults());
    TranscodeResult result =
        TRANSCODER.transcode(
            clip,
            java.util.Optional.of(sound),
            dir.resolve("sound-looped-out"),
            PLANNER.plan(info),
            OPTIONS,
            e -> {});

    assertThat(result.hasAudio()).isTrue();
    assertThat(result.durationSeconds()).isCloseTo(12.0, within(0.2));
    assertThat(result.audioFingerprint())
        .as("nothing to match: its sound is the chosen one")
        .isEmpty();
    Path out = lowestRung(result, "sound-looped.ts");
    assertThat(audioSeconds(out)).as("cut at the clip's length").isCloseTo(12.0, within(0.3));

    Path looped = dir.resolve("sound-looped-reference.m4a");
    Media.ffmpeg(
        "-stream_loop",
        "-1",
        "-i",
        sound.toString(),
        "-map",
        "0:a:0",
        "-t",
        "12",
        "-c:a",
        "aac",
        looped.toString());
    AudioFingerprint heard = FINGERPRINTER.fingerprint(out);
    assertThat(heard.isFeatureless()).isFalse();
    assertThat(heard.matches(FINGERPRINTER.fingerprint(looped)))
        .as(
            "the output's audio is the sound, looped (bit error rate %.3f)",
            heard.bitErrorRate(FINGERPRINTER.fingerprint(looped)))
        .isTrue();
    assertThat(heard.matches(FINGERPRINTER.fingerprint(clip)))
        .as("the clip's own audio is gone")
        .isFalse();
  }

  @Test
  @Timeout(180)
  void aChosenSoundLongerThanTheClipIsTrimmedToIt() throws Exception {
    Path clip = withAudio("trim-clip.mp4", "testsrc2", CLIP_OWN_AUDIO, 8);
    Path sound = withAudio("trim-sound.mp4", "mandelbrot", SOUND_AUDIO, 20);
    MediaInfo info = PROBE.probeAndValidate(clip, MediaLimits.defaults());
    TranscodeResult result =
        TRANSCODER.transcode(
            clip,
            java.util.Optional.of(sound),
            dir.resolve("sound-trimmed-out"),
            PLANNER.plan(info),
            OPTIONS,
            e -> {});

    assertThat(result.durationSeconds()).isCloseTo(8.0, within(0.2));
    Path out = lowestRung(result, "sound-trimmed.ts");
    assertThat(audioSeconds(out)).isCloseTo(8.0, within(0.3));
    AudioFingerprint heard = FINGERPRINTER.fingerprint(out);
    assertThat(heard.matches(FINGERPRINTER.fingerprint(sound)))
        .as("the output's audio is the sound's beginning")
        .isTrue();
    assertThat(heard.matches(FINGERPRINTER.fingerprint(clip))).isFalse();
  }

  @Test
  @Timeout(120)
  void aSilentClipGetsTheChosenSoundsAudio() throws Exception {
    Path clip = Media.clip(dir, "silent-clip.mp4", "mandelbrot", 360, 640, 3, false);
    Path sound = withAudio("silent-sound.mp4", "rgbtestsrc", SOUND_AUDIO, 5);
    MediaInfo info = PROBE.probeAndValidate(clip, MediaLimits.defaults());
    assertThat(info.hasAudio()).isFalse();
    TranscodeResult result =
        TRANSCODER.transcode(
            clip,
            java.util.Optional.of(sound),
            dir.resolve("silent-out"),
            PLANNER.plan(info),
            OPTIONS,
            e -> {});

    assertThat(result.hasAudio()).isTrue();
    assertThat(result.rungs().get(0).codecs()).endsWith(",mp4a.40.2");
    assertThat(Media.streamTypes(result.rungs().get(0).segments().get(0))).contains("audio");
    assertThat(result.durationSeconds()).isCloseTo(3.0, within(0.2));
  }

  @Test
  void aChosenSoundIsASecondLoopedInputOfTheSameProcess() throws Exception {
    MediaInfo info = PROBE.probe(portraitSource);
    Path sound = dir.resolve("any-sound.mp4");
    List<String> cmd =
        TRANSCODER.command(
            portraitSource,
            java.util.Optional.of(sound),
            dir.resolve("y"),
            PLANNER.plan(info),
            OPTIONS);
    String joined = String.join(" ", cmd);
    assertThat(cmd.stream().filter("-i"::equals)).hasSize(2);
    assertThat(joined)
        .contains("-stream_loop -1 -i " + sound.toAbsolutePath())
        .contains("-map [r0] -map 1:a:0 -map [r1] -map 1:a:0")
        .doesNotContain("0:a:0")
        .doesNotContain("chromaprint")
        .containsPattern(" -t 3\\.0\\d\\d ");
  }
}
