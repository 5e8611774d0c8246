package io.flick.common.projection;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.prometheus.metrics.core.metrics.Gauge;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.TimeBasedUUID;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a projection runs behind its journal, per tag: the time of the newest event with the tag
 * (the journal's head, {@link JournalHeads}, shared by the projections reading the tag) minus the
 * time of the offset the projection stored; 0 when it has stored the head. Sampled every few
 * seconds, so a projection that is stuck (failing, restarting, or not running anywhere) shows a
 * growing lag, where the age of the last event it processed would freeze.
 */
final class ProjectionLag {
  private static final Logger log = LoggerFactory.getLogger(ProjectionLag.class);
  private final ActorSystem<?> system;
  private final String name;
  private final List<String> tags;
  private final Gauge lag;
  private final JournalHeads heads;

  private ProjectionLag(ActorSystem<?> system, String name, List<String> tags, Gauge lag) {
    this.system = system;
    this.name = name;
    this.tags = tags;
    this.lag = lag;
    this.heads = JournalHeads.get(system);
  }

  /** Samples the lag of projection {@code name} over {@code tags} every {@code interval}. */
  static void start(
      ActorSystem<?> system, String name, List<String> tags, Gauge lag, Duration interval) {
    ProjectionLag sampler = new ProjectionLag(system, name, tags, lag);
    system
        .scheduler()
        .scheduleWithFixedDelay(interval, interval, sampler::sample, system.executionContext());
  }

  private void sample() {
    for (String tag : tags) {
      ProjectionManagement.get(system)
          .<Offset>getOffset(ProjectionId.of(name, tag))
          .thenCombine(heads.newest(tag), (offset, head) -> seconds(offset, head))
          .whenComplete(
              (seconds, error) -> {
                if (error != null) {
                  // not running right now (restarting, or moving between nodes): the next sample
                  log.debug(
                      "projection {} on {}: lag not sampled ({})", name, tag, error.toString());
                } else {
                  lag.labelValues(name, tag).set(seconds);
                }
              });
    }
  }

  private static double seconds(Optional<Offset> offset, Optional<Instant> head) {
    if (head.isEmpty()) {
      return 0; // nothing tagged lately: nothing to be behind on
    }
    Optional<Instant> stored =
        offset
            .filter(TimeBasedUUID.class::isInstance)
            .map(o -> Instant.ofEpochMilli(Uuids.unixTimestamp(((TimeBasedUUID) o).value())));
    // no offset yet: behind by at least the age of the head
    Instant from = stored.orElse(head.get());
    Instant to = stored.isPresent() ? head.get() : Instant.now();
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }
}
