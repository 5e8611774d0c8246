package io.flick.api;

import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.LoginThrottle;
import io.flick.api.auth.TokenService;
import io.flick.api.health.ReadinessCheck;
import io.flick.api.limits.RateLimits;
import io.flick.api.metrics.Metrics;
import io.flick.api.web.WebRoutes;
import io.flick.user.AccountService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's whole HTTP surface: /api/v1 (API.md), health, readiness, metrics, the OpenAPI document
 * and the web app at /. Every error leaves as application/problem+json.
 */
public final class HttpApi extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final ContentType YAML =
      MediaTypes.applicationWithFixedCharset(
              "yaml", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8)
          .toContentType();

  private final Metrics metrics;
  private final List<ReadinessCheck> readinessChecks;
  private final Duration readinessTimeout;
  // the tree is built once: only what a request's path extracts is built per request
  private final Route routes;

  public HttpApi(
      AccountService accounts,
      TokenService tokens,
      LoginThrottle throttle,
      List<Function<AuthDirectives, Route>> v1Routes,
      Route mediaRoutes,
      Metrics metrics,
      List<ReadinessCheck> readinessChecks,
      Duration readinessTimeout) {
    this(
        accounts,
        tokens,
        throttle,
        v1Routes,
        mediaRoutes,
        metrics,
        readinessChecks,
        readinessTimeout,
        RateLimits.off(tokens),
        WebRoutes.Settings.DEFAULT);
  }

  /**
   * @param limits the rate limits every API request passes first (429 problem with Retry-After)
   * @param web the web app's browser policy (the S3 origin its uploads go to)
   */
  public HttpApi(
      AccountService accounts,
      TokenService tokens,
      LoginThrottle throttle,
      List<Function<AuthDirectives, Route>> v1Routes,
      Route mediaRoutes,
      Metrics metrics,
      List<ReadinessCheck> readinessChecks,
      Duration readinessTimeout,
      RateLimits limits,
      WebRoutes.Settings web) {
    this(
        accounts,
        tokens,
        throttle,
        v1Routes,
        mediaRoutes,
        metrics,
        readinessChecks,
        readinessTimeout,
        limits,
        web,
        java.util.function.UnaryOperator.identity());
  }

  /**
   * @param v1Filter wraps every /api/v1 route (e.g. leaving out what a caller has blocked)
   */
  public HttpApi(
      AccountService accounts,
      TokenService tokens,
      LoginThrottle throttle,
      List<Function<AuthDirectives, Route>> v1Routes,
      Route mediaRoutes,
      Metrics metrics,
      List<ReadinessCheck> readinessChecks,
      Duration readinessTimeout,
      RateLimits limits,
      WebRoutes.Settings web,
      java.util.function.UnaryOperator<Route> v1Filter) {
    AuthDirectives auth = new AuthDirectives(tokens);
    // the callers' routes first (the hot interaction routes lead that list), accounts after them
    Route unfiltered =
        concat(
            v1Routes.stream()
                .map(r -> r.apply(auth))
                .reduce((a, b) -> concat(a, b))
                .orElseGet(this::reject),
            new AccountRoutes(accounts, tokens, throttle, auth).routes());
    Route v1 = v1Filter.apply(unfiltered);
    this.metrics = metrics;
    this.readinessChecks = List.copyOf(readinessChecks);
    this.readinessTimeout = readinessTimeout;
    Route api =
        concat(
            pathPrefix("v1", () -> v1),
            path("openapi.yaml", () -> get(() -> getFromResource("openapi.yaml", YAML))));
    Route health = get(() -> complete(health()));
    Route ready = get(() -> onSuccess(ready(), this::complete));
    Route metricsRoute = get(() -> complete(metricsResponse()));
    Route webApp = new WebRoutes(web).routes();
    // the web app last: API paths never reach it
    Route app = encodeResponse(() -> webApp);
    Route all =
        concat(
            pathPrefix("api", () -> api),
            mediaRoutes,
            path("health", () -> health),
            path("ready", () -> ready),
            path("metrics", () -> metricsRoute),
            app);
    Route answered = problems(limits.limited(() -> all));
    this.routes = measured(() -> answered);
  }

  public Route routes() {
    return routes;
  }

  private Route measured(java.util.function.Supplier<Route> inner) {
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          return mapResponse(
              response -> {
                metrics.recordHttp(
                    request.method().name(),
                    request.getUri().path(),
                    response.status().intValue(),
                    System.nanoTime() - start);
                return response;
              },
              inner);
        });
  }

  private static HttpResponse health() {
    return HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":\"UP\"}"));
  }

  private CompletionStage<HttpResponse> ready() {
    Map<String, CompletableFuture<String>> results = new LinkedHashMap<>();
    for (ReadinessCheck check : readinessChecks) {
      CompletableFuture<String> result;
      try {
        result =
            check
                .check()
                .toCompletableFuture()
                .orTimeout(readinessTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> error == null ? "UP" : "DOWN: " + describe(error));
      } catch (RuntimeException e) {
        result = CompletableFuture.completedFuture("DOWN: " + describe(e));
      }
      results.put(check.name(), result);
    }
    return CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<String, String> checks = new LinkedHashMap<>();
              results.forEach((name, result) -> checks.put(name, result.join()));
              boolean up = checks.values().stream().allMatch("UP"::equals);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", up ? "UP" : "DOWN");
              body.put("checks", checks);
              return HttpResponse.create()
                  .withStatus(up ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE)
                  .withEntity(Json.entity(body));
            });
  }

  private static String describe(Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof TimeoutException) {
      return "no answer in time";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private HttpResponse metricsResponse() {
    HttpEntity.Strict entity =
        HttpEntities.create(ContentTypes.parse(metrics.contentType()), metrics.scrape());
    return HttpResponse.create().withEntity(entity);
  }

  /** The failure under the CompletionException/ExecutionException wrappers of futures. */
  public static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * Runs {@code inner} so that every failure and rejection leaves as application/problem+json: the
   * wrapper the whole API runs inside (route tests use it too).
   */
  public static Route problems(Route inner) {
    ExceptionHandler exceptions =
        ExceptionHandler.newBuilder()
            .match(
                Throwable.class,
                error -> Directives.complete(problemResponse(toProblem(unwrap(error)))))
            .build();
    RejectionHandler rejections = rejectionHandler();
    Route handled = Directives.handleRejections(rejections, () -> inner);
    // a request still unanswered at pekko.http.server.request-timeout (a shard on a node that died
    // mid-request, say) gets the same retryable problem as a timed-out ask, never a hang
    return Directives.withRequestTimeoutResponse(
        request -> problemResponse(unavailable()),
        () -> Directives.handleExceptions(exceptions, () -> handled));
  }

  /**
   * The cluster did not answer in time: an entity's shard on a node that is being downed, or the
   * journal not answering. Retryable; entities of a dead node answer again within ~10 s
   * (cluster.conf).
   */
  static Problem unavailable() {
    return Problem.of(503, "Service Unavailable", "the cluster did not answer in time; retry");
  }

  /**
   * Seconds a client should wait before retrying a 503: half the ~10 s a dead node's shards take.
   */
  static final long RETRY_AFTER_SECONDS = 5;

  /** A body that could not be read: too large (413) or not the JSON this call takes (400). */
  static Problem unreadableBody(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException size) {
        return tooLarge(size);
      }
      if (t instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
        return Problem.of(400, "Bad Request", Json.describe(json));
      }
    }
    Throwable inner = unwrap(cause);
    if (inner instanceof ApiException api) {
      return api.problem();
    }
    return Problem.of(400, "Bad Request", Json.describe(inner));
  }

  private static Problem tooLarge(EntityStreamSizeException size) {
    return Problem.of(
        413,
        "Content Too Large",
        "the request body is larger than this call accepts (at most " + size.limit() + " bytes)");
  }

  /** One place that maps failures to status codes; anything unexpected is a logged 500. */
  static Problem toProblem(Throwable cause) {
    if (cause instanceof ApiException api) {
      return api.problem();
    }
    if (cause instanceof EntityStreamSizeException size) {
      return tooLarge(size);
    }
    if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
      return Problem.of(400, "Bad Request", Json.describe(json));
    }
    if (cause instanceof IllegalArgumentException) {
      return Problem.of(400, "Bad Request", cause.getMessage());
    }
    if (cause instanceof io.flick.video.VideoService.VideoNotFoundException) {
      return Problem.of(404, "Not Found", cause.getMessage());
    }
    if (cause instanceof io.flick.video.VideoService.NotCreatorException) {
      return Problem.of(403, "Forbidden", cause.getMessage());
    }
    if (cause instanceof io.flick.video.VideoService.VideoStateException) {
      return Problem.of(409, "Conflict", cause.getMessage());
    }
    if (cause instanceof io.flick.video.upload.UploadService.UploadProblem upload) {
      return Problem.of(
          upload.status(),
          switch (upload.status()) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            default -> "Conflict";
          },
          upload.getMessage());
    }
    if (cause instanceof io.flick.user.SocialService.UnknownUserException) {
      return Problem.of(404, "Not Found", cause.getMessage());
    }
    if (cause instanceof io.flick.video.comments.CommentService.CommentNotFoundException) {
      return Problem.of(404, "Not Found", cause.getMessage());
    }
    if (cause instanceof io.flick.video.comments.CommentService.NotAuthorException) {
      return Problem.of(403, "Forbidden", cause.getMessage());
    }
    if (cause instanceof io.flick.video.comments.CommentService.CommentIdTakenException) {
      return Problem.of(409, "Conflict", cause.getMessage());
    }
    if (cause instanceof AccountService.HandleTakenException) {
      return Problem.of(409, "Conflict", cause.getMessage());
    }
    if (cause instanceof io.flick.search.SearchUnavailableException) {
      log.warn("search unavailable: {}", cause.getMessage());
      return Problem.of(503, "Service Unavailable", "search is unavailable right now; retry");
    }
    if (cause instanceof TimeoutException
        || cause instanceof org.apache.pekko.pattern.AskTimeoutException) {
      return unavailable();
    }
    // Cassandra not answering in time, or overloaded: a retry may land, nothing was half-done
    if (cause instanceof com.datastax.oss.driver.api.core.DriverTimeoutException
        || cause instanceof com.datastax.oss.driver.api.core.AllNodesFailedException
        || cause instanceof com.datastax.oss.driver.api.core.servererrors.QueryExecutionException) {
      log.warn("storage unavailable: {}", cause.toString());
      return unavailable();
    }
    if (cause instanceof StatusReply.ErrorMessage) {
      return Problem.of(409, "Conflict", cause.getMessage());
    }
    log.error("unexpected failure in a route", cause);
    return Problem.of(500, "Internal Server Error", "unexpected error; it has been logged");
  }

  private static HttpResponse problemResponse(Problem problem) {
    HttpResponse response =
        HttpResponse.create().withStatus(problem.status()).withEntity(Json.problemEntity(problem));
    return problem.status() == 503
        ? response.addHeader(RetryAfter.create(RETRY_AFTER_SECONDS))
        : response;
  }

  /**
   * Pekko's default rejection texts are clear and only need to leave as problem+json, except for a
   * body that could not be read: its detail says which field was wrong (strict JSON, {@link
   * Json#describe}) or how large a body may be, never Java types or setting names.
   */
  private static RejectionHandler rejectionHandler() {
    RejectionHandler body =
        RejectionHandler.newBuilder()
            .handle(
                MalformedRequestContentRejection.class,
                rejection ->
                    Directives.complete(problemResponse(unreadableBody(rejection.getCause()))))
            .build();
    return body.withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(
            response -> {
              if (response.entity() instanceof HttpEntity.Strict strict
                  && !strict.getContentType().equals(Json.PROBLEM_JSON)) {
                String detail = strict.getData().utf8String();
                return response.withEntity(
                    Json.problemEntity(
                        Problem.of(
                            response.status().intValue(), response.status().reason(), detail)));
              }
              return response;
            });
  }
}
