package io.flick.moderation.queue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.flick.moderation.SafetyActor.Report;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * The moderation queue's table ({@code moderation_reports}): open reports, newest first. Written
 * only by {@link ReportQueueProjection}; an insert of the same report again changes nothing.
 */
public final class ReportQueue {
  /** One report as moderators see it. */
  public record Entry(
      String reportId,
      String reporterId,
      String targetKind,
      String targetId,
      String reason,
      String text,
      Instant filedAt) {}

  private static final String OPEN = "open";

  private final CqlSession cql;
  private final PreparedStatement insert;
  private final PreparedStatement newest;

  public ReportQueue(CqlSession cql, String keyspace) {
    this.cql = cql;
    this.insert =
        cql.prepare(
            "INSERT INTO "
                + keyspace
                + ".moderation_reports (queue, filed_at, report_id, reporter_id, target_kind,"
                + " target_id, reason, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    this.newest =
        cql.prepare(
            "SELECT filed_at, report_id, reporter_id, target_kind, target_id, reason, text FROM "
                + keyspace
                + ".moderation_reports WHERE queue = ? LIMIT ?");
  }

  CompletionStage<Done> add(Report report) {
    return cql.executeAsync(
            insert.bind(
                OPEN,
                report.at(),
                report.reportId(),
                report.reporterId(),
                report.targetKind().name(),
                report.targetId(),
                report.reason().name(),
                report.text()))
        .thenApply(rs -> Done.getInstance());
  }

  /** The newest {@code limit} open reports. */
  public CompletionStage<List<Entry>> open(int limit) {
    return cql.executeAsync(newest.bind(OPEN, limit))
        .thenApply(
            rs -> {
              List<Entry> entries = new ArrayList<>();
              for (Row row : rs.currentPage()) {
                entries.add(
                    new Entry(
                        row.getString("report_id"),
                        row.getString("reporter_id"),
                        row.getString("target_kind"),
                        row.getString("target_id"),
                        row.getString("reason"),
                        row.getString("text"),
                        row.getInstant("filed_at")));
              }
              return entries;
            });
  }
}
