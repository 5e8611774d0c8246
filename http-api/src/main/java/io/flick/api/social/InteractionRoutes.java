package io.flick.api.social;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.flick.api.ApiException;
import io.flick.api.HttpApi;
import io.flick.api.Json;
import io.flick.api.Problem;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.video.ReadyVideoCache;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.proto.events.Interaction;
import io.flick.video.VideoSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The hot write path of flow 4: views and shares, one at a time or batched as clients send them.
 * Each matches its whole path in one step (no per-request tree of alternatives) and answers 202
 * only once Kafka has every event it accepted, so an acknowledged interaction is counted.
 *
 * <p>{@code POST /api/v1/events} takes up to {@value #MAX_EVENTS} views and shares at once (what an
 * app sends every few seconds): a malformed batch is refused whole (400/401, nothing recorded); an
 * event for a video that is gone or not playable is listed in {@code rejected} and the others
 * count; if Kafka fails some, the 503 lists their indexes so the client resends only those.
 */
public final class InteractionRoutes extends AllDirectives {
  static final int MAX_EVENTS = 100;
  // 100 events take ~15 KiB; a larger body is not a batch this API sends
  static final long MAX_BATCH_BYTES = 64 * 1024;

  record ViewRequest(Long watchMs, Boolean completed, String source) {}

  record EventRequest(
      String kind, String videoId, Long watchMs, Boolean completed, String source) {}

  record EventBatch(List<EventRequest> events) {}

  record Rejected(int index, int status, String detail) {}

  record BatchResult(int accepted, List<Rejected> rejected) {}

  // decoders and fixed answers built once: these routes run for every view
  private static final Unmarshaller<org.apache.pekko.http.javadsl.model.HttpEntity, ViewRequest>
      VIEW = Json.unmarshaller(ViewRequest.class);
  private static final Unmarshaller<org.apache.pekko.http.javadsl.model.HttpEntity, EventBatch>
      BATCH = Json.unmarshaller(EventBatch.class);
  private static final HttpResponse COUNTED = accepted(Map.of("counted", true));
  // a repeat within the window: recorded for analytics, not counted again
  private static final HttpResponse REPEAT = accepted(Map.of("counted", false));

  /** Who is viewing, for the repeat check: a user, or an anonymous cookie and address. */
  record Viewer(String key, String address, boolean anonymous) {}

  private static final HttpResponse SHARED = accepted(Map.of("shared", true));

  private final InteractionPublisher interactions;
  private final ReadyVideoCache readyVideos;
  private final ViewIntegrity integrity;
  private final Route routes;

  public InteractionRoutes(
      InteractionPublisher interactions, ReadyVideoCache readyVideos, AuthDirectives auth) {
    this(interactions, readyVideos, auth, ViewIntegrity.OFF);
  }

  public InteractionRoutes(
      InteractionPublisher interactions,
      ReadyVideoCache readyVideos,
      AuthDirectives auth,
      ViewIntegrity integrity) {
    this.interactions = interactions;
    this.readyVideos = readyVideos;
    this.integrity = integrity;
    this.routes =
        concat(
            path(
                segment("videos").slash(segment()).slash("views"),
                videoId ->
                    post(
                        () ->
                            auth.optionallyAuthenticated(
                                caller ->
                                    device(
                                        device ->
                                            viewer(
                                                caller,
                                                viewer ->
                                                    entity(
                                                        VIEW,
                                                        req ->
                                                            onSuccess(
                                                                view(
                                                                    videoId, caller, device, viewer,
                                                                    req),
                                                                counted ->
                                                                    complete(
                                                                        counted
                                                                            ? COUNTED
                                                                            : REPEAT)))))))),
            path(
                segment("videos").slash(segment()).slash("share"),
                videoId ->
                    post(
                        () ->
                            auth.authenticated(
                                caller ->
                                    device(
                                        device ->
                                            onSuccess(
                                                share(videoId, caller, device),
                                                done -> complete(SHARED)))))),
            path(
                "events",
                () ->
                    post(
                        () ->
                            withSizeLimit(
                                MAX_BATCH_BYTES,
                                () ->
                                    auth.optionallyAuthenticated(
                                        caller ->
                                            device(
                                                device ->
                                                    viewer(
                                                        caller,
                                                        viewer ->
                                                            entity(
                                                                BATCH,
                                                                batch ->
                                                                    onSuccess(
                                                                        record(
                                                                            batch, caller, device,
                                                                            viewer),
                                                                        this::complete)))))))));
  }

  /** Built once; mount under /api/v1 before the other API routes. */
  public Route routes() {
    return routes;
  }

  /**
   * The viewer of this request: the caller's account, or the anonymous viewer cookie (issued or
   * rotated in the response when missing, foreign, expired or from an earlier day) and address.
   */
  private Route viewer(Optional<Caller> caller, Function<Viewer, Route> inner) {
    return extractRequest(
        request -> {
          String address = integrity.address().apply(request);
          if (caller.isPresent()) {
            return inner.apply(new Viewer("u:" + caller.get().userId(), address, false));
          }
          return optionalCookie(
              ViewerCookie.NAME,
              cookie -> {
                Optional<String> value = cookie.map(c -> c.value());
                Optional<String> id = value.flatMap(integrity.cookies()::verify);
                if (id.isPresent() && !integrity.cookies().stale(value.get())) {
                  return inner.apply(new Viewer("c:" + id.get(), address, true));
                }
                String fresh = integrity.cookies().issue();
                String freshId = integrity.cookies().verify(fresh).orElseThrow();
                // a rotated cookie keeps counting as the same viewer until it expires
                String key = "c:" + id.orElse(freshId);
                return setCookie(
                    org.apache.pekko.http.javadsl.model.headers.HttpCookie.create(
                            ViewerCookie.NAME, fresh)
                        .withPath("/api/")
                        .withHttpOnly(true)
                        .withMaxAge(ViewerCookie.VALID_DAYS * 86_400L)
                        .withSameSite(org.apache.pekko.http.javadsl.model.headers.SameSite.Lax),
                    () -> inner.apply(new Viewer(key, address, true)));
              });
        });
  }

  private CompletionStage<Boolean> view(
      String videoId, Optional<Caller> caller, String device, Viewer viewer, ViewRequest req) {
    if (req == null || req.watchMs() == null || req.watchMs() < 0) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest("watchMs (milliseconds watched, >= 0) is required"));
    }
    Optional<String> source = InteractionEvents.sourceProblem(req.source());
    if (source.isPresent()) {
      return CompletableFuture.failedFuture(ApiException.badRequest(source.get()));
    }
    return readyVideos
        .playable(videoId)
        .thenCompose(
            video ->
                integrity
                    .guard()
                    .counts(videoId, viewer.key(), viewer.address(), viewer.anonymous())
                    .thenCompose(
                        counts ->
                            interactions
                                .publish(
                                    InteractionEvents.view(
                                            video,
                                            caller,
                                            device,
                                            req.watchMs(),
                                            Boolean.TRUE.equals(req.completed()),
                                            req.source())
                                        .setRepeat(!counts))
                                .thenApply(done -> counts)));
  }

  private CompletionStage<Void> share(String videoId, Caller caller, String device) {
    return readyVideos
        .playable(videoId)
        .thenCompose(
            video ->
                interactions.publish(
                    InteractionEvents.of(
                        Interaction.Kind.SHARE, video, Optional.of(caller), device)));
  }

  private CompletionStage<HttpResponse> record(
      EventBatch batch, Optional<Caller> caller, String device, Viewer viewer) {
    List<EventRequest> events;
    try {
      events = validated(batch, caller);
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    }
    // one lookup per distinct video; a hot video's batch asks the node's cache once
    Map<String, CompletableFuture<VideoSummary>> videos = new HashMap<>();
    for (EventRequest event : events) {
      videos.computeIfAbsent(event.videoId(), id -> readyVideos.playable(id).toCompletableFuture());
    }
    return CompletableFuture.allOf(
            videos.values().stream()
                .map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new))
        .thenCompose(
            looked -> {
              List<Rejected> rejected = new ArrayList<>();
              Map<Integer, CompletableFuture<Void>> writes = new LinkedHashMap<>();
              for (int i = 0; i < events.size(); i++) {
                EventRequest event = events.get(i);
                CompletableFuture<VideoSummary> video = videos.get(event.videoId());
                if (video.isCompletedExceptionally()) {
                  Throwable error = video.handle((v, e) -> HttpApi.unwrap(e)).join();
                  if (!(error instanceof ApiException api)) {
                    return CompletableFuture.failedFuture(error);
                  }
                  rejected.add(new Rejected(i, api.status(), api.getMessage()));
                  continue;
                }
                Interaction.Builder interaction =
                    toInteraction(event, video.join(), caller, device);
                CompletionStage<Boolean> counts =
                    interaction.getKind() == Interaction.Kind.VIEW
                        ? integrity
                            .guard()
                            .counts(
                                event.videoId(), viewer.key(), viewer.address(), viewer.anonymous())
                        : CompletableFuture.completedFuture(true);
                writes.put(
                    i,
                    counts
                        .thenCompose(c -> interactions.publish(interaction.setRepeat(!c)))
                        .toCompletableFuture());
              }
              return CompletableFuture.allOf(
                      writes.values().stream()
                          .map(f -> f.handle((v, e) -> null))
                          .toArray(CompletableFuture[]::new))
                  .thenApply(written -> answer(writes, rejected));
            });
  }

  private static HttpResponse answer(
      Map<Integer, CompletableFuture<Void>> writes, List<Rejected> rejected) {
    List<Integer> failed =
        writes.entrySet().stream()
            .filter(w -> w.getValue().isCompletedExceptionally())
            .map(Map.Entry::getKey)
            .toList();
    if (!failed.isEmpty()) {
      Map<String, Object> extensions = new LinkedHashMap<>();
      extensions.put("accepted", writes.size() - failed.size());
      extensions.put("failed", failed);
      extensions.put("rejected", rejected);
      return HttpResponse.create()
          .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
          .withEntity(
              Json.problemEntity(
                  Problem.of(
                      503,
                      "Service Unavailable",
                      failed.size()
                          + " of the events could not be recorded; resend those listed in"
                          + " 'failed'"),
                  extensions));
    }
    return accepted(new BatchResult(writes.size(), rejected));
  }

  /** The whole batch is checked before anything is written: a client bug records nothing. */
  private static List<EventRequest> validated(EventBatch batch, Optional<Caller> caller) {
    if (batch == null || batch.events() == null || batch.events().isEmpty()) {
      throw ApiException.badRequest(
          "events (a list of 1 to " + MAX_EVENTS + " events) is required");
    }
    List<EventRequest> events = batch.events();
    if (events.size() > MAX_EVENTS) {
      throw ApiException.badRequest(
          "a batch holds at most " + MAX_EVENTS + " events, this one has " + events.size());
    }
    for (int i = 0; i < events.size(); i++) {
      EventRequest event = events.get(i);
      String at = "events[" + i + "]";
      if (event == null || event.kind() == null) {
        throw ApiException.badRequest(at + ".kind is required: \"view\" or \"share\"");
      }
      if (event.videoId() == null || event.videoId().isBlank()) {
        throw ApiException.badRequest(at + ".videoId is required");
      }
      switch (event.kind().toLowerCase(Locale.ROOT)) {
        case "view" -> {
          if (event.watchMs() == null || event.watchMs() < 0) {
            throw ApiException.badRequest(
                at + ".watchMs (milliseconds watched, >= 0) is required for a view");
          }
          InteractionEvents.sourceProblem(event.source())
              .ifPresent(
                  problem -> {
                    throw ApiException.badRequest(at + "." + problem);
                  });
        }
        case "share" -> {
          if (caller.isEmpty()) {
            throw new ApiException(
                401,
                "Unauthorized",
                at + " is a share: shares need 'Authorization: Bearer <token>'; log in first");
          }
        }
        default ->
            throw ApiException.badRequest(
                at + ".kind must be \"view\" or \"share\", not \"" + event.kind() + "\"");
      }
    }
    return events;
  }

  private static Interaction.Builder toInteraction(
      EventRequest event, VideoSummary video, Optional<Caller> caller, String device) {
    if (event.kind().equalsIgnoreCase("share")) {
      return InteractionEvents.of(Interaction.Kind.SHARE, video, caller, device);
    }
    return InteractionEvents.view(
        video,
        caller,
        device,
        event.watchMs(),
        Boolean.TRUE.equals(event.completed()),
        event.source());
  }

  private Route device(Function<String, Route> inner) {
    return optionalHeaderValueByName(
        "User-Agent", agent -> inner.apply(InteractionEvents.device(agent)));
  }

  private static HttpResponse accepted(Object body) {
    return HttpResponse.create().withStatus(StatusCodes.ACCEPTED).withEntity(Json.entity(body));
  }
}
