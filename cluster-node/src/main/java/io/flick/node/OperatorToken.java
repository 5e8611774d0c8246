package io.flick.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.function.Function;

/**
 * The operators' token ({@code flick.admin.token}, {@code FLICK_ADMIN_TOKEN}): when set, an
 * operator's gRPC call (admin, ops) must carry it in the {@code x-flick-admin-token} header, or is
 * answered 401 before it reaches the service.
 */
final class OperatorToken {
  static final String HEADER = "x-flick-admin-token";

  private OperatorToken() {}

  /**
   * {@code service} (the handler of gRPC service {@code serviceName}) behind the token. Calls to
   * other services pass through to {@code service}, which answers them 404 so that the next handler
   * of the port is tried.
   */
  static Function<HttpRequest, CompletionStage<HttpResponse>> guard(
      Function<HttpRequest, CompletionStage<HttpResponse>> service,
      String serviceName,
      String token) {
    if (token.isEmpty()) {
      return service;
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    String prefix = "/" + serviceName + "/";
    return request -> {
      boolean admitted =
          !request.getUri().path().startsWith(prefix)
              || request
                  .getHeader(HEADER)
                  .map(
                      h ->
                          MessageDigest.isEqual(
                              expected, h.value().getBytes(StandardCharsets.UTF_8)))
                  .orElse(false);
      return admitted
          ? service.apply(request)
          : CompletableFuture.completedFuture(
              HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED));
    };
  }
}
