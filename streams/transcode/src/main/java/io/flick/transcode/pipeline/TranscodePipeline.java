package io.flick.transcode.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.common.kafka.KafkaConsumerStream;
import io.flick.common.kafka.KafkaSend;
import io.flick.common.kafka.StreamMetrics;
import io.flick.proto.events.VideoUploaded;
import io.flick.transcode.media.ContentVector;
import io.flick.transcode.media.FfmpegPaths;
import io.flick.transcode.media.HlsLadderTranscoder;
import io.flick.transcode.media.MediaLimits;
import io.flick.transcode.media.MediaProbe;
import io.flick.transcode.media.TranscodeException;
import io.flick.transcode.media.TranscodeOptions;
import io.flick.video.VideoCommand.ClipAudio;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Flow 2: {@code video-uploaded} → download → probe → one ffmpeg ladder → S3 → VideoActor, as a
 * Kafka-fed Pekko Streams graph. Bounded parallelism (mapAsync), backpressure from Kafka to ffmpeg,
 * restart with backoff, and the offset of a video is committed only after its outcome (READY or
 * FAILED) is recorded on its VideoActor: a crash re-delivers, never loses, a video. Transient
 * faults are retried; what still fails, and poison messages, go to the dead-letter topic.
 */
public final class TranscodePipeline {
  private static final Logger log = LoggerFactory.getLogger(TranscodePipeline.class);
  public static final String TOPIC = "video-uploaded";
  public static final String DEAD_LETTERS = "video-uploaded-dead-letters";

  private final ActorSystem<?> system;
  private final TranscodeSettings settings;
  private final VideoService videos;
  private final VideoTranscoder transcoder;
  private final Producer<String, byte[]> producer;
  private final String kafkaBootstrap;
  private final Executor blocking;
  private final Counter outcomes;
  private final Gauge inFlight;
  private final Histogram seconds;
  private final StreamMetrics stream;
  private volatile ModerationHook moderationHook = ModerationHook.NONE;
  private volatile SoundMatcher soundMatcher = SoundMatcher.NONE;

  public TranscodePipeline(
      ActorSystem<?> system,
      TranscodeSettings settings,
      long maxBytes,
      VideoService videos,
      S3AsyncClient s3,
      String bucket,
      FfmpegPaths ffmpeg,
      String kafkaBootstrap,
      Producer<String, byte[]> producer,
      PrometheusRegistry registry) {
    this.system = system;
    this.settings = settings;
    this.videos = videos;
    this.producer = producer;
    this.kafkaBootstrap = kafkaBootstrap;
    this.blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("flick-transcode-dispatcher"));
    MediaLimits limits = settings.limits(maxBytes);
    TranscodeOptions options =
        settings.preset().isEmpty()
            ? TranscodeOptions.defaults()
            : TranscodeOptions.defaults()
                .withPresets(settings.preset(), settings.lowestRungPreset());
    this.transcoder =
        new VideoTranscoder(
            s3,
            bucket,
            videos,
            new MediaProbe(ffmpeg.ffprobe()),
            new HlsLadderTranscoder(ffmpeg.ffmpeg()),
            options,
            limits,
            settings.workDir(),
            new ContentVector(ffmpeg.ffmpeg()));
    this.outcomes =
        Counter.builder()
            .name("flick_transcode_videos_total")
            .help(
                "Videos through the transcode pipeline, by outcome (ready, failed, retried: an attempt that"
                    + " counted, retried_outage: one the cluster's fault cost, not counted, skipped,"
                    + " dead_letter, flagged)")
            .labelNames("outcome")
            .register(registry);
    this.inFlight =
        Gauge.builder()
            .name("flick_transcode_in_flight")
            .help("Videos being transcoded by this node now (the stream's queue depth)")
            .register(registry);
    this.stream = StreamMetrics.of(registry);
    this.seconds =
        Histogram.builder()
            .name("flick_transcode_seconds")
            .help("Wall time from picking up a video to its outcome")
            .classicUpperBounds(1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
            .register(registry);
  }

  /** Asks {@code hook} about every transcoded video before it is marked READY. */
  public TranscodePipeline withModerationHook(ModerationHook hook) {
    this.moderationHook = hook;
    return this;
  }

  /** Matches every transcoded clip's own audio against the known sounds with {@code matcher}. */
  public TranscodePipeline withSoundMatcher(SoundMatcher matcher) {
    this.soundMatcher = matcher;
    return this;
  }

  /**
   * The hook's verdict: the reason to hold the video for review, if any. A failing hook is logged
   * and never fails (nor holds) the video.
   */
  private CompletionStage<Optional<String>> review(VideoSummary video, String dhash) {
    CompletionStage<Optional<String>> verdict;
    try {
      verdict = moderationHook.review(video, dhash);
    } catch (RuntimeException e) {
      verdict = CompletableFuture.failedFuture(e);
    }
    return verdict
        .handle(
            (flag, error) -> {
              if (error != null) {
                log.warn("moderation hook failed for video {}: {}", video.id(), error.toString());
                return Optional.<String>empty();
              }
              if (flag.isPresent()) {
                outcomes.labelValues("held").inc();
                log.info("video {} held for review: {}", video.id(), flag.get());
              }
              return flag;
            })
        .toCompletableFuture();
  }

  /** What is decided between the ladder and READY: held or not, and the clip's sound. */
  private record Verdict(Optional<String> holdFor, Optional<ClipAudio> audio) {}

  /** Starts consuming; stops on CoordinatedShutdown. */
  public UniqueKillSwitch start() {
    ConsumerSettings<String, byte[]> consumerSettings =
        KafkaConsumerStream.settings(system, kafkaBootstrap, settings.consumerGroup())
            // one video may take minutes: keep the group from evicting a busy consumer
            .withProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "1800000")
            .withProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "8");
    CommitterSettings committerSettings = CommitterSettings.create(system).withMaxBatch(1);
    RestartSettings restart =
        RestartSettings.create(
            settings.restartMinBackoff(),
            settings.restartMaxBackoff(),
            settings.restartRandomFactor());
    String name = "transcode-pipeline";
    return KafkaConsumerStream.run(
        system,
        name,
        restart,
        () -> stream.restarted(name),
        () ->
            Consumer.committableSource(consumerSettings, Subscriptions.topics(TOPIC))
                .via(stream.count(name, "consumed"))
                .mapAsync(
                    settings.parallelism(),
                    stream.inFlight(
                        name,
                        "transcode",
                        msg -> handle(msg.record()).thenApply(done -> msg.committableOffset())))
                .via(Committer.flow(committerSettings))
                .via(stream.count(name, "committed")));
  }

  /** Completes once the video's outcome is recorded (or the message is parked as poison). */
  CompletionStage<Done> handle(ConsumerRecord<String, byte[]> record) {
    VideoUploaded event;
    try {
      event = VideoUploaded.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      log.warn(
          "poison message at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return deadLetter(record.key(), record.value(), "not a VideoUploaded: " + e.getMessage());
    }
    return untilAnswered(event.getVideoId(), "look it up", 1, () -> videos.get(event.getVideoId()))
        .thenCompose(
            video -> {
              if (video.isEmpty() || video.get().status() != Status.PROCESSING) {
                // deleted, or already READY/FAILED (a re-delivery): nothing to do
                outcomes.labelValues("skipped").inc();
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              return process(video.get(), 1, 0, System.nanoTime());
            });
  }

  /**
   * One attempt at {@code video}: {@code attempt} counts the tries that cost the upload its budget,
   * {@code outages} the ones the cluster's faults cost (see {@link FailureCause}).
   */
  private CompletionStage<Done> process(
      VideoSummary video, int attempt, int outages, long started) {
    inFlight.inc();
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return transcoder.transcode(
                    video.id(),
                    video.upload().sourceKey(),
                    video.upload().sizeBytes(),
                    video.soundId(),
                    video.remixOf(),
                    attempt);
              } catch (TranscodeException e) {
                throw new CompletionException(e);
              }
            },
            blocking)
        .whenComplete((ok, error) -> inFlight.dec())
        .thenCompose(
            ready ->
                review(video, ready.dhash())
                    .thenCombine(
                        SoundMatcher.clipAudio(
                            soundMatcher, video, ready.audioFingerprint(), ready.durationMs()),
                        Verdict::new)
                    .thenCompose(
                        verdict ->
                            // the ladder is in S3 already: an unreachable entity is asked again,
                            // the video is not transcoded again
                            untilAnswered(
                                video.id(),
                                "mark it READY",
                                1,
                                () ->
                                    videos.markReady(
                                        video.id(),
                                        ready.durationMs(),
                                        ready.width(),
                                        ready.height(),
                                        ready.renditions(),
                                        ready.masterKey(),
                                        Optional.of(ready.posterKey()),
                                        Optional.of(ready.dhash()),
                                        verdict.holdFor(),
                                        verdict.audio(),
                                        ready.content())))
                    .thenApply(
                        done -> {
                          outcomes.labelValues("ready").inc();
                          seconds.observe((System.nanoTime() - started) / 1e9);
                          log.info(
                              "video {} {} after {} attempt(s)",
                              video.id(),
                              done.status(),
                              attempt);
                          return Done.getInstance();
                        }))
        .exceptionallyCompose(error -> onFailure(video, attempt, outages, started, unwrap(error)));
  }

  private CompletionStage<Done> onFailure(
      VideoSummary video, int attempt, int outages, long started, Throwable error) {
    FailureCause cause = FailureCause.of(error);
    if (cause == FailureCause.UPLOAD) {
      String reason = error.getMessage();
      log.info("video {} rejected: {}", video.id(), reason);
      return fail(video, reason, started);
    }
    if (cause == FailureCause.INFRASTRUCTURE) {
      outcomes.labelValues("retried_outage").inc();
      Duration backoff =
          FailureCause.backoff(settings.retryBackoff(), settings.outageMaxBackoff(), outages + 1);
      log.warn(
          "video {}: the cluster failed attempt {} ({}); retrying in {} without counting it",
          video.id(),
          attempt,
          error.toString(),
          backoff);
      return Patterns.after(
          backoff,
          system.classicSystem().scheduler(),
          system.executionContext(),
          () -> process(video, attempt, outages + 1, started));
    }
    if (attempt < settings.maxAttempts()) {
      outcomes.labelValues("retried").inc();
      Duration backoff = settings.retryBackoff().multipliedBy(1L << (attempt - 1));
      log.warn(
          "video {} attempt {} failed ({}); retrying in {}",
          video.id(),
          attempt,
          error.toString(),
          backoff);
      return Patterns.after(
          backoff,
          system.classicSystem().scheduler(),
          system.executionContext(),
          () -> process(video, attempt + 1, outages, started));
    }
    String reason = "processing failed after " + attempt + " attempts; please try uploading again";
    log.error("video {} failed after {} attempts", video.id(), attempt, error);
    return deadLetter(
            video.id(),
            VideoUploaded.newBuilder().setVideoId(video.id()).build().toByteArray(),
            error.toString())
        .thenCompose(parked -> fail(video, reason, started));
  }

  /**
   * {@code call} again, with backoff, for as long as it fails for the cluster's fault (a shard on a
   * node that is being downed answers again once its shards moved): such a fault never costs the
   * upload an attempt, nor restarts the stream (which would re-deliver its other videos).
   */
  private <T> CompletionStage<T> untilAnswered(
      String videoId,
      String what,
      int retry,
      java.util.function.Supplier<CompletionStage<T>> call) {
    return call.get()
        .exceptionallyCompose(
            error -> {
              Throwable cause = unwrap(error);
              if (FailureCause.of(cause) != FailureCause.INFRASTRUCTURE) {
                return CompletableFuture.failedFuture(cause);
              }
              outcomes.labelValues("retried_outage").inc();
              Duration backoff =
                  FailureCause.backoff(settings.retryBackoff(), settings.outageMaxBackoff(), retry);
              log.warn(
                  "video {}: could not {} ({}); asking again in {}",
                  videoId,
                  what,
                  cause.toString(),
                  backoff);
              return Patterns.after(
                  backoff,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> untilAnswered(videoId, what, retry + 1, call));
            });
  }

  private CompletionStage<Done> fail(VideoSummary video, String reason, long started) {
    return untilAnswered(
            video.id(), "mark it FAILED", 1, () -> videos.markFailed(video.id(), reason))
        .handle(
            (failed, error) -> {
              if (error != null && !(unwrap(error) instanceof VideoService.VideoStateException)) {
                // not recorded: fail the element so the offset stays uncommitted and the
                // restarted stream tries again
                throw new CompletionException(unwrap(error));
              }
              outcomes.labelValues("failed").inc();
              seconds.observe((System.nanoTime() - started) / 1e9);
              return Done.getInstance();
            });
  }

  private CompletionStage<Done> deadLetter(String key, byte[] value, String why) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(DEAD_LETTERS, key, value);
    record.headers().add("flick-error", why.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return KafkaSend.send(producer, record)
        .thenApply(
            metadata -> {
              outcomes.labelValues("dead_letter").inc();
              return Done.getInstance();
            });
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
