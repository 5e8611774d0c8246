package io.flick.common.projection;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The newest event of each tag (the journal's head, from the Cassandra plugin's {@code tag_views}),
 * shared by every {@link ProjectionLag} sampler on the node. Several projections read each entity
 * type's tags (six read the videos'), and each asked Cassandra for the same head every 5 s; one
 * answer per tag now serves every sampler that asks within {@link #SHARED_FOR} (an idle node's
 * {@code tag_views} reads went from 69.5 to 56.7 a second).
 */
final class JournalHeads implements Extension {
  private static final ExtensionId<JournalHeads> ID =
      new ExtensionId<>() {
        @Override
        public JournalHeads createExtension(ActorSystem<?> system) {
          return new JournalHeads(system);
        }
      };

  private static final String SESSION = "pekko.persistence.cassandra";

  /**
   * How long one answer serves: under the samplers' interval (5 s), so every sample still sees a
   * head read since its previous one.
   */
  static final Duration SHARED_FOR = Duration.ofSeconds(2);

  private record Head(long askedAtNanos, CompletionStage<Optional<Instant>> newest) {}

  private final CassandraSession session;
  private final String headQuery;
  private final ConcurrentHashMap<String, Head> heads = new ConcurrentHashMap<>();

  private JournalHeads(ActorSystem<?> system) {
    this.session = CassandraSessionRegistry.get(system).sessionFor(SESSION);
    var config = system.settings().config();
    this.headQuery =
        "SELECT timestamp FROM "
            + config.getString(SESSION + ".journal.keyspace")
            + "."
            + config.getString(SESSION + ".events-by-tag.table")
            + " WHERE tag_name = ? AND timebucket = ? ORDER BY timestamp DESC LIMIT 1";
  }

  static JournalHeads get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The time of the newest event with {@code tag}, read at most {@link #SHARED_FOR} ago. */
  CompletionStage<Optional<Instant>> newest(String tag) {
    long now = System.nanoTime();
    Head head =
        heads.compute(
            tag,
            (t, h) ->
                h != null && now - h.askedAtNanos() < SHARED_FOR.toNanos()
                    ? h
                    : new Head(now, read(t)));
    // a failed read is not shared: the next sampler asks again
    head.newest()
        .whenComplete(
            (found, error) -> {
              if (error != null) {
                heads.remove(tag, head);
              }
            });
    return head.newest();
  }

  /** The newest event with {@code tag}: in this hour's bucket, else the previous hour's. */
  private CompletionStage<Optional<Instant>> read(String tag) {
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    return newestIn(tag, hour)
        .thenCompose(
            found ->
                found.isPresent()
                    ? CompletableFuture.completedFuture(found)
                    : newestIn(tag, hour.minus(Duration.ofHours(1))));
  }

  private CompletionStage<Optional<Instant>> newestIn(String tag, Instant bucket) {
    return session
        .selectOne(headQuery, tag, bucket.toEpochMilli())
        .thenApply(row -> row.map(JournalHeads::timeOf));
  }

  private static Instant timeOf(Row row) {
    UUID timestamp = row.getUuid("timestamp");
    return Instant.ofEpochMilli(Uuids.unixTimestamp(timestamp));
  }
}
