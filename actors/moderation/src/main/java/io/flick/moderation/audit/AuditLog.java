package io.flick.moderation.audit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The moderation audit log ({@code moderation_audit}): every moderator action, newest first, one
 * partition per UTC day. Written only by {@link ModerationAuditProjection}; an entry's key is its
 * event's time, target and action, so writing it again changes nothing.
 */
public final class AuditLog {
  /** How far back {@link #recent} looks for entries. */
  static final int DAYS_KEPT_IN_VIEW = 90;

  /** One action. {@code moderatorId} is {@value #HOOK} for a hold by the pipeline's hook. */
  public record Entry(
      Instant at,
      String action,
      String targetKind,
      String targetId,
      String moderatorId,
      String reason) {}

  /** Who held a video that the pipeline's moderation hook flagged. */
  public static final String HOOK = "moderation-hook";

  private final CqlSession cql;
  private final Clock clock;
  private final PreparedStatement insert;
  private final PreparedStatement ofDay;

  public AuditLog(CqlSession cql, String keyspace, Clock clock) {
    this.cql = cql;
    this.clock = clock;
    this.insert =
        cql.prepare(
            "INSERT INTO "
                + keyspace
                + ".moderation_audit (day, at, target_id, action, target_kind, moderator_id,"
                + " reason) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.ofDay =
        cql.prepare(
            "SELECT at, target_id, action, target_kind, moderator_id, reason FROM "
                + keyspace
                + ".moderation_audit WHERE day = ? LIMIT ?");
  }

  CompletionStage<Done> record(Entry entry) {
    return cql.executeAsync(
            insert.bind(
                LocalDate.ofInstant(entry.at(), ZoneOffset.UTC),
                entry.at(),
                entry.targetId(),
                entry.action(),
                entry.targetKind(),
                entry.moderatorId(),
                entry.reason()))
        .thenApply(rs -> Done.getInstance());
  }

  /** The newest {@code limit} entries of the last {@value #DAYS_KEPT_IN_VIEW} days. */
  public CompletionStage<List<Entry>> recent(int limit) {
    return recent(limit, Instant.EPOCH);
  }

  /**
   * The newest {@code limit} entries, none from a day before {@code notBefore}'s: a caller that
   * only needs what happened since some time reads only the days since (one query per day).
   */
  public CompletionStage<List<Entry>> recent(int limit, Instant notBefore) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate oldest = LocalDate.ofInstant(notBefore, ZoneOffset.UTC);
    return collect(today, oldest, 0, limit, new ArrayList<>());
  }

  private CompletionStage<List<Entry>> collect(
      LocalDate day, LocalDate oldest, int daysBack, int limit, List<Entry> found) {
    if (found.size() >= limit || daysBack >= DAYS_KEPT_IN_VIEW || day.isBefore(oldest)) {
      return CompletableFuture.completedFuture(found);
    }
    return cql.executeAsync(ofDay.bind(day, limit - found.size()))
        .thenCompose(
            rs -> {
              for (Row row : rs.currentPage()) {
                found.add(
                    new Entry(
                        row.getInstant("at"),
                        row.getString("action"),
                        row.getString("target_kind"),
                        row.getString("target_id"),
                        row.getString("moderator_id"),
                        row.getString("reason")));
              }
              return collect(day.minusDays(1), oldest, daysBack + 1, limit, found);
            });
  }
}
