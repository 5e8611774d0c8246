package io.flick.node.contexts;

import io.flick.common.NodeRoles;
import io.flick.moderation.CaptionBlocklist;
import io.flick.moderation.ModerationService;
import io.flick.moderation.ModerationSettings;
import io.flick.moderation.SafetyActor;
import io.flick.moderation.audit.AuditLog;
import io.flick.moderation.audit.ModerationAuditProjection;
import io.flick.moderation.duplicates.DuplicateFinder;
import io.flick.moderation.duplicates.DuplicateFinder.Finding;
import io.flick.moderation.duplicates.FingerprintProjection;
import io.flick.moderation.duplicates.Fingerprints;
import io.flick.moderation.queue.ReportQueue;
import io.flick.moderation.queue.ReportQueueProjection;
import io.flick.node.infra.Infra;
import io.flick.transcode.pipeline.ModerationHook;
import io.flick.video.VideoSummary;
import io.flick.video.fingerprint.DHash;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The moderation context on this node: SafetyActors (reports and blocks; {@code entities}), the
 * report queue, audit log and fingerprint projections ({@code projections}), and the hook the
 * transcoder asks before READY with its near-duplicate finder ({@code transcode}).
 */
public record ModerationContext(
    ModerationService moderation, ReportQueue reportQueue, AuditLog audit, ModerationHook hook) {

  public static ModerationContext start(Infra infra) {
    SafetyActor.init(infra.system());
    ModerationService moderation = new ModerationService(infra.system(), infra.askTimeout());
    ReportQueue reportQueue = new ReportQueue(infra.cql(), infra.keyspace());
    ReportQueueProjection.start(infra.system(), reportQueue, infra.projections());
    AuditLog audit = new AuditLog(infra.cql(), infra.keyspace(), Clock.systemUTC());
    ModerationAuditProjection.start(infra.system(), audit, infra.projections());
    Fingerprints fingerprints = new Fingerprints(infra.cql(), infra.keyspace());
    FingerprintProjection.start(infra.system(), fingerprints, infra.projections());
    ModerationHook hook = ModerationHook.NONE;
    if (NodeRoles.has(infra.system(), NodeRoles.TRANSCODE)) {
      DuplicateFinder duplicates =
          new DuplicateFinder(fingerprints, Clock.systemUTC())
              .start(
                  infra.system(),
                  infra.config().getDuration("flick.moderation.duplicates-refresh"),
                  infra.metrics().registry());
      hook = new Hook(moderation, CaptionBlocklist.from(infra.config()), duplicates);
    }
    return new ModerationContext(moderation, reportQueue, audit, hook);
  }

  /**
   * The default moderation hook. Holds a video whose caption or hashtags are blocklisted, or that
   * is a near-duplicate of a video a moderator removed; files a report (never a hold) for a
   * near-duplicate of another creator's video, so moderators see the two linked. Every hold files a
   * report too, so the queue shows it.
   */
  record Hook(ModerationService moderation, CaptionBlocklist blocklist, DuplicateFinder duplicates)
      implements ModerationHook {
    @Override
    public CompletionStage<Optional<String>> review(VideoSummary video, String dhash) {
      Optional<Finding> duplicate =
          dhash == null || dhash.isEmpty()
              ? Optional.empty()
              : duplicates.check(
                  video.id(), video.creatorId(), DHash.hashes(Base64.getDecoder().decode(dhash)));
      Optional<String> hold =
          blocklist
              .check(video.caption(), video.hashtags())
              .or(
                  () ->
                      duplicate
                          .filter(Finding::removed)
                          .map(
                              d ->
                                  "near-duplicate of removed video "
                                      + d.videoId()
                                      + " ("
                                      + Math.round(d.share() * 100)
                                      + " % of frames)"));
      if (hold.isPresent()) {
        return report(video, "auto-", SafetyActor.Reason.OTHER, "held before READY: " + hold.get())
            .thenApply(filed -> hold);
      }
      if (duplicate.isPresent()) {
        Finding d = duplicate.get();
        return report(
                video,
                "dup-",
                SafetyActor.Reason.COPYRIGHT,
                "near-duplicate of video "
                    + d.videoId()
                    + " by user "
                    + d.creatorId()
                    + " ("
                    + Math.round(d.share() * 100)
                    + " % of frames)")
            .thenApply(filed -> Optional.<String>empty());
      }
      return CompletableFuture.completedFuture(Optional.empty());
    }

    private CompletionStage<SafetyActor.Report> report(
        VideoSummary video, String prefix, SafetyActor.Reason reason, String text) {
      return moderation.report(
          ModerationSettings.SYSTEM_REPORTER,
          prefix + video.id(),
          SafetyActor.TargetKind.VIDEO,
          video.id(),
          reason,
          text);
    }
  }
}
