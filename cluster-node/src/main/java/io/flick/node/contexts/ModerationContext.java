package io.flick.node.contexts;

import io.flick.moderation.CaptionBlocklist;
import io.flick.moderation.ModerationService;
import io.flick.moderation.ModerationSettings;
import io.flick.moderation.SafetyActor;
import io.flick.moderation.queue.ReportQueue;
import io.flick.moderation.queue.ReportQueueProjection;
import io.flick.node.infra.Infra;
import io.flick.transcode.pipeline.ModerationHook;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The moderation context on this node: SafetyActors (reports and blocks; {@code entities}), the
 * report queue projection ({@code projections}), and the hook the transcoder asks before READY.
 */
public record ModerationContext(
    ModerationService moderation, ReportQueue reportQueue, ModerationHook hook) {

  public static ModerationContext start(Infra infra) {
    SafetyActor.init(infra.system());
    ModerationService moderation = new ModerationService(infra.system(), infra.askTimeout());
    CaptionBlocklist blocklist = CaptionBlocklist.from(infra.config());
    ModerationHook hook =
        (video, dhash) ->
            blocklist
                .check(video.caption(), video.hashtags())
                .map(
                    reason ->
                        moderation
                            .report(
                                ModerationSettings.SYSTEM_REPORTER,
                                "auto-" + video.id(),
                                SafetyActor.TargetKind.VIDEO,
                                video.id(),
                                SafetyActor.Reason.OTHER,
                                "flagged before READY: " + reason)
                            .thenApply(filed -> Optional.of(reason)))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    ReportQueue reportQueue = new ReportQueue(infra.cql(), infra.keyspace());
    ReportQueueProjection.start(infra.system(), reportQueue, infra.projections());
    return new ModerationContext(moderation, reportQueue, hook);
  }
}
