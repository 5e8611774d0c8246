package io.flick.creator.followers;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.creator.CreatorService;
import io.flick.user.UserActor;
import io.flick.user.UserEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Follows → the creator's followers: the UserActor journals a follow or unfollow (the fact), and
 * this projection adds or removes the follower on the CreatorActor. Idempotent: adding a follower
 * who is there, or removing one who is not, changes nothing, and one user's follows replay in the
 * order they were made, so a redelivered suffix ends in the same state.
 */
public final class FollowersProjection {
  public static final String NAME = "creator-followers";

  private FollowersProjection() {}

  /** Runs it over every UserActor's follows, on the nodes with the projections role. */
  public static void start(
      ActorSystem<?> system, CreatorService creators, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, UserActor.ENTITY_TYPE_KEY, () -> new FollowsHandler(creators), metrics);
  }

  static final class FollowsHandler extends Handler<EventEnvelope<UserEvent>> {
    private final CreatorService creators;

    FollowsHandler(CreatorService creators) {
      this.creators = creators;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<UserEvent> envelope) {
      return apply(creators, envelope.event());
    }
  }

  static CompletionStage<Done> apply(CreatorService creators, UserEvent event) {
    if (event instanceof UserEvent.Followed followed) {
      return creators
          .addFollower(followed.creatorId(), followed.userId(), followed.at())
          .thenApply(change -> Done.getInstance());
    }
    if (event instanceof UserEvent.Unfollowed unfollowed) {
      return creators
          .removeFollower(unfollowed.creatorId(), unfollowed.userId(), unfollowed.at())
          .thenApply(change -> Done.getInstance());
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
