package io.flick.video.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.proto.events.Interaction;
import io.flick.video.comments.CommentActor.CommentDeleted;
import io.flick.video.comments.CommentActor.CommentPosted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The handler of the comment-interactions projection: table and topic, replayed at will. */
class CommentInteractionsProjectionTest {
  private static final Instant POSTED_AT = Instant.parse("2026-11-22T10:00:00.123Z");
  private static final Instant DELETED_AT = Instant.parse("2026-11-22T11:00:00Z");
  private static final String VIDEO = "vvvvvvvvvvvvvvvvvvvvvvvvvv";

  private final String id = CommentActor.newId(POSTED_AT);
  private final CommentPosted posted =
      new CommentPosted(
          id,
          VIDEO,
          "ada",
          "first!",
          POSTED_AT,
          "creator",
          List.of("cats", "dogs"),
          "s1",
          15_000,
          "DE",
          "mobile");
  private final CommentDeleted deleted =
      new CommentDeleted(id, VIDEO, "ada", POSTED_AT, "creator", "FR", DELETED_AT);

  private volatile boolean kafkaDown;
  private final MockProducer<String, byte[]> kafka =
      new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(
            ProducerRecord<String, byte[]> record, Callback callback) {
          if (kafkaDown) {
            RuntimeException down = new RuntimeException("broker did not answer");
            callback.onCompletion(null, down);
            return CompletableFuture.failedFuture(down);
          }
          return super.send(record, callback);
        }
      };
  private final InteractionPublisher publisher = new InteractionPublisher(kafka);
  private final InMemoryCommentRows rows = new InMemoryCommentRows();

  private void handle(CommentActor.Event event) {
    CommentInteractionsProjection.apply(rows, publisher, event).toCompletableFuture().join();
  }

  private List<Interaction> published() throws InvalidProtocolBufferException {
    List<Interaction> events = new ArrayList<>();
    for (ProducerRecord<String, byte[]> record : kafka.history()) {
      assertThat(record.topic()).isEqualTo(InteractionPublisher.TOPIC);
      assertThat(record.key()).isEqualTo(VIDEO);
      events.add(Interaction.parseFrom(record.value()));
    }
    return events;
  }

  @Test
  void aPostedCommentIsListedAndPublishedAsTheCommentInteraction() throws Exception {
    handle(posted);

    assertThat(rows.row(id)).map(InMemoryCommentRows.Cell::text).contains("first!");
    assertThat(published())
        .containsExactly(
            Interaction.newBuilder()
                .setEventId("comment:" + id + ":posted")
                .setKind(Interaction.Kind.COMMENT)
                .setVideoId(VIDEO)
                .setUserId("ada")
                .setCreatorId("creator")
                .setRegion("DE")
                .setDevice("mobile")
                .addAllHashtags(List.of("cats", "dogs"))
                .setSoundId("s1")
                .setDurationMs(15_000)
                .setAtEpochMs(POSTED_AT.toEpochMilli())
                .build());
  }

  @Test
  void aDeletedCommentLeavesTheTableAndIsPublishedAsCommentDeleted() throws Exception {
    handle(posted);
    handle(deleted);

    assertThat(rows.row(id)).isEmpty();
    Interaction gone = published().get(1);
    assertThat(gone.getKind()).isEqualTo(Interaction.Kind.COMMENT_DELETED);
    assertThat(gone.getEventId()).isEqualTo("comment:" + id + ":deleted");
    assertThat(gone.getUserId()).isEqualTo("ada");
    assertThat(gone.getRegion()).isEqualTo("FR");
    assertThat(gone.getAtEpochMs()).isEqualTo(DELETED_AT.toEpochMilli());
  }

  @Test
  void aRowLostBetweenTheJournalAndTheTableIsWrittenByTheProjection() {
    assertThat(rows.row(id)).isEmpty(); // the entity persisted, then its node died

    handle(posted);

    assertThat(rows.row(id)).isPresent();
  }

  /**
   * Redelivered from an older offset (a crash after the publish, before the offset was stored): the
   * table ends the same, and every copy on the topic carries its event's one id, which the counter
   * consumer counts once.
   */
  @Test
  void aRedeliveredSuffixEndsInTheSameTableAndRepeatsTheSameEventIds() throws Exception {
    handle(posted);
    handle(deleted);
    handle(posted);
    assertThat(rows.row(id)).as("a replayed post does not bring a deleted comment back").isEmpty();
    handle(deleted);

    assertThat(rows.row(id)).isEmpty();
    assertThat(published().stream().map(Interaction::getEventId).distinct())
        .containsExactly("comment:" + id + ":posted", "comment:" + id + ":deleted");
  }

  @Test
  void aPublishKafkaRefusesFailsTheEnvelopeSoItIsRetried() {
    kafkaDown = true;

    assertThatThrownBy(() -> handle(posted)).hasRootCauseMessage("broker did not answer");

    kafkaDown = false;
    handle(posted);
    assertThat(kafka.history()).hasSize(1);
  }
}
