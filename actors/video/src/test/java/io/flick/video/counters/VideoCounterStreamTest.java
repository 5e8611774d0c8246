package io.flick.video.counters;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.common.writeback.WriteBackGapException;
import io.flick.proto.events.Interaction;
import io.flick.video.CountDeltas;
import io.flick.video.VideoCommand;
import io.flick.video.VideoService;
import io.flick.video.counters.VideoCounterStream.Counted;
import io.flick.video.counters.VideoCounterStream.VideoBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

/**
 * How the counter stream answers the VideoActor's refusals, against a scripted actor: what it sends
 * after an overlap, and when it gives up so the stream redelivers.
 */
class VideoCounterStreamTest {
  private static final CountDeltas VIEW = new CountDeltas(1, 0, 0, 0, 0, 0);

  /** One ask as the actor got it. */
  record Ask(long from, long to, long previousThrough) {}

  private static VideoBatch views(long from, long to) {
    return new VideoBatch(
        "v1", 0, LongStream.rangeClosed(from, to).mapToObj(o -> new Counted(o, VIEW)).toList());
  }

  @Test
  void theRestOfAnOverlappingBatchFollowsTheOffsetTheActorSaidItCovers() throws Exception {
    List<Ask> asks = new ArrayList<>();
    VideoCounterStream.Counts actor =
        (video, partition, from, to, previousThrough, deltas, identified) -> {
          asks.add(new Ask(from, to, previousThrough));
          return asks.size() == 1
              ? CompletableFuture.failedFuture(
                  new VideoService.CountsOverlapException("covered through 9", 9))
              : CompletableFuture.completedFuture(Done.getInstance());
        };

    VideoCounterStream.applyBatch(actor, views(0, 14), Optional.empty())
        .toCompletableFuture()
        .get();

    // 10..14 only, and only counted by an actor that still covers 9: one that lost 0..9 (a new
    // incarnation after a failed flush) refuses it as a gap instead of counting past them
    assertThat(asks).containsExactly(new Ask(0, 14, VideoCommand.NO_PREVIOUS), new Ask(10, 14, 9));
  }

  @Test
  void aRestRefusedAsAGapFailsTheBatchSoTheStreamRedelivers() {
    VideoCounterStream.Counts actor =
        (video, partition, from, to, previousThrough, deltas, identified) ->
            from == 0
                ? CompletableFuture.failedFuture(
                    new VideoService.CountsOverlapException("covered through 9", 9))
                : CompletableFuture.failedFuture(
                    new WriteBackGapException("follows 9, counted through -1"));

    assertThat(
            VideoCounterStream.applyBatch(actor, views(0, 14), Optional.empty())
                .toCompletableFuture())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(WriteBackGapException.class);
  }

  /**
   * A partition taken away by a rebalance and given back: Kafka fetches it again from the committed
   * offset while the records fetched before are still in the stream, so one batch holds offsets
   * 150–152, then 140–153. The batch must cover 140–153 with each event once (the actor then counts
   * only what it has not), not 150–153 with seventeen views in it.
   */
  @Test
  void aPartitionFetchedAgainWithinABatchCountsEachOffsetOnce() {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    LongStream.rangeClosed(150, 152).forEach(o -> records.add(view(12, o)));
    LongStream.rangeClosed(140, 153).forEach(o -> records.add(view(12, o)));

    VideoBatch batch = VideoCounterStream.aggregate(records).get("v1/12");

    assertThat(batch.fromOffset()).isEqualTo(140);
    assertThat(batch.toOffset()).isEqualTo(153);
    assertThat(batch.events())
        .extracting(Counted::offset)
        .containsExactlyElementsOf(LongStream.rangeClosed(140, 153).boxed().toList());
    assertThat(batch.deltas().views()).isEqualTo(14);
  }

  private static ConsumerRecord<String, byte[]> view(int partition, long offset) {
    return new ConsumerRecord<>(
        "interactions",
        partition,
        offset,
        "v1",
        Interaction.newBuilder()
            .setEventId("e" + offset)
            .setKind(Interaction.Kind.VIEW)
            .setVideoId("v1")
            .setWatchMs(1000)
            .build()
            .toByteArray());
  }
}
