package io.flick.api.studio;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.Paging;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.studio.StudioQueries;
import io.flick.studio.StudioQueries.Range;
import io.flick.studio.StudioQueries.Sort;
import io.flick.video.VideoService;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The creator studio (issue 14): {@code GET /studio/overview}, {@code /studio/videos}, {@code
 * /studio/videos/{id}}, {@code /studio/followers}. Always the caller's own analytics: a token is
 * needed (401), another creator's video is a 403.
 */
public final class StudioRoutes extends AllDirectives {
  static final int MAX_LIMIT = 100;

  private final StudioQueries studio;
  private final VideoService videos;
  private final AuthDirectives auth;
  private final Paging paging = new Paging(MAX_LIMIT);

  public StudioRoutes(StudioQueries studio, VideoService videos, AuthDirectives auth) {
    this.studio = studio;
    this.videos = videos;
    this.auth = auth;
  }

  /** The routes under /api/v1. */
  public Route routes() {
    return pathPrefix(
        "studio",
        () ->
            get(
                () ->
                    auth.authenticated(
                        caller ->
                            concat(
                                path(
                                    "overview",
                                    () ->
                                        ranged(
                                            range -> ok(studio.overview(caller.userId(), range)))),
                                path(
                                    "followers",
                                    () ->
                                        daysRanged(
                                            range -> ok(studio.followers(caller.userId(), range)))),
                                path("videos", () -> videoTable(caller)),
                                path(
                                    segment("videos").slash(segment()),
                                    videoId ->
                                        ranged(range -> ok(video(caller, videoId, range))))))));
  }

  private Route videoTable(Caller caller) {
    return parameterOptional(
        "sort",
        sortParam ->
            paging.paged(
                (cursor, limit) -> {
                  Sort sort =
                      sortParam
                          .filter(s -> !s.isEmpty())
                          .map(
                              s ->
                                  Sort.parse(s)
                                      .orElseThrow(
                                          () ->
                                              ApiException.badRequest(
                                                  "sort must be one of "
                                                      + Arrays.stream(Sort.values())
                                                          .map(Sort::name)
                                                          .collect(Collectors.joining(", "))
                                                      + ", not \""
                                                      + s
                                                      + "\"")))
                          .orElse(Sort.views);
                  try {
                    return ok(studio.videos(caller.userId(), sort, cursor, limit));
                  } catch (StudioQueries.BadCursorException e) {
                    throw ApiException.badRequest(e.getMessage());
                  }
                }));
  }

  private CompletionStage<StudioQueries.VideoDetail> video(
      Caller caller, String videoId, Range range) {
    return videos
        .get(videoId)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return CompletableFuture.failedFuture(ApiException.notFound("no video " + videoId));
              }
              if (!found.get().creatorId().equals(caller.userId())) {
                return CompletableFuture.failedFuture(
                    new ApiException(
                        403, "Forbidden", "a video's analytics are for its creator only"));
              }
              return studio.video(videoId, range);
            });
  }

  /** {@code ?range=48h|7d|28d|60d} (7d when absent). */
  private Route ranged(Function<Range, Route> inner) {
    return ranged(true, inner);
  }

  /** {@code ?range=7d|28d|60d}: the followers are counted by day, so no 48h. */
  private Route daysRanged(Function<Range, Route> inner) {
    return ranged(false, inner);
  }

  private Route ranged(boolean hours, Function<Range, Route> inner) {
    return parameterOptional(
        "range",
        text -> {
          Optional<Range> range =
              text.filter(t -> !t.isEmpty())
                  .map(t -> Range.parse(t).filter(r -> hours || !r.hourly()))
                  .orElse(Optional.of(Range.D7));
          if (range.isEmpty()) {
            throw ApiException.badRequest(
                "range must be one of "
                    + Arrays.stream(Range.values())
                        .filter(r -> hours || !r.hourly())
                        .map(Range::label)
                        .collect(Collectors.joining(", "))
                    + ", not \""
                    + text.orElse("")
                    + "\"");
          }
          return inner.apply(range.get());
        });
  }

  private <T> Route ok(CompletionStage<T> answer) {
    return onSuccess(answer, body -> complete(StatusCodes.OK, body, Json.marshaller()));
  }
}
