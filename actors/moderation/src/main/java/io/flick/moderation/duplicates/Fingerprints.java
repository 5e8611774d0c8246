package io.flick.moderation.duplicates;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;

/**
 * The {@code video_fingerprints} table: a log of what the near-duplicate finder needs to know — a
 * video's frame hashes once it is READY, and its removal or deletion. Written only by {@link
 * FingerprintProjection} (a row's key is its fact's, so writing it again changes nothing), read by
 * every {@link DuplicateFinder}. One partition per UTC day of the fact.
 */
public final class Fingerprints {
  /** What a row says. */
  public enum Kind {
    READY,
    REMOVED,
    DELETED
  }

  /** One fact; {@code frames} is empty but for READY. */
  public record Fact(Instant at, String videoId, Kind kind, String creatorId, long[] frames) {}

  private final CqlSession cql;
  private final PreparedStatement insert;
  private final PreparedStatement days;
  private final PreparedStatement since;

  public Fingerprints(CqlSession cql, String keyspace) {
    this.cql = cql;
    String table = keyspace + ".video_fingerprints";
    this.insert =
        cql.prepare(
            "INSERT INTO "
                + table
                + " (day, at, video_id, kind, creator_id, frames) VALUES (?, ?, ?, ?, ?, ?)");
    this.days = cql.prepare("SELECT DISTINCT day FROM " + table);
    this.since =
        cql.prepare(
            "SELECT at, video_id, kind, creator_id, frames FROM "
                + table
                + " WHERE day = ? AND at >= ?");
  }

  CompletionStage<Done> write(Fact fact) {
    ByteBuffer frames = ByteBuffer.allocate(fact.frames().length * Long.BYTES);
    for (long frame : fact.frames()) {
      frames.putLong(frame);
    }
    frames.flip();
    return cql.executeAsync(
            insert.bind(
                LocalDate.ofInstant(fact.at(), ZoneOffset.UTC),
                fact.at(),
                fact.videoId(),
                fact.kind().name(),
                fact.creatorId(),
                frames))
        .thenApply(rs -> Done.getInstance());
  }

  /** Every day that has facts, oldest first. */
  CompletionStage<List<LocalDate>> days() {
    List<LocalDate> out = new ArrayList<>();
    return pages(cql.executeAsync(days.bind()), row -> out.add(row.getLocalDate("day")))
        .thenApply(
            done -> {
              out.sort(null);
              return out;
            });
  }

  /** The facts of {@code day} at or after {@code from}, in time order, to {@code sink}. */
  CompletionStage<Done> read(LocalDate day, Instant from, Consumer<Fact> sink) {
    return pages(
        cql.executeAsync(since.bind(day, from)),
        row -> {
          ByteBuffer bytes = row.getByteBuffer("frames");
          long[] frames = new long[bytes == null ? 0 : bytes.remaining() / Long.BYTES];
          for (int i = 0; i < frames.length; i++) {
            frames[i] = bytes.getLong(bytes.position() + i * Long.BYTES);
          }
          sink.accept(
              new Fact(
                  row.getInstant("at"),
                  row.getString("video_id"),
                  Kind.valueOf(row.getString("kind")),
                  row.getString("creator_id"),
                  frames));
        });
  }

  private static CompletionStage<Done> pages(
      CompletionStage<AsyncResultSet> page, Consumer<Row> sink) {
    return page.thenCompose(
        rs -> {
          for (Row row : rs.currentPage()) {
            sink.accept(row);
          }
          return rs.hasMorePages()
              ? pages(rs.fetchNextPage(), sink)
              : CompletableFuture.completedFuture(Done.getInstance());
        });
  }
}
