package io.flick.common.projection;

import com.typesafe.config.Config;
import io.flick.common.NodeRoles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.Handler;
import org.apache.pekko.projection.javadsl.SourceProvider;

/**
 * The one way Flick builds a read-side view (see ../shared/DESIGN.md, "The read side"): a Pekko
 * Projection over one entity type's tagged journal events, its offset stored in Cassandra ({@code
 * projection_offsets}), at-least-once into an idempotent handler, restarted with backoff, one
 * instance per tag as a {@link ShardedDaemonProcess} on the nodes with the {@link #ROLE} role, its
 * progress on /metrics ({@link ProjectionMetrics}).
 *
 * <p>An entity tags the events a projection reads with {@link #tag}: its type's name and one of
 * {@link #TAGS} slices of its id, so each projection runs as that many instances spread over the
 * cluster, and one entity's events stay in order within one of them.
 */
public final class ReadSide {
  /** The cluster role of the nodes that run projections. */
  public static final String ROLE = NodeRoles.PROJECTIONS;

  /**
   * Slices per entity type: how many instances of a projection run at once. Fixed, since an event
   * keeps the tag it was written with.
   */
  public static final int TAGS = 4;

  private ReadSide() {}

  /** {@code flick.projections}: how projections restart and how often they store offsets. */
  public record Settings(
      Duration minBackoff,
      Duration maxBackoff,
      double randomFactor,
      int saveOffsetAfterEnvelopes,
      Duration saveOffsetAfter,
      Duration lagSampleInterval) {
    public static Settings from(Config config) {
      Config c = config.getConfig("flick.projections");
      return new Settings(
          c.getDuration("restart.min-backoff"),
          c.getDuration("restart.max-backoff"),
          c.getDouble("restart.random-factor"),
          c.getInt("save-offset.after-envelopes"),
          c.getDuration("save-offset.after"),
          c.getDuration("lag-sample-interval"));
    }
  }

  /** The tag of every event of entity {@code entityId} that a projection reads. */
  public static Set<String> tag(EntityTypeKey<?> type, String entityId) {
    return Set.of(tagName(type, Math.floorMod(entityId.hashCode(), TAGS)));
  }

  /** Every tag of {@code type}, one per projection instance. */
  public static List<String> tags(EntityTypeKey<?> type) {
    return IntStream.range(0, TAGS).mapToObj(i -> tagName(type, i)).toList();
  }

  private static String tagName(EntityTypeKey<?> type, int slice) {
    return type.name().toLowerCase(java.util.Locale.ROOT) + "-" + slice;
  }

  /**
   * Starts projection {@code name} over the tagged events of {@code type}: one instance per tag,
   * each with a handler from {@code handler}, on the nodes with the {@link #ROLE} role (a node
   * without it only knows where they run).
   */
  public static <E> void start(
      ActorSystem<?> system,
      String name,
      EntityTypeKey<?> type,
      Supplier<Handler<EventEnvelope<E>>> handler,
      ProjectionMetrics metrics) {
    start(system, name, type, CassandraReadJournal.Identifier(), handler, metrics);
  }

  /**
   * As {@link #start(ActorSystem, String, EntityTypeKey, Supplier, ProjectionMetrics)}, reading the
   * events through the read journal configured at {@code readJournal} (a plugin id such as {@code
   * pekko.persistence.cassandra.query}): a projection that must follow its events sooner than the
   * shared query's consistency delay and poll allow gets a copy of that config with its own.
   */
  public static <E> void start(
      ActorSystem<?> system,
      String name,
      EntityTypeKey<?> type,
      String readJournal,
      Supplier<Handler<EventEnvelope<E>>> handler,
      ProjectionMetrics metrics) {
    Settings settings = Settings.from(system.settings().config());
    List<String> tags = tags(type);
    ReadSideProjections.get(system).register(name, tags);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            name,
            tags.size(),
            i ->
                ProjectionBehavior.create(
                    projection(system, name, readJournal, tags.get(i), handler, metrics, settings)),
            NodeRoles.restrictTo(system, ROLE)
                .map(ShardedDaemonProcessSettings.create(system)::withRole)
                .orElse(ShardedDaemonProcessSettings.create(system)),
            Optional.of(ProjectionBehavior.stopMessage()));
    if (NodeRoles.has(system, ROLE)) {
      metrics.sampleLag(system, name, tags, settings.lagSampleInterval());
    }
  }

  private static <E> Projection<EventEnvelope<E>> projection(
      ActorSystem<?> system,
      String name,
      String readJournal,
      String tag,
      Supplier<Handler<EventEnvelope<E>>> handler,
      ProjectionMetrics metrics,
      Settings settings) {
    SourceProvider<Offset, EventEnvelope<E>> events =
        EventSourcedProvider.eventsByTag(system, readJournal, tag);
    return CassandraProjection.atLeastOnce(ProjectionId.of(name, tag), events, handler)
        .withSaveOffset(settings.saveOffsetAfterEnvelopes(), settings.saveOffsetAfter())
        .withRestartBackoff(settings.minBackoff(), settings.maxBackoff(), settings.randomFactor())
        .withStatusObserver(metrics.observer(name, tag));
  }
}
