package io.flick.api.moderation;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.common.Ids;
import io.flick.moderation.audit.AuditLog;
import io.flick.moderation.queue.ReportQueue;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.comments.CommentService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What moderators do (issue 18), all under {@code /moderation}, all for moderators only (403 for
 * anyone else, 401 without a token): read the report queue and the audit log; hold, release or
 * remove a video; remove a comment. The actions ask the entities, whose events name the moderator
 * and the reason; the audit log and the listings follow those events (projections).
 */
public final class ModerationRoutes extends AllDirectives {
  static final int MAX_REASON = 500;

  /** What a hold or a removal says. */
  record Action(String reason) {}

  private final VideoService videos;
  private final CommentService comments;
  private final ReportQueue queue;
  private final AuditLog audit;
  private final Set<String> configuredModerators;
  private final AsyncLoadingCache<String, Boolean> grantedModerators;

  /**
   * {@code configuredModerators}: the deployment's list ({@code FLICK_MODERATORS}); anyone else is
   * a moderator when the role was granted through the operators' admin service ({@code ./flick
   * moderator grant}), as the SafetyActor says; each node remembers that answer for {@link
   * #REMEMBER_ROLE}, so a revocation takes effect within it.
   */
  public ModerationRoutes(
      VideoService videos,
      CommentService comments,
      ReportQueue queue,
      AuditLog audit,
      Set<String> configuredModerators,
      Function<String, CompletionStage<Boolean>> isModerator) {
    this.videos = videos;
    this.comments = comments;
    this.queue = queue;
    this.audit = audit;
    this.configuredModerators = Set.copyOf(configuredModerators);
    this.grantedModerators =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(REMEMBER_ROLE)
            .buildAsync((userId, executor) -> isModerator.apply(userId).toCompletableFuture());
  }

  static final Duration REMEMBER_ROLE = Duration.ofSeconds(5);

  public Route routes(AuthDirectives auth) {
    return pathPrefix(
        "moderation",
        () ->
            auth.authenticated(
                caller ->
                    onSuccess(
                        isModerator(caller.userId()),
                        moderator ->
                            moderator
                                ? moderatorRoutes(caller)
                                : failWith(
                                    new ApiException(
                                        403, "Forbidden", "moderation is for moderators only")))));
  }

  private CompletionStage<Boolean> isModerator(String userId) {
    return configuredModerators.contains(userId)
        ? CompletableFuture.completedFuture(true)
        : grantedModerators.get(userId);
  }

  private Route moderatorRoutes(Caller moderator) {
    return concat(
        path(
            "reports",
            () ->
                get(
                    () ->
                        parameterOptional(
                            "limit",
                            limit ->
                                onSuccess(
                                    queue
                                        .open(limit(limit))
                                        .thenCompose(
                                            reports ->
                                                audit
                                                    .recent(HANDLED_LOOKBACK, oldest(reports))
                                                    .thenApply(
                                                        actions -> withHandling(reports, actions))),
                                    items -> ok(Map.of("items", items)))))),
        path(
            "audit",
            () ->
                get(
                    () ->
                        parameterOptional(
                            "limit",
                            limit ->
                                onSuccess(
                                    audit.recent(limit(limit)),
                                    items -> ok(Map.of("items", items)))))),
        path(
            segment("videos").slash(segment()).slash("hold"),
            videoId ->
                post(
                    () ->
                        withReason(
                            reason ->
                                onSuccess(
                                    known(videoId)
                                        .thenCompose(
                                            id -> videos.hold(id, moderator.userId(), reason)),
                                    video -> ok(statusOf(video)))))),
        path(
            segment("videos").slash(segment()).slash("release"),
            videoId ->
                post(
                    () ->
                        onSuccess(
                            known(videoId)
                                .thenCompose(id -> videos.release(id, moderator.userId())),
                            video -> ok(statusOf(video))))),
        path(
            segment("videos").slash(segment()).slash("remove"),
            videoId ->
                post(
                    () ->
                        withReason(
                            reason ->
                                onSuccess(
                                    known(videoId)
                                        .thenCompose(
                                            id -> videos.remove(id, moderator.userId(), reason)),
                                    done -> ok(Map.of("id", videoId, "removed", true)))))),
        path(
            segment("comments").slash(segment()).slash("remove"),
            commentId ->
                post(
                    () ->
                        withReason(
                            reason ->
                                onSuccess(
                                    comments.remove(commentId, moderator.userId(), reason),
                                    done -> ok(Map.of("id", commentId, "removed", true)))))));
  }

  /** The oldest report's filing time: the audit log need not be read further back. */
  private static java.time.Instant oldest(java.util.List<ReportQueue.Entry> reports) {
    return reports.stream()
        .map(ReportQueue.Entry::filedAt)
        .min(java.util.Comparator.naturalOrder())
        .orElse(java.time.Instant.now());
  }

  /** How many of the newest audit entries the queue looks through for what was done. */
  static final int HANDLED_LOOKBACK = 1000;

  /** A report as the queue shows it: {@code handled} is the newest action on its target since. */
  record QueueItem(
      String reportId,
      String reporterId,
      String targetKind,
      String targetId,
      String reason,
      String text,
      java.time.Instant filedAt,
      AuditLog.Entry handled) {}

  /**
   * The reports, each with the newest moderator action on its target taken at or after it was filed
   * (null while none was): the queue stays a projection of reports, and what was done is read from
   * the audit log, the other projection, instead of being written back into the queue.
   */
  static java.util.List<QueueItem> withHandling(
      java.util.List<ReportQueue.Entry> reports, java.util.List<AuditLog.Entry> actions) {
    Map<String, java.util.List<AuditLog.Entry>> byTarget = new java.util.HashMap<>();
    for (AuditLog.Entry action : actions) {
      byTarget.computeIfAbsent(action.targetId(), k -> new java.util.ArrayList<>()).add(action);
    }
    return reports.stream()
        .map(
            r ->
                new QueueItem(
                    r.reportId(),
                    r.reporterId(),
                    r.targetKind(),
                    r.targetId(),
                    r.reason(),
                    r.text(),
                    r.filedAt(),
                    byTarget.getOrDefault(r.targetId(), java.util.List.of()).stream()
                        .filter(a -> !a.at().isBefore(r.filedAt()))
                        .max(java.util.Comparator.comparing(AuditLog.Entry::at))
                        .orElse(null)))
        .toList();
  }

  private Route withReason(Function<String, Route> inner) {
    return entity(
        Json.unmarshaller(Action.class),
        action -> {
          String reason = action.reason() == null ? "" : action.reason().strip();
          if (reason.isEmpty()) {
            throw ApiException.badRequest("reason is required");
          }
          if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("reason is at most " + MAX_REASON + " characters");
          }
          return inner.apply(reason);
        });
  }

  private Route ok(Object body) {
    return complete(StatusCodes.OK, body, Json.marshaller());
  }

  private static Map<String, Object> statusOf(VideoSummary video) {
    return Map.of("id", video.id(), "status", video.status().name());
  }

  private static CompletionStage<String> known(String videoId) {
    return Ids.isWellFormed(videoId)
        ? CompletableFuture.completedFuture(videoId)
        : CompletableFuture.failedFuture(ApiException.notFound("no video with id " + videoId));
  }

  private static int limit(Optional<String> limit) {
    try {
      int n = limit.map(Integer::parseInt).orElse(50);
      if (n >= 1 && n <= 200) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest("limit must be a number from 1 to 200");
  }
}
