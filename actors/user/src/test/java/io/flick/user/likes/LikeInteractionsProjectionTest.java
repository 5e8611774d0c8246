package io.flick.user.likes;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.proto.events.Interaction;
import io.flick.user.UserEvent;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.Test;

/** What the likes outbox publishes for a journaled like or unlike. */
class LikeInteractionsProjectionTest {
  private static final Instant AT = Instant.parse("2026-12-06T01:00:00Z");

  private static EventEnvelope<UserEvent> envelope(long seqNr, UserEvent event) {
    return EventEnvelope.create(Offset.sequence(seqNr), "User|u1", seqNr, event, AT.toEpochMilli());
  }

  @Test
  void aLikeIsPublishedWithWhatTheFeedLearnsAndTheIdOfItsPlaceInTheJournal() {
    var liked = new UserEvent.Liked("u1", "v1", "c1", List.of("cats"), "s1", AT, "DE");
    Interaction event = LikeInteractionsProjection.interactionOf(envelope(7, liked)).get().build();

    assertThat(event.getKind()).isEqualTo(Interaction.Kind.LIKE);
    assertThat(event.getEventId()).isEqualTo("User|u1:7");
    assertThat(event.getVideoId()).isEqualTo("v1");
    assertThat(event.getUserId()).isEqualTo("u1");
    assertThat(event.getCreatorId()).isEqualTo("c1");
    assertThat(event.getHashtagsList()).containsExactly("cats");
    assertThat(event.getSoundId()).isEqualTo("s1");
    assertThat(event.getRegion()).isEqualTo("DE");
    assertThat(event.getAtEpochMs()).isEqualTo(AT.toEpochMilli());
    // a replay publishes the same id again, which the counters drop
    assertThat(LikeInteractionsProjection.interactionOf(envelope(7, liked)).get().getEventId())
        .isEqualTo(event.getEventId());
  }

  @Test
  void anUnlikeIsPublishedAndOtherEventsAreNot() {
    var unliked = new UserEvent.Unliked("u1", "v1", AT);
    Interaction event =
        LikeInteractionsProjection.interactionOf(envelope(8, unliked)).get().build();
    assertThat(event.getKind()).isEqualTo(Interaction.Kind.UNLIKE);
    assertThat(event.getEventId()).isEqualTo("User|u1:8");

    assertThat(
            LikeInteractionsProjection.interactionOf(
                envelope(9, new UserEvent.Followed("u1", "c1", AT, null))))
        .isEmpty();
  }

  @Test
  void aLikeJournaledBeforeRegionsWereRecordedHasNone() {
    var old = new UserEvent.Liked("u1", "v1", "c1", List.of(), null, AT);
    Interaction event = LikeInteractionsProjection.interactionOf(envelope(3, old)).get().build();
    assertThat(event.getRegion()).isEmpty();
    assertThat(event.getSoundId()).isEmpty();
  }
}
