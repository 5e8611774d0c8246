package io.flick.api.auth;

import io.flick.api.Json;
import io.flick.api.Problem;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Bearer-token directives shared by every route that needs a caller. */
public final class AuthDirectives extends AllDirectives {
  private final TokenService tokens;

  public AuthDirectives(TokenService tokens) {
    this.tokens = tokens;
  }

  /** Runs {@code inner} with the verified caller, or answers 401 saying what is wrong. */
  public Route authenticated(Function<TokenService.Caller, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          if (header.isEmpty()) {
            return unauthorized("this call needs 'Authorization: Bearer <token>'; log in first");
          }
          String value = header.get();
          if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("the Authorization header must use the Bearer scheme");
          }
          try {
            return inner.apply(tokens.verify(value.substring(7).strip()));
          } catch (TokenService.InvalidTokenException e) {
            return unauthorized(e.getMessage());
          }
        });
  }

  /** The caller when a valid token is present; anonymous callers are fine (feeds). */
  public Route optionallyAuthenticated(Function<Optional<TokenService.Caller>, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          if (header.isEmpty()) {
            return inner.apply(Optional.empty());
          }
          return authenticated(caller -> inner.apply(Optional.of(caller)));
        });
  }

  private Route unauthorized(String detail) {
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.UNAUTHORIZED)
            .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "flick")))
            .withEntity(Json.problemEntity(Problem.of(401, "Unauthorized", detail))));
  }
}
