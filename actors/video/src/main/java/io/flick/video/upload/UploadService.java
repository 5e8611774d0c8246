package io.flick.video.upload;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.flick.common.Ids;
import io.flick.common.kafka.KafkaSend;
import io.flick.proto.events.VideoUploaded;
import io.flick.video.MediaKeys;
import io.flick.video.VideoRemixes;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.RemixKind;
import io.flick.video.VideoSummary.RemixOf;
import io.flick.video.VideoSummary.Status;
import io.flick.video.sound.SoundCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Flow 1: start an upload (the video in UPLOADING + presigned multipart PUT URLs), and complete it
 * (S3 multipart completed, the video in PROCESSING, {@code video-uploaded} on Kafka). Bytes never
 * pass through a node: the client puts them straight into S3.
 */
public final class UploadService {
  public static final String TOPIC = "video-uploaded";

  /**
   * One part of the upload: PUT exactly {@code length} bytes from {@code offset} to {@code url}.
   */
  public record UploadPart(int partNumber, long offset, long length, String url) {}

  public record UploadTicket(
      String videoId, String uploadId, long partSize, List<UploadPart> parts, Instant expiresAt) {}

  /**
   * A remix asked for at upload, as the client sent it: {@code of} the source video's id, {@code
   * kind} {@code duet} or {@code stitch}, and for a stitch the part of the source it starts with.
   */
  public record RemixRequest(String of, String kind, Long fromMs, Long toMs) {}

  /** A creator's handle by id (the accounts live in another context; the node wires them). */
  public interface CreatorHandles {
    CompletionStage<Optional<String>> handle(String creatorId);

    CreatorHandles NONE = id -> CompletableFuture.completedFuture(Optional.empty());
  }

  private final VideoService videos;
  private volatile CreatorHandles handles = CreatorHandles.NONE;
  private final S3AsyncClient s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final CqlSession cql;
  private final Producer<String, byte[]> producer;
  private final UploadSettings settings;
  private final Clock clock;
  private final SoundCatalog sounds;
  private final PreparedStatement insertUpload;
  private final PreparedStatement selectUpload;

  public UploadService(
      VideoService videos,
      S3AsyncClient s3,
      S3Presigner presigner,
      String bucket,
      CqlSession cql,
      String keyspace,
      Producer<String, byte[]> producer,
      UploadSettings settings,
      Clock clock,
      SoundCatalog sounds) {
    this.videos = videos;
    this.sounds = sounds;
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.cql = cql;
    this.producer = producer;
    this.settings = settings;
    this.clock = clock;
    this.insertUpload =
        cql.prepare(
            "INSERT INTO "
                + keyspace
                + ".uploads (video_id, upload_id, part_size, size_bytes, deadline)"
                + " VALUES (?, ?, ?, ?, ?) USING TTL ?");
    this.selectUpload =
        cql.prepare(
            "SELECT upload_id, part_size, size_bytes FROM "
                + keyspace
                + ".uploads WHERE video_id = ?");
  }

  /** Names a remix's source creator by handle, stored in the remix's facts at upload. */
  public UploadService withCreatorHandles(CreatorHandles handles) {
    this.handles = handles;
    return this;
  }

  public CompletionStage<UploadTicket> start(
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      long sizeBytes,
      String contentType) {
    return start(creatorId, caption, hashtags, soundId, Optional.empty(), sizeBytes, contentType);
  }

  /**
   * Starts an upload; with {@code remix}, of a duet or stitch of another video, which must exist
   * (404), be READY and let itself be remixed (409), and, for a stitch, contain the range (400). A
   * refused upload creates nothing.
   */
  public CompletionStage<UploadTicket> start(
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      Optional<RemixRequest> remix,
      long sizeBytes,
      String contentType) {
    if (sizeBytes <= 0) {
      return failed("sizeBytes must be a positive number of bytes");
    }
    if (sizeBytes > settings.maxBytes()) {
      return failed(
          "the file is "
              + sizeBytes
              + " bytes; the limit is "
              + settings.maxBytes()
              + " bytes ("
              + settings.maxBytes() / (1024 * 1024)
              + " MiB)");
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    if (!type.startsWith("video/") && !type.equals("application/octet-stream")) {
      return failed(
          "contentType must be a video type such as video/mp4, not '" + contentType + "'");
    }
    Optional<String> sound = soundId.map(String::strip).filter(s -> !s.isEmpty());
    if (remix.isPresent()) {
      if (sound.isPresent()) {
        return failed("soundId and remix cannot go together: a duet or stitch keeps its own audio");
      }
      RemixKind kind;
      try {
        kind = remixKind(remix.get());
      } catch (IllegalArgumentException e) {
        return CompletableFuture.failedFuture(e);
      }
      return remixOf(remix.get(), kind)
          .thenCompose(
              of -> created(creatorId, caption, hashtags, Optional.empty(), of, sizeBytes, type));
    }
    if (sound.isPresent()) {
      // "use this sound": it must exist, its creator must allow reuse, and its audio must still be
      // there (it is read from the original video's stored original, deleted with the video)
      return sounds
          .get(sound.get())
          .thenCompose(
              found -> {
                if (found.isEmpty()) {
                  throw new UploadProblem("soundId: no sound with id " + sound.get(), 400);
                }
                if (!found.get().allowReuse()) {
                  throw new UploadProblem(
                      "soundId: the creator of sound " + sound.get() + " does not allow reuse",
                      409);
                }
                return videos.get(found.get().originalVideoId());
              })
          .thenCompose(
              original -> {
                if (original.isEmpty()) {
                  throw new UploadProblem(
                      "soundId: sound "
                          + sound.get()
                          + " is no longer available: its original video was deleted",
                      409);
                }
                return created(
                    creatorId, caption, hashtags, sound, Optional.empty(), sizeBytes, type);
              });
    }
    return created(
        creatorId, caption, hashtags, Optional.empty(), Optional.empty(), sizeBytes, type);
  }

  /** The request's shape alone: a known kind, a stitch's range given and 1–5 s, a duet's not. */
  private static RemixKind remixKind(RemixRequest remix) {
    if (remix.of() == null || remix.of().isBlank()) {
      throw new IllegalArgumentException("remix.of (the id of the video to remix) is required");
    }
    String kind = remix.kind() == null ? "" : remix.kind().strip().toLowerCase(Locale.ROOT);
    switch (kind) {
      case "duet" -> {
        if (remix.fromMs() != null || remix.toMs() != null) {
          throw new IllegalArgumentException(
              "remix: a duet takes the whole source; fromMs and toMs are for a stitch");
        }
        return RemixKind.DUET;
      }
      case "stitch" -> {
        if (remix.fromMs() == null || remix.toMs() == null) {
          throw new IllegalArgumentException(
              "remix: a stitch needs fromMs and toMs, the part of the source it starts with");
        }
        VideoRemixes.rangeProblem(RemixKind.STITCH, remix.fromMs(), remix.toMs())
            .ifPresent(
                problem -> {
                  throw new IllegalArgumentException(problem);
                });
        return RemixKind.STITCH;
      }
      default ->
          throw new IllegalArgumentException(
              "remix.kind must be 'duet' or 'stitch', not '" + remix.kind() + "'");
    }
  }

  /**
   * What the remix's facts will name, asked of the source's own entity: it exists (404), is READY
   * and lets itself be remixed (409), and holds a stitch's range (400).
   */
  private CompletionStage<Optional<RemixOf>> remixOf(RemixRequest remix, RemixKind kind) {
    String of = remix.of().strip();
    if (!Ids.isWellFormed(of)) {
      return CompletableFuture.failedFuture(
          new VideoService.VideoNotFoundException("remix.of: no video with id " + of));
    }
    return videos
        .get(of)
        .thenCompose(
            found -> {
              VideoSummary source =
                  found.orElseThrow(
                      () ->
                          new VideoService.VideoNotFoundException(
                              "remix.of: no video with id " + of));
              if (source.status() != Status.READY) {
                throw new UploadProblem(
                    "remix.of: video "
                        + of
                        + " is "
                        + source.status()
                        + "; only a READY video can be remixed",
                    409);
              }
              if (!source.remixAllowed()) {
                throw new UploadProblem(
                    "remix.of: the creator of video " + of + " does not allow duets and stitches",
                    409);
              }
              long from = kind == RemixKind.STITCH ? remix.fromMs() : 0;
              long to = kind == RemixKind.STITCH ? remix.toMs() : 0;
              if (to > source.media().durationMs()) {
                throw new UploadProblem(
                    "remix.toMs: video "
                        + of
                        + " is "
                        + source.media().durationMs()
                        + " ms long; the stitched part must end within it, not at "
                        + to
                        + " ms",
                    400);
              }
              return handles
                  .handle(source.creatorId())
                  .exceptionally(error -> Optional.empty()) // the handle is a courtesy
                  .thenApply(
                      handle ->
                          Optional.of(
                              new RemixOf(
                                  of, kind, source.creatorId(), handle.orElse(null), from, to)));
            });
  }

  private CompletionStage<UploadTicket> created(
      String creatorId,
      String caption,
      List<String> hashtags,
      Optional<String> soundId,
      Optional<RemixOf> remix,
      long sizeBytes,
      String type) {
    String videoId = Ids.newId();
    String sourceKey = MediaKeys.source(videoId);
    Instant deadline = clock.instant().plus(settings.deadline());
    long partSize = settings.partSize();
    int partCount = (int) ((sizeBytes + partSize - 1) / partSize);
    return videos
        .create(
            videoId, creatorId, caption, hashtags, soundId, sizeBytes, type, sourceKey, deadline,
            remix)
        .thenCompose(
            created ->
                s3.createMultipartUpload(b -> b.bucket(bucket).key(sourceKey).contentType(type)))
        .thenCompose(
            multipart ->
                cql.executeAsync(
                        insertUpload.bind(
                            videoId,
                            multipart.uploadId(),
                            partSize,
                            sizeBytes,
                            deadline,
                            (int) settings.deadline().plusDays(1).toSeconds()))
                    .thenApply(
                        done ->
                            ticket(
                                videoId,
                                sourceKey,
                                multipart.uploadId(),
                                sizeBytes,
                                partCount,
                                deadline)));
  }

  private UploadTicket ticket(
      String videoId,
      String key,
      String uploadId,
      long sizeBytes,
      int partCount,
      Instant deadline) {
    Duration valid = Duration.between(clock.instant(), deadline);
    List<UploadPart> parts = new ArrayList<>(partCount);
    long partSize = settings.partSize();
    for (int i = 0; i < partCount; i++) {
      int partNumber = i + 1;
      long offset = i * partSize;
      long length = Math.min(partSize, sizeBytes - offset);
      String url =
          presignPart(
              presigner,
              bucket,
              key,
              uploadId,
              partNumber,
              length,
              settings.bindPartLength(),
              valid);
      parts.add(new UploadPart(partNumber, offset, length, url));
    }
    return new UploadTicket(videoId, uploadId, partSize, List.copyOf(parts), deadline);
  }

  /**
   * The presigned PUT URL of one part; with {@code bindLength} its Content-Length is part of the
   * signature, so storage refuses a body of any other length.
   */
  static String presignPart(
      S3Presigner presigner,
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      long length,
      boolean bindLength,
      Duration valid) {
    return presigner
        .presignUploadPart(
            p ->
                p.signatureDuration(valid)
                    .uploadPartRequest(
                        u -> {
                          u.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber);
                          if (bindLength) {
                            u.contentLength(length);
                          }
                        }))
        .url()
        .toString();
  }

  /**
   * The client has put every part. Idempotent: completing again re-announces a PROCESSING video
   * (the transcoder ignores videos already done), so a complete whose Kafka write failed can be
   * retried.
   */
  public CompletionStage<VideoSummary> complete(String videoId, String creatorId) {
    return videos
        .get(videoId)
        .thenCompose(
            found -> {
              VideoSummary video =
                  found.orElseThrow(
                      () ->
                          new VideoService.VideoNotFoundException(
                              "video " + videoId + " does not exist"));
              if (!video.creatorId().equals(creatorId)) {
                // the entity says the same; asking it keeps one wording
                return videos.completeUpload(videoId, creatorId);
              }
              return switch (video.status()) {
                case UPLOADING -> finishMultipart(video);
                case PROCESSING -> announce(video).thenApply(done -> video);
                case READY, HELD -> CompletableFuture.completedFuture(video);
                case FAILED ->
                    CompletableFuture.failedFuture(
                        new UploadProblem(
                            "the upload has failed: "
                                + video.failureReason().orElse("unknown reason"),
                            409));
              };
            });
  }

  private CompletionStage<VideoSummary> finishMultipart(VideoSummary video) {
    String key = video.upload().sourceKey();
    return cql.executeAsync(selectUpload.bind(video.id()))
        .thenCompose(
            rs -> {
              Row row = rs.one();
              if (row == null) {
                throw new UploadProblem("this upload has no open multipart upload", 409);
              }
              String uploadId = row.getString("upload_id");
              long partSize = row.getLong("part_size");
              long sizeBytes = row.getLong("size_bytes");
              int expectedParts = (int) ((sizeBytes + partSize - 1) / partSize);
              return s3.listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId))
                  .thenCompose(
                      parts ->
                          completeParts(video, key, uploadId, expectedParts, sizeBytes, parts));
            });
  }

  private CompletionStage<VideoSummary> completeParts(
      VideoSummary video,
      String key,
      String uploadId,
      int expectedParts,
      long declaredBytes,
      ListPartsResponse listed) {
    List<Part> parts =
        listed.parts().stream().sorted(Comparator.comparingInt(Part::partNumber)).toList();
    List<Integer> missing = new ArrayList<>();
    for (int n = 1; n <= expectedParts; n++) {
      int number = n;
      if (parts.stream().noneMatch(p -> p.partNumber() == number)) {
        missing.add(number);
      }
    }
    if (!missing.isEmpty()) {
      // the video stays UPLOADING: the client can put the missing parts and complete again
      throw new UploadProblem(
          "parts " + missing + " of " + expectedParts + " have not been uploaded yet", 400);
    }
    long uploaded = parts.stream().mapToLong(Part::size).sum();
    if (uploaded != declaredBytes && uploaded > 0) {
      // not what was declared (and signed): the bytes are dropped, the video ends FAILED, nothing
      // is transcoded
      String reason =
          "the uploaded file is "
              + uploaded
              + " bytes but the upload declared "
              + declaredBytes
              + " bytes; start a new upload with the file's real size";
      return s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId))
          .handle((aborted, error) -> null)
          .thenCompose(aborted -> videos.completeUpload(video.id(), video.creatorId()))
          .thenCompose(processing -> videos.markFailed(video.id(), reason));
    }
    List<CompletedPart> completed =
        parts.stream()
            .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.eTag()).build())
            .toList();
    return s3.completeMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()))
        .thenCompose(done -> videos.completeUpload(video.id(), video.creatorId()))
        .thenCompose(
            processing -> {
              if (uploaded == 0) {
                return videos.markFailed(video.id(), "the uploaded file is empty (0 bytes)");
              }
              return announce(processing).thenApply(sent -> processing);
            });
  }

  /** Completes once Kafka has the event (acks=all, idempotent producer). */
  private CompletionStage<Void> announce(VideoSummary video) {
    VideoUploaded event =
        VideoUploaded.newBuilder()
            .setVideoId(video.id())
            .setCreatorId(video.creatorId())
            .setSourceKey(video.upload().sourceKey())
            .setSizeBytes(video.upload().sizeBytes())
            .setUploadedAtEpochMs(clock.millis())
            .build();
    return KafkaSend.send(producer, new ProducerRecord<>(TOPIC, video.id(), event.toByteArray()))
        .thenApply(metadata -> null);
  }

  private static <T> CompletionStage<T> failed(String detail) {
    return CompletableFuture.failedFuture(new IllegalArgumentException(detail));
  }

  /** A client-visible refusal with its HTTP status. */
  public static final class UploadProblem extends RuntimeException {
    private final int status;

    public UploadProblem(String message, int status) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  static boolean isDone(Status status) {
    return status == Status.READY || status == Status.FAILED || status == Status.HELD;
  }
}
