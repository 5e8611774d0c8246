package io.flick.api.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.moderation.audit.AuditLog;
import io.flick.moderation.queue.ReportQueue;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queue shows, for each report, the newest moderator action on its target since it was filed.
 */
class ModerationQueueTest {
  static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

  static ReportQueue.Entry report(String id, String target, Instant filed) {
    return new ReportQueue.Entry(id, "r1", "VIDEO", target, "SPAM", "", filed);
  }

  static AuditLog.Entry action(String what, String target, Instant at) {
    return new AuditLog.Entry(at, what, "video", target, "m1", "why");
  }

  @Test
  void aReportShowsTheNewestActionTakenOnItsTargetSinceItWasFiled() {
    var items =
        ModerationRoutes.withHandling(
            List.of(
                report("a", "v1", T), report("b", "v2", T), report("c", "v3", T.plusSeconds(60))),
            List.of(
                action("hold", "v1", T.plusSeconds(5)),
                action("release", "v1", T.plusSeconds(9)),
                action("remove", "v3", T.plusSeconds(30))));
    assertThat(items.get(0).handled().action()).isEqualTo("release");
    // nothing done to v2; v3's removal came before this report was filed
    assertThat(items.get(1).handled()).isNull();
    assertThat(items.get(2).handled()).isNull();
    assertThat(items)
        .extracting(ModerationRoutes.QueueItem::reportId)
        .containsExactly("a", "b", "c");
  }
}
