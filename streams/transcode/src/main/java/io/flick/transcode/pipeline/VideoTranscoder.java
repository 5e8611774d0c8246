package io.flick.transcode.pipeline;

import io.flick.transcode.media.ContentVector;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.LadderPlan;
import io.flick.transcode.media.LadderPlanner;
import io.flick.transcode.media.MediaInfo;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.MediaRejection;
import io.flick.transcode.media.Remix;
import io.flick.transcode.media.RungOutput;
import io.flick.transcode.media.SegmentEvent;
import io.flick.transcode.media.SegmentListener;
import io.flick.transcode.media.TranscodeException;
import io.flick.transcode.media.TranscodeOptions;
import io.flick.transcode.media.TranscodeResult;
import io.flick.video.MediaKeys;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary.RemixKind;
import io.flick.video.VideoSummary.RemixOf;
import io.flick.video.VideoSummary.Rendition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * One attempt at one video, blocking (run on the transcode dispatcher): download the original,
 * probe it, run the single ffmpeg ladder while uploading segments as they complete, publish the
 * lowest rung as soon as its first segment is up, then upload the rest.
 */
final class VideoTranscoder {
  private static final Logger log = LoggerFactory.getLogger(VideoTranscoder.class);
  static final String FIRST_RUNG_MASTER = "first.m3u8";

  /**
   * What the attempt produced: READY material. Rejections and faults are thrown. {@code content} is
   * the content vector, empty when it could not be computed (never a reason to fail).
   */
  record Ready(
      long durationMs,
      int width,
      int height,
      List<Rendition> renditions,
      String masterKey,
      String posterKey,
      String dhash,
      String audioFingerprint,
      List<Float> content) {}

  private final S3AsyncClient s3;
  private final String bucket;
  private final VideoService videos;
  private final MediaProbe probe;
  private final HlsLadderTranscoder transcoder;
  private final LadderPlanner planner = new LadderPlanner();
  private final ContentVector contentVector;
  private final TranscodeOptions options;
  private final MediaLimits limits;
  private final Path workDir;

  VideoTranscoder(
      S3AsyncClient s3,
      String bucket,
      VideoService videos,
      MediaProbe probe,
      HlsLadderTranscoder transcoder,
      TranscodeOptions options,
      MediaLimits limits,
      Path workDir,
      ContentVector contentVector) {
    this.contentVector = contentVector;
    this.s3 = s3;
    this.bucket = bucket;
    this.videos = videos;
    this.probe = probe;
    this.transcoder = transcoder;
    this.options = options;
    this.limits = limits;
    this.workDir = workDir;
  }

  Ready transcode(String videoId, String sourceKey, int attempt) throws TranscodeException {
    return transcode(videoId, sourceKey, 0, Optional.empty(), attempt);
  }

  /**
   * As above; when {@code declaredBytes} is positive, an original larger than the upload declared
   * is refused before it is downloaded (FAILED with a reason, nothing transcoded). With {@code
   * soundId} (the sound chosen at upload), the audio of that sound's original video (its stored
   * original, {@link MediaKeys#source}) replaces the clip's own in the same ffmpeg run.
   */
  Ready transcode(
      String videoId, String sourceKey, long declaredBytes, Optional<String> soundId, int attempt)
      throws TranscodeException {
    return transcode(videoId, sourceKey, declaredBytes, soundId, Optional.empty(), attempt);
  }

  /**
   * As above; with {@code remix} (a duet or stitch), the remixed video's stored original ({@link
   * MediaKeys#source}) is the second input of the same ffmpeg run, and the ladder is made of the
   * picture and audio composed from both ({@link Remix}).
   */
  Ready transcode(
      String videoId,
      String sourceKey,
      long declaredBytes,
      Optional<String> soundId,
      Optional<RemixOf> remixOf,
      int attempt)
      throws TranscodeException {
    if (declaredBytes > 0) {
      long stored;
      try {
        stored = s3.headObject(b -> b.bucket(bucket).key(sourceKey)).join().contentLength();
      } catch (RuntimeException e) {
        throw TranscodeException.transientFailure(
            "could not look at the original: " + e.getMessage(), e);
      }
      if (stored > declaredBytes) {
        throw TranscodeException.rejected(
            new MediaRejection(
                MediaRejection.Reason.FILE_TOO_LARGE,
                "The file is "
                    + stored
                    + " bytes but the upload declared "
                    + declaredBytes
                    + " bytes."));
      }
    }
    // a directory of this attempt's own: after a Kafka rebalance two nodes may transcode the same
    // video at once (at-least-once delivery), and nodes on one machine share the work dir; a
    // name of videoId and attempt alone let one delete the other's source mid-probe, which read
    // as a damaged file and FAILED the upload (ClusterFaultsIT)
    Path dir;
    try {
      Files.createDirectories(workDir);
      dir = Files.createTempDirectory(workDir, videoId + "-" + attempt + "-");
    } catch (IOException e) {
      throw TranscodeException.transientFailure("work directory: " + e.getMessage(), e);
    }
    try {
      Path source = dir.resolve("source");
      try {
        s3.getObject(b -> b.bucket(bucket).key(sourceKey), AsyncResponseTransformer.toFile(source))
            .join();
      } catch (RuntimeException e) {
        throw TranscodeException.transientFailure(
            "could not download the original: " + e.getMessage(), e);
      }
      MediaInfo info = probe.probeAndValidate(source, limits);
      Optional<Remix> remix =
          remixOf.isEmpty()
              ? Optional.empty()
              : Optional.of(remix(remixOf.get(), info, dir.resolve("remixed")));
      // a remix's ladder is planned from what it composes: its canvas, its duration
      MediaInfo output = remix.map(Remix::output).orElse(info);
      LadderPlan plan = planner.plan(output);
      Optional<Path> sound =
          soundId.isEmpty() ? Optional.empty() : Optional.of(dir.resolve("sound"));
      if (sound.isPresent()) {
        downloadSound(soundId.get(), sound.get());
      }
      Path out = dir.resolve("out");
      Uploader uploader = new Uploader(videoId, out, output);
      TranscodeResult result =
          transcoder.transcode(source, sound, remix, out, plan, options, uploader);
      return uploader.finish(result, content(source, info, result, dir));
    } catch (UncheckedIOException e) {
      throw TranscodeException.transientFailure("work directory: " + e.getMessage(), e);
    } finally {
      deleteRecursively(dir);
    }
  }

  /**
   * A sound's id is its original video's id, whose original upload stays in the bucket while that
   * video exists. Gone (the video was deleted after the upload chose its sound): the clip is
   * refused rather than published with audio that is not the sound it names.
   */
  private void downloadSound(String soundId, Path target) throws TranscodeException {
    try {
      s3.getObject(
              b -> b.bucket(bucket).key(MediaKeys.source(soundId)),
              AsyncResponseTransformer.toFile(target))
          .join();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof NoSuchKeyException) {
        throw TranscodeException.rejected(
            new MediaRejection(
                MediaRejection.Reason.SOUND_UNAVAILABLE,
                "The chosen sound is no longer available; please upload again without it."));
      }
      throw TranscodeException.transientFailure(
          "could not download the sound " + soundId + ": " + e.getMessage(), e);
    }
  }

  /**
   * The remixed video as its viewers see it: its top rendered rung (playlist and segments),
   * downloaded next to the clip and probed. Not its stored original: a clip that used a sound plays
   * the sound, not its own recorded audio, and a remix's original is only its new half. Gone (the
   * source was deleted or removed after the remix was accepted): the remix is refused, not retried.
   */
  private Remix remix(RemixOf of, MediaInfo clip, Path dir) throws TranscodeException {
    Path target;
    try {
      target = downloadTopRung(of.videoId(), dir);
    } catch (RuntimeException | IOException e) {
      throw TranscodeException.transientFailure(
          "could not download the remixed video " + of.videoId() + ": " + e.getMessage(), e);
    }
    if (target == null) {
      throw TranscodeException.rejected(
          new MediaRejection(
              MediaRejection.Reason.REMIX_SOURCE_UNAVAILABLE,
              "The video this "
                  + (of.kind() == RemixKind.DUET ? "duet" : "stitch")
                  + " remixes is no longer available; please upload again without it."));
    }
    MediaInfo sourceInfo = probe.probe(target);
    return of.kind() == RemixKind.DUET
        ? Remix.duet(clip, target, sourceInfo)
        : Remix.stitch(clip, target, sourceInfo, of.fromMs(), of.toMs());
  }

  /**
   * Downloads the tallest rung of {@code videoId}'s published ladder ({@code <rung>/index.m3u8} and
   * its segments) into {@code dir}; its local playlist, or null when the video has no media left.
   */
  private Path downloadTopRung(String videoId, Path dir) throws IOException {
    String prefix = MediaKeys.mediaPrefix(videoId);
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
        .contents()
        .subscribe(o -> keys.add(o.key()))
        .join();
    Optional<String> rung =
        keys.stream()
            .map(k -> k.substring(prefix.length()))
            .filter(k -> k.endsWith("/" + HlsLadderTranscoder.MEDIA_PLAYLIST))
            .map(k -> k.substring(0, k.indexOf('/')))
            .max(Comparator.comparingInt(VideoTranscoder::rungHeight));
    if (rung.isEmpty()) {
      return null;
    }
    Path local = Files.createDirectories(dir);
    for (String key : keys) {
      String relative = key.substring(prefix.length());
      if (relative.startsWith(rung.get() + "/")
          && relative.indexOf('/', rung.get().length() + 1) < 0) {
        Path file = local.resolve(relative.substring(rung.get().length() + 1));
        s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toFile(file)).join();
      }
    }
    return local.resolve(HlsLadderTranscoder.MEDIA_PLAYLIST);
  }

  /** A rung's height from its name ("1080p" → 1080); names without one sort first. */
  private static int rungHeight(String rung) {
    String digits = rung.replaceAll("\\D.*$", "");
    return digits.isEmpty() ? -1 : Integer.parseInt(digits);
  }

  /** Uploads segments as ffmpeg completes them; publishes the lowest rung after its first one. */
  private final class Uploader implements SegmentListener {
    private final String videoId;
    private final Path out;
    private final MediaInfo info;
    private final Set<String> uploaded = ConcurrentHashMap.newKeySet();
    private volatile boolean firstRungPublished;

    Uploader(String videoId, Path out, MediaInfo info) {
      this.videoId = videoId;
      this.out = out;
      this.info = info;
    }

    @Override
    public void onSegment(SegmentEvent event) {
      putFile(event.relativeUri(), event.segment());
      if (event.rungIndex() != 0) {
        return;
      }
      // the lowest rung plays while the ladder is still being made: segment first, then the
      // playlist that lists it, then (once) a master playlist naming only this rung
      putText(event.playlistUri(), event.mediaPlaylist());
      if (!firstRungPublished) {
        putText(FIRST_RUNG_MASTER, event.singleRungMasterPlaylist());
        Rendition rendition =
            new Rendition(
                event.rung().name(),
                event.rung().width(),
                event.rung().height(),
                event.rung().videoMaxrateKbps() * 1000L,
                event.rung().videoMaxrateKbps() * 1000L,
                event.codecs(),
                key(event.playlistUri()));
        videos
            .publishFirstRung(
                videoId,
                Math.round(info.durationSeconds() * 1000),
                info.displayWidth(),
                info.displayHeight(),
                rendition,
                key(FIRST_RUNG_MASTER),
                Optional.empty())
            .toCompletableFuture()
            .join();
        firstRungPublished = true;
        log.info("video {}: first rung {} playable", videoId, event.rung().name());
      }
    }

    Ready finish(TranscodeResult result, List<Float> content) {
      List<Rendition> renditions = new ArrayList<>();
      for (RungOutput rung : result.rungs()) {
        for (Path segment : rung.segments()) {
          String relative = relative(segment);
          if (!uploaded.contains(relative)) {
            putFile(relative, segment);
          }
        }
        String playlist = relative(rung.mediaPlaylist());
        putFile(playlist, rung.mediaPlaylist());
        renditions.add(
            new Rendition(
                rung.rung().name(),
                rung.rung().width(),
                rung.rung().height(),
                rung.peakBitrate(),
                rung.averageBitrate(),
                rung.codecs(),
                key(playlist)));
      }
      String poster = relative(result.poster());
      putFile(poster, result.poster());
      String master = relative(result.masterPlaylist());
      putFile(master, result.masterPlaylist()); // last: it names everything above
      return new Ready(
          Math.round(result.durationSeconds() * 1000),
          result.width(),
          result.height(),
          List.copyOf(renditions),
          key(master),
          key(poster),
          Base64.getEncoder().encodeToString(result.dhashMaterial()),
          Base64.getEncoder().encodeToString(result.audioFingerprint()),
          content);
    }

    private String relative(Path file) {
      return out.relativize(file).toString().replace('\\', '/');
    }

    private String key(String relative) {
      return MediaKeys.media(videoId, relative);
    }

    private void putFile(String relative, Path file) {
      s3.putObject(
              b -> b.bucket(bucket).key(key(relative)).contentType(contentType(relative)),
              AsyncRequestBody.fromFile(file))
          .join();
      uploaded.add(relative);
    }

    private void putText(String relative, String text) {
      s3.putObject(
              b -> b.bucket(bucket).key(key(relative)).contentType(contentType(relative)),
              AsyncRequestBody.fromString(text, StandardCharsets.UTF_8))
          .join();
    }
  }

  /** The content vector of the original, or empty (logged by {@link ContentVector}). */
  private List<Float> content(Path source, MediaInfo info, TranscodeResult result, Path dir) {
    Optional<float[]> vector =
        contentVector.compute(source, info.audio().isPresent(), result.dhashMaterial(), dir);
    if (vector.isEmpty()) {
      return List.of();
    }
    List<Float> content = new ArrayList<>(vector.get().length);
    for (float x : vector.get()) {
      content.add(x);
    }
    return List.copyOf(content);
  }

  private static String contentType(String name) {
    if (name.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
    if (name.endsWith(".ts")) return "video/mp2t";
    if (name.endsWith(".jpg")) return "image/jpeg";
    return "application/octet-stream";
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not remove {}: {}", dir, e.toString());
    }
  }
}
