package io.flick.moderation;

import io.flick.common.Ids;
import io.flick.moderation.SafetyActor.BlockChange;
import io.flick.moderation.SafetyActor.Reason;
import io.flick.moderation.SafetyActor.Report;
import io.flick.moderation.SafetyActor.TargetKind;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * Calls {@link SafetyActor}s: block, unblock, who a user blocks, file a report. A refusal comes
 * back as an {@link IllegalArgumentException} (a 400); a late reply as Pekko's timeout.
 */
public final class ModerationService {
  private final ClusterSharding sharding;
  private final Duration askTimeout;

  public ModerationService(ActorSystem<?> system, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
  }

  public CompletionStage<BlockChange> block(String userId, String blockedId) {
    if (!Ids.isWellFormed(blockedId)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("'" + blockedId + "' is not a user id"));
    }
    return ask(userId, r -> new SafetyActor.Block(blockedId, r));
  }

  public CompletionStage<BlockChange> unblock(String userId, String blockedId) {
    return ask(userId, r -> new SafetyActor.Unblock(blockedId, r));
  }

  /** The users {@code userId} blocks (empty for a user who never blocked anyone). */
  public CompletionStage<Set<String>> blocked(String userId) {
    if (!Ids.isWellFormed(userId)) {
      return CompletableFuture.completedFuture(Set.of());
    }
    return sharding
        .entityRefFor(SafetyActor.ENTITY_TYPE_KEY, userId)
        .<SafetyActor.Blocked>ask(SafetyActor.GetBlocked::new, askTimeout)
        .thenApply(SafetyActor.Blocked::userIds);
  }

  /** Grants or revokes the moderator role (operators only: the gRPC admin service). */
  public CompletionStage<org.apache.pekko.Done> setModerator(
      String userId, boolean moderator, String by) {
    return ask(userId, r -> new SafetyActor.SetModerator(moderator, by, r));
  }

  /** Whether {@code userId} holds the moderator role granted through the admin service. */
  public CompletionStage<Boolean> isModerator(String userId) {
    if (!Ids.isWellFormed(userId)) {
      return CompletableFuture.completedFuture(false);
    }
    return sharding
        .entityRefFor(SafetyActor.ENTITY_TYPE_KEY, userId)
        .ask(SafetyActor.IsModerator::new, askTimeout);
  }

  public CompletionStage<Report> report(
      String reporterId,
      String reportId,
      TargetKind kind,
      String targetId,
      Reason reason,
      String text) {
    return ask(
        reporterId, r -> new SafetyActor.FileReport(reportId, kind, targetId, reason, text, r));
  }

  private <T> CompletionStage<T> ask(
      String userId, Function<ActorRef<StatusReply<T>>, SafetyActor.Command> command) {
    if (!Ids.isWellFormed(userId)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("'" + userId + "' is not a user id"));
    }
    return sharding
        .entityRefFor(SafetyActor.ENTITY_TYPE_KEY, userId)
        .askWithStatus(command::apply, askTimeout)
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof java.util.concurrent.CompletionException
                      ? failure.getCause()
                      : failure;
              if (cause instanceof StatusReply.ErrorMessage error) {
                throw new IllegalArgumentException(error.getMessage());
              }
              throw failure instanceof RuntimeException r
                  ? r
                  : new java.util.concurrent.CompletionException(failure);
            });
  }
}
