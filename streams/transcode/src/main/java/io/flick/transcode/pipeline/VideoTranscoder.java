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
    Path dir = workDir.resolve(videoId + "-" + attempt);
    try {
      deleteRecursively(dir);
      Files.createDirectories(dir);
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
    } catch (IOException e) {
      throw TranscodeException.transientFailure("work directory: " + e.getMessage(), e);
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
   * The remixed video's original, downloaded next to the clip and probed. Gone (the source was
   * deleted or removed after the remix was accepted): the remix is refused, not retried.
   */
  private Remix remix(RemixOf of, MediaInfo clip, Path target) throws TranscodeException {
    try {
      s3.getObject(
              b -> b.bucket(bucket).key(MediaKeys.source(of.videoId())),
              AsyncResponseTransformer.toFile(target))
          .join();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof NoSuchKeyException) {
        throw TranscodeException.rejected(
            new MediaRejection(
                MediaRejection.Reason.REMIX_SOURCE_UNAVAILABLE,
                "The video this "
                    + (of.kind() == RemixKind.DUET ? "duet" : "stitch")
                    + " remixes is no longer available; please upload again without it."));
      }
      throw TranscodeException.transientFailure(
          "could not download the remixed video " + of.videoId() + ": " + e.getMessage(), e);
    }
    MediaInfo sourceInfo = probe.probe(target);
    return of.kind() == RemixKind.DUET
        ? Remix.duet(clip, target, sourceInfo)
        : Remix.stitch(clip, target, sourceInfo, of.fromMs(), of.toMs());
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
