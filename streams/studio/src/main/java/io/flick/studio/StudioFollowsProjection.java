package io.flick.studio;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.user.UserActor;
import io.flick.user.UserEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Follower growth for the studio: every {@code Followed}/{@code Unfollowed} the UserActors journal
 * becomes one row of {@code studio_follow_events} under the creator's month and day, keyed by the
 * event's place in the journal (persistence id and sequence number), so a replayed event rewrites
 * its own row and is counted once. Gained, lost and net are counted from those rows at query time.
 * Named after its table: V010 moved the rows to month partitions, and a projection of a new name
 * starts from the beginning of the journal, so the new table gets every follow.
 */
public final class StudioFollowsProjection {
  public static final String NAME = "studio-follow-events";

  private StudioFollowsProjection() {}

  public static void start(ActorSystem<?> system, StudioTables tables, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, UserActor.ENTITY_TYPE_KEY, () -> new FollowsHandler(tables), metrics);
  }

  static final class FollowsHandler extends Handler<EventEnvelope<UserEvent>> {
    private final StudioTables tables;

    FollowsHandler(StudioTables tables) {
      this.tables = tables;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<UserEvent> envelope) {
      String key = envelope.persistenceId() + ":" + envelope.sequenceNr();
      CompletionStage<Void> write = CompletableFuture.completedFuture(null);
      if (envelope.event() instanceof UserEvent.Followed f) {
        write = tables.saveFollow(f.creatorId(), f.at(), key, f.userId(), true);
      } else if (envelope.event() instanceof UserEvent.Unfollowed u) {
        write = tables.saveFollow(u.creatorId(), u.at(), key, u.userId(), false);
      }
      return write.thenApply(done -> Done.getInstance());
    }
  }
}
