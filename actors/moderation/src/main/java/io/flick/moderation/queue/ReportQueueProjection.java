package io.flick.moderation.queue;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.moderation.SafetyActor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * Reports → the moderation queue: every {@link SafetyActor.ReportFiled} becomes a row of {@link
 * ReportQueue}. Idempotent (the row's key is the report's), so a redelivered event changes nothing.
 */
public final class ReportQueueProjection {
  public static final String NAME = "moderation-reports";

  private ReportQueueProjection() {}

  public static void start(ActorSystem<?> system, ReportQueue queue, ProjectionMetrics metrics) {
    ReadSide.start(
        system, NAME, SafetyActor.ENTITY_TYPE_KEY, () -> new ReportsHandler(queue), metrics);
  }

  static final class ReportsHandler extends Handler<EventEnvelope<SafetyActor.Event>> {
    private final ReportQueue queue;

    ReportsHandler(ReportQueue queue) {
      this.queue = queue;
    }

    @Override
    public CompletionStage<Done> process(EventEnvelope<SafetyActor.Event> envelope) {
      if (envelope.event() instanceof SafetyActor.ReportFiled filed) {
        return queue.add(filed.report());
      }
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }
}
