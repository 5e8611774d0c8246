package io.flick.common.projection;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.HandlerRecoveryStrategy;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.StatusObserver;
import org.apache.pekko.projection.eventsourced.EventEnvelope;

/**
 * Every projection's health on /metrics, by projection and tag: events processed, handler errors,
 * restarts, how far behind the journal it runs (its stored offset against the journal's newest
 * event, sampled: {@link ProjectionLag}), and the age of the last event it processed.
 */
public final class ProjectionMetrics {
  private final Counter processed;
  private final Counter errors;
  private final Counter restarts;
  private final Gauge lag;
  private final Gauge eventAge;

  public ProjectionMetrics(PrometheusRegistry registry) {
    processed =
        Counter.builder()
            .name("flick_projection_events_total")
            .help("Journal events a read-side projection has processed")
            .labelNames("projection", "tag")
            .register(registry);
    errors =
        Counter.builder()
            .name("flick_projection_errors_total")
            .help("Events a read-side projection's handler failed on (each retried or restarted)")
            .labelNames("projection", "tag")
            .register(registry);
    restarts =
        Counter.builder()
            .name("flick_projection_restarts_total")
            .help("Times a read-side projection failed and was restarted with backoff")
            .labelNames("projection", "tag")
            .register(registry);
    lag =
        Gauge.builder()
            .name("flick_projection_lag_seconds")
            .help(
                "How far a read-side projection runs behind its journal: the newest tagged event's"
                    + " time minus the time of the offset the projection stored (sampled)")
            .labelNames("projection", "tag")
            .register(registry);
    eventAge =
        Gauge.builder()
            .name("flick_projection_event_age_seconds")
            .help(
                "Seconds between a journal event's write and its projection, for the last event"
                    + " processed")
            .labelNames("projection", "tag")
            .register(registry);
  }

  /** Samples how far projection {@code name} runs behind its journal on each of {@code tags}. */
  void sampleLag(ActorSystem<?> system, String name, List<String> tags, Duration interval) {
    ProjectionLag.start(system, name, tags, lag, interval);
  }

  /** Counts what the projection {@code name} does on {@code tag}. */
  <E> StatusObserver<EventEnvelope<E>> observer(String name, String tag) {
    return new StatusObserver<>() {
      @Override
      public void started(ProjectionId projectionId) {}

      @Override
      public void failed(ProjectionId projectionId, Throwable cause) {
        restarts.labelValues(name, tag).inc();
      }

      @Override
      public void stopped(ProjectionId projectionId) {}

      @Override
      public void beforeProcess(ProjectionId projectionId, EventEnvelope<E> envelope) {}

      @Override
      public void afterProcess(ProjectionId projectionId, EventEnvelope<E> envelope) {
        processed.labelValues(name, tag).inc();
        eventAge
            .labelValues(name, tag)
            .set(Math.max(0, System.currentTimeMillis() - envelope.timestamp()) / 1000.0);
      }

      @Override
      public void offsetProgress(ProjectionId projectionId, EventEnvelope<E> envelope) {}

      @Override
      public void error(
          ProjectionId projectionId,
          EventEnvelope<E> envelope,
          Throwable cause,
          HandlerRecoveryStrategy recoveryStrategy) {
        errors.labelValues(name, tag).inc();
      }
    };
  }
}
