package io.flick.video.comments;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.video.comments.CommentActor.CommentDeleted;
import io.flick.video.comments.CommentActor.CommentPosted;
import io.flick.video.comments.CommentService.Comment;
import io.flick.video.comments.CommentService.CommentIdTakenException;
import io.flick.video.comments.CommentService.CommentNotFoundException;
import io.flick.video.comments.CommentService.NotAuthorException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommentActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final Instant POSTED_AT = Instant.parse("2026-11-22T10:00:00.123Z");
  private static final Instant DELETED_AT = Instant.parse("2026-11-22T11:00:00Z");
  private static final String VIDEO = "vvvvvvvvvvvvvvvvvvvvvvvvvv";

  private final String id = CommentActor.newId(POSTED_AT);
  private final InMemoryCommentRows rows = new InMemoryCommentRows();
  private final EventSourcedBehaviorTestKit<
          CommentActor.Command, CommentActor.Event, CommentActor.State>
      kit = kit(id);

  private EventSourcedBehaviorTestKit<CommentActor.Command, CommentActor.Event, CommentActor.State>
      kit(String commentId) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        CommentActor.create(commentId, rows, Clock.fixed(DELETED_AT, ZoneOffset.UTC)));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private CommandResultWithReply<
          CommentActor.Command, CommentActor.Event, CommentActor.State, StatusReply<Comment>>
      post(String authorId, String text) {
    return kit.runCommand(
        r ->
            new CommentActor.Post(
                VIDEO,
                authorId,
                text,
                "creator",
                List.of("cats"),
                Optional.of("s1"),
                15_000,
                "DE",
                "mobile",
                r));
  }

  private CommandResultWithReply<
          CommentActor.Command, CommentActor.Event, CommentActor.State, StatusReply<Done>>
      delete(String requesterId) {
    return kit.runCommand(r -> new CommentActor.Delete(requesterId, "FR", r));
  }

  @Test
  void postsOnceWithWhatTheInteractionNeedsAndListsItBeforeAnswering() {
    var posted = post("ada", "  first!  ");

    assertThat(posted.events())
        .containsExactly(
            new CommentPosted(
                id,
                VIDEO,
                "ada",
                "first!",
                POSTED_AT,
                "creator",
                List.of("cats"),
                "s1",
                15_000,
                "DE",
                "mobile"));
    assertThat(posted.reply().getValue())
        .isEqualTo(new Comment(id, VIDEO, "ada", "first!", POSTED_AT));
    // read-your-writes: the row is in the table when the author hears back
    assertThat(rows.row(id)).map(InMemoryCommentRows.Cell::text).contains("first!");
  }

  @Test
  void aRetriedPostAnswersTheSameCommentAndAnotherPostUnderItsIdIsRefused() {
    post("ada", "first!");

    var again = post("ada", "first! ");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue())
        .isEqualTo(new Comment(id, VIDEO, "ada", "first!", POSTED_AT));

    var other = post("bob", "first!");
    assertThat(other.hasNoEvents()).isTrue();
    assertThat(other.reply().getError()).isInstanceOf(CommentIdTakenException.class);
  }

  @Test
  void refusesBadTextAndIdsThatAreNotTimeBased() {
    var blank = post("ada", "   ");
    assertThat(blank.hasNoEvents()).isTrue();
    assertThat(blank.reply().getError())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs some text");
    var tooLong = post("ada", "x".repeat(CommentService.MAX_LENGTH + 1));
    assertThat(tooLong.reply().getError()).hasMessageContaining("at most 500");

    var notTimeBased = kit(java.util.UUID.randomUUID().toString());
    var refused =
        notTimeBased.<StatusReply<Comment>>runCommand(
            r ->
                new CommentActor.Post(
                    VIDEO, "ada", "hi", "creator", List.of(), Optional.empty(), 0, "DE", "", r));
    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refused.reply().getError()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyTheAuthorDeletesThenTheCommentIsGone() {
    post("ada", "first!");

    var stranger = delete("bob");
    assertThat(stranger.hasNoEvents()).isTrue();
    assertThat(stranger.reply().getError()).isInstanceOf(NotAuthorException.class);
    assertThat(rows.row(id)).isPresent();

    var deleted = delete("ada");
    assertThat(deleted.events())
        .containsExactly(
            new CommentDeleted(id, VIDEO, "ada", POSTED_AT, "creator", "FR", DELETED_AT));
    assertThat(deleted.reply().isSuccess()).isTrue();
    assertThat(rows.row(id)).isEmpty();

    var again = delete("ada");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getError())
        .isInstanceOf(CommentNotFoundException.class)
        .hasMessage("no comment with id " + id);
    assertThat(post("ada", "first!").reply().getError())
        .isInstanceOf(CommentNotFoundException.class);

    kit.restart();
    assertThat(kit.getState()).isInstanceOf(CommentActor.Deleted.class);
    assertThat(delete("ada").reply().getError()).isInstanceOf(CommentNotFoundException.class);
  }

  @Test
  void aCommentNeverPostedIsNotFound() {
    var missing = delete("ada");
    assertThat(missing.hasNoEvents()).isTrue();
    assertThat(missing.reply().getError()).isInstanceOf(CommentNotFoundException.class);
  }

  @Test
  void aCommentFromBeforeTheJournalIsDeletedByItsAuthorThroughTheJournal() {
    rows.legacy(id, VIDEO, "ada", POSTED_AT);

    assertThat(delete("bob").reply().getError()).isInstanceOf(NotAuthorException.class);
    var deleted = delete("ada");

    assertThat(deleted.events())
        .containsExactly(new CommentDeleted(id, VIDEO, "ada", POSTED_AT, "", "FR", DELETED_AT));
    assertThat(deleted.reply().isSuccess()).isTrue();
    assertThat(rows.row(id)).isEmpty();
    assertThat(delete("ada").reply().getError()).isInstanceOf(CommentNotFoundException.class);
  }

  @Test
  void aTableThatFailsAfterTheJournalWriteStillAnswersTheFact() {
    rows.failing = true;

    var posted = post("ada", "first!");
    assertThat(posted.events()).hasSize(1);
    assertThat(posted.reply().getValue().text()).isEqualTo("first!");
    assertThat(rows.writes).containsExactly("upsert " + id);

    var deleted = delete("ada");
    assertThat(deleted.events()).hasSize(1);
    assertThat(deleted.reply().isSuccess()).isTrue();
  }

  @Test
  void aTableThatCannotLookUpAnOldCommentAnswersATimeoutToRetry() {
    rows.findFailing = true;
    var entity = kit;
    var refused = entity.<StatusReply<Done>>runCommand(r -> new CommentActor.Delete("ada", "", r));
    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(refused.reply().getError()).isInstanceOf(TimeoutException.class);
  }

  @Test
  void aClientChosenIdIsATimeBasedUuidOfAboutNow() {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");
    assertThat(CommentService.clientIdProblem(CommentActor.newId(now.minusSeconds(90)), now))
        .isEmpty();
    assertThat(CommentService.clientIdProblem(CommentActor.newId(now.plusSeconds(90)), now))
        .isEmpty();
    assertThat(CommentService.clientIdProblem(CommentActor.newId(now.minusSeconds(3600)), now))
        .hasValueSatisfying(p -> assertThat(p).contains("within 10 minutes of now"));
    assertThat(CommentService.clientIdProblem(java.util.UUID.randomUUID().toString(), now))
        .hasValueSatisfying(p -> assertThat(p).contains("time-based (version 1) UUID"));
    assertThat(
            CommentService.clientIdProblem(CommentActor.newId(now).toUpperCase(Locale.ROOT), now))
        .isPresent();
    assertThat(CommentService.clientIdProblem("", now)).isPresent();
  }

  @Test
  void idsAreTimeBasedUuidsOfTheirInstant() {
    assertThat(CommentActor.parseId(id)).isPresent();
    assertThat(CommentActor.parseId("not-a-uuid")).isEmpty();
    assertThat(CommentActor.parseId(java.util.UUID.randomUUID().toString())).isEmpty();
    assertThat(CommentActor.parseId(id.toUpperCase(java.util.Locale.ROOT))).isEmpty();
  }
}
