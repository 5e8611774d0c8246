package io.flick.api.safety;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.RouteTemplates;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.video.ReadyVideoCache;
import io.flick.common.Ids;
import io.flick.moderation.ModerationService;
import io.flick.moderation.SafetyActor.Reason;
import io.flick.moderation.SafetyActor.Report;
import io.flick.moderation.SafetyActor.TargetKind;
import io.flick.user.AccountService;
import io.flick.video.VideoService;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Report and block (issue 18): {@code POST /reports}, {@code POST/DELETE /users/{id}/block}, and
 * their enforcement at the API edge:
 *
 * <ul>
 *   <li>a user someone blocked can no longer follow them or comment on their videos (403, checked
 *       before the social routes run);
 *   <li>the blocker's feeds, hashtag/sound lists and comment lists leave out what the blocked users
 *       made ({@link #hidingBlocked}, over every API response to a signed-in caller).
 * </ul>
 *
 * The blocks live in the moderation context's SafetyActor; this node remembers a caller's block
 * list for {@link #REMEMBER} (its own changes at once).
 */
public final class SafetyRoutes extends AllDirectives {
  static final int MAX_REPORT_TEXT = 1000;
  static final Duration REMEMBER = Duration.ofSeconds(5);

  record ReportRequest(String targetKind, String targetId, String reason, String text) {}

  record ReportView(
      String id, String targetKind, String targetId, String reason, String text, Instant filedAt) {
    static ReportView of(Report r) {
      return new ReportView(
          r.reportId(),
          r.targetKind().name().toLowerCase(Locale.ROOT),
          r.targetId(),
          r.reason().name().toLowerCase(Locale.ROOT),
          r.text(),
          r.at());
    }
  }

  private static final Set<String> FILTERED =
      Set.of(
          "/api/v1/feed/foryou",
          "/api/v1/feed/following",
          "/api/v1/feed/trending",
          "/api/v1/hashtags/{name}/videos",
          "/api/v1/sounds/{name}/videos",
          "/api/v1/videos/{id}/comments");

  private final ModerationService moderation;
  private final AccountService accounts;
  private final VideoService videos;
  private final ReadyVideoCache readyVideos;
  private final TokenService tokens;
  private final AsyncLoadingCache<String, Set<String>> blocked;

  public SafetyRoutes(
      ModerationService moderation,
      AccountService accounts,
      VideoService videos,
      ReadyVideoCache readyVideos,
      TokenService tokens) {
    this.moderation = moderation;
    this.accounts = accounts;
    this.videos = videos;
    this.readyVideos = readyVideos;
    this.tokens = tokens;
    this.blocked =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(REMEMBER)
            .buildAsync((userId, executor) -> moderation.blocked(userId).toCompletableFuture());
  }

  /** The routes under /api/v1; mount them before the social routes (the guards pass on). */
  public Route routes(AuthDirectives auth) {
    return concat(
        path(
            "reports",
            () ->
                post(
                    () ->
                        auth.authenticated(
                            caller ->
                                entity(
                                    Json.unmarshaller(ReportRequest.class),
                                    req ->
                                        onSuccess(
                                            report(caller, req),
                                            r ->
                                                complete(
                                                    StatusCodes.CREATED,
                                                    ReportView.of(r),
                                                    Json.marshaller())))))),
        path(
            segment("users").slash(segment()).slash("block"),
            userId ->
                auth.authenticated(
                    caller ->
                        concat(
                            post(
                                () ->
                                    onSuccess(
                                        block(caller, userId, true),
                                        r -> complete(StatusCodes.OK, r, Json.marshaller()))),
                            delete(
                                () ->
                                    onSuccess(
                                        block(caller, userId, false),
                                        r -> complete(StatusCodes.OK, r, Json.marshaller())))))),
        // guards: refuse what a block forbids, otherwise let the next routes answer
        path(
            segment("users").slash(segment()).slash("follow"),
            creatorId ->
                post(
                    () ->
                        auth.authenticated(
                            caller ->
                                onSuccess(
                                    blocks(creatorId, caller.userId()),
                                    refused ->
                                        refused
                                            ? forbidden("this user has blocked you")
                                            : reject())))),
        path(
            segment("videos").slash(segment()).slash("comments"),
            videoId ->
                post(
                    () ->
                        auth.authenticated(
                            caller ->
                                onSuccess(
                                    creatorBlocks(videoId, caller.userId()),
                                    refused ->
                                        refused
                                            ? forbidden("the creator of this video has blocked you")
                                            : reject())))));
  }

  /**
   * Runs {@code inner}; when a signed-in caller who blocks someone reads a feed or a comment list,
   * the items by the users they block are left out of the answer.
   */
  public Route hidingBlocked(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<String> caller = filteredCaller(request);
          if (caller.isEmpty()) {
            return inner.get();
          }
          return onSuccess(
              blocked.get(caller.get()),
              ids ->
                  ids.isEmpty()
                      ? inner.get()
                      : mapResponse(response -> withoutBlocked(response, ids), inner));
        });
  }

  private Optional<String> filteredCaller(HttpRequest request) {
    if (!request.method().name().equals("GET")
        || !FILTERED.contains(RouteTemplates.of(request.getUri().path()))) {
      return Optional.empty();
    }
    return request
        .getHeader("Authorization")
        .map(h -> h.value())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .flatMap(
            v -> {
              try {
                return Optional.of(tokens.verify(v.substring(7).strip()).userId());
              } catch (TokenService.InvalidTokenException e) {
                return Optional.empty();
              }
            });
  }

  static HttpResponse withoutBlocked(HttpResponse response, Set<String> blockedIds) {
    if (response.status().intValue() != 200
        || !(response.entity() instanceof HttpEntity.Strict strict)) {
      return response;
    }
    try {
      JsonNode body = Json.MAPPER.readTree(strict.getData().toArray());
      if (!(body instanceof ObjectNode object) || !(object.get("items") instanceof ArrayNode)) {
        return response;
      }
      ArrayNode items = (ArrayNode) object.get("items");
      boolean removed = false;
      for (Iterator<JsonNode> it = items.elements(); it.hasNext(); ) {
        JsonNode item = it.next();
        String creator = item.path("creatorId").asText(null);
        String author = item.path("author").path("id").asText(null);
        if ((creator != null && blockedIds.contains(creator))
            || (author != null && blockedIds.contains(author))) {
          it.remove();
          removed = true;
        }
      }
      if (!removed) {
        return response;
      }
      return response.withEntity(
          HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.MAPPER.writeValueAsBytes(body)));
    } catch (java.io.IOException e) {
      return response;
    }
  }

  private CompletionStage<Boolean> blocks(String blockerId, String userId) {
    if (!Ids.isWellFormed(blockerId)) {
      return CompletableFuture.completedFuture(false);
    }
    return blocked.get(blockerId).thenApply(ids -> ids.contains(userId));
  }

  private CompletionStage<Boolean> creatorBlocks(String videoId, String userId) {
    if (!Ids.isWellFormed(videoId)) {
      return CompletableFuture.completedFuture(false);
    }
    return readyVideos
        .get(videoId)
        .thenCompose(
            video ->
                video.isEmpty()
                    ? CompletableFuture.completedFuture(false)
                    : blocks(video.get().creatorId(), userId));
  }

  private Route forbidden(String detail) {
    return failWith(new ApiException(403, "Forbidden", detail));
  }

  private CompletionStage<Map<String, Object>> block(Caller caller, String userId, boolean block) {
    if (caller.userId().equals(userId)) {
      return CompletableFuture.failedFuture(ApiException.badRequest("you cannot block yourself"));
    }
    return known(userId)
        .thenCompose(
            found ->
                block
                    ? moderation.block(caller.userId(), userId)
                    : moderation.unblock(caller.userId(), userId))
        .thenApply(
            change -> {
              blocked.synchronous().invalidate(caller.userId());
              return Map.<String, Object>of(
                  "blocked", change.blocked(), "changed", change.changed());
            });
  }

  private CompletionStage<Boolean> known(String userId) {
    if (!Ids.isWellFormed(userId)) {
      return CompletableFuture.failedFuture(ApiException.notFound("no user with id " + userId));
    }
    return accounts
        .account(userId)
        .thenApply(
            a -> {
              if (a.isEmpty()) {
                throw ApiException.notFound("no user with id " + userId);
              }
              return true;
            });
  }

  private CompletionStage<Report> report(Caller caller, ReportRequest req) {
    Optional<TargetKind> kind =
        Optional.ofNullable(req.targetKind())
            .flatMap(
                k -> {
                  try {
                    return Optional.of(TargetKind.valueOf(k.strip().toUpperCase(Locale.ROOT)));
                  } catch (IllegalArgumentException e) {
                    return Optional.empty();
                  }
                });
    if (kind.isEmpty()) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest("targetKind must be \"video\", \"comment\" or \"user\""));
    }
    Optional<Reason> reason = Reason.parse(req.reason());
    if (reason.isEmpty()) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest(
              "reason must be one of "
                  + Arrays.stream(Reason.values())
                      .map(r -> r.name().toLowerCase(Locale.ROOT))
                      .toList()));
    }
    String text = req.text() == null ? "" : req.text().strip();
    if (text.length() > MAX_REPORT_TEXT) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest("text is at most " + MAX_REPORT_TEXT + " characters"));
    }
    String target = req.targetId();
    if (target == null || target.isBlank()) {
      return CompletableFuture.failedFuture(ApiException.badRequest("targetId is required"));
    }
    CompletionStage<Boolean> exists =
        switch (kind.get()) {
          case USER -> known(target);
          case VIDEO ->
              Ids.isWellFormed(target)
                  ? videos
                      .get(target)
                      .thenApply(
                          v -> {
                            if (v.isEmpty()) {
                              throw ApiException.notFound("no video with id " + target);
                            }
                            return true;
                          })
                  : CompletableFuture.failedFuture(
                      ApiException.notFound("no video with id " + target));
          // comments are looked up by moderators when they review the report
          case COMMENT ->
              target.length() <= 64
                  ? CompletableFuture.completedFuture(true)
                  : CompletableFuture.failedFuture(ApiException.notFound("no such comment"));
        };
    return exists.thenCompose(
        ok ->
            moderation.report(
                caller.userId(), Ids.newId(), kind.get(), target, reason.get(), text));
  }
}
