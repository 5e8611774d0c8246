package io.flick.api;

import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.LoginThrottle;
import io.flick.api.auth.TokenService;
import io.flick.user.Account;
import io.flick.user.AccountRules;
import io.flick.user.AccountService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Sign up, log in, and who am I. */
final class AccountRoutes extends AllDirectives {
  record SignUpRequest(String handle, String password, String region) {}

  record LoginRequest(String handle, String password) {}

  record AccountView(
      String id, String handle, String displayName, String region, Instant createdAt) {
    static AccountView of(Account account) {
      return new AccountView(
          account.id(),
          account.handle(),
          account.displayName(),
          account.region(),
          account.createdAt());
    }
  }

  /** {@code PATCH /me}: the display name to show beside the handle; an empty one clears it. */
  record AccountChange(String displayName) {}

  record SessionView(String token, Instant expiresAt, AccountView account) {}

  private final AccountService accounts;
  private final TokenService tokens;
  private final LoginThrottle throttle;
  private final AuthDirectives auth;

  AccountRoutes(
      AccountService accounts, TokenService tokens, LoginThrottle throttle, AuthDirectives auth) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.throttle = throttle;
    this.auth = auth;
  }

  Route routes() {
    return concat(
        path(
            "accounts",
            () ->
                post(
                    () ->
                        entity(
                            Json.unmarshaller(SignUpRequest.class),
                            req ->
                                onSuccess(
                                    signUp(req),
                                    account ->
                                        respondWithHeader(
                                            Location.create("/api/v1/users/" + account.id()),
                                            () ->
                                                complete(
                                                    StatusCodes.CREATED,
                                                    AccountView.of(account),
                                                    Json.marshaller())))))),
        path(
            "sessions",
            () ->
                post(
                    () ->
                        entity(
                            Json.unmarshaller(LoginRequest.class),
                            req -> onSuccess(logIn(req), response -> complete(response))))),
        path(
            "me",
            () ->
                concat(
                    patch(
                        () ->
                            auth.authenticated(
                                caller ->
                                    entity(
                                        Json.unmarshaller(AccountChange.class),
                                        change ->
                                            onSuccess(
                                                change(caller.userId(), change),
                                                account ->
                                                    complete(
                                                        StatusCodes.OK,
                                                        AccountView.of(account),
                                                        Json.marshaller()))))),
                    get(
                        () ->
                            auth.authenticated(
                                caller ->
                                    onSuccess(
                                        accounts.account(caller.userId()),
                                        account ->
                                            account
                                                .<Route>map(
                                                    a ->
                                                        complete(
                                                            StatusCodes.OK,
                                                            AccountView.of(a),
                                                            Json.marshaller()))
                                                .orElseGet(
                                                    () ->
                                                        failWith(
                                                            new ApiException(
                                                                401,
                                                                "Unauthorized",
                                                                "the token's account no longer"
                                                                    + " exists")))))))));
  }

  private CompletionStage<Account> change(String userId, AccountChange change) {
    if (change == null || change.displayName() == null) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest("displayName is required (an empty string clears it)"));
    }
    return accounts
        .setDisplayName(userId, change.displayName())
        .exceptionallyCompose(
            error -> {
              Throwable cause =
                  error instanceof java.util.concurrent.CompletionException c
                      ? c.getCause()
                      : error;
              // a valid token of an account that no longer exists, as GET /me answers it
              if (cause instanceof io.flick.user.SocialService.UnknownUserException) {
                return CompletableFuture.failedFuture(
                    new ApiException(401, "Unauthorized", "the token's account no longer exists"));
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  private CompletionStage<Account> signUp(SignUpRequest req) {
    if (req == null) {
      return CompletableFuture.failedFuture(ApiException.badRequest("a JSON body is required"));
    }
    return accounts.register(req.handle(), req.password(), req.region());
  }

  private CompletionStage<HttpResponse> logIn(LoginRequest req) {
    if (req == null
        || req.handle() == null
        || req.handle().isBlank()
        || req.password() == null
        || req.password().isEmpty()) {
      return CompletableFuture.failedFuture(
          ApiException.badRequest("handle and password are required"));
    }
    String handle = AccountRules.canonicalHandle(req.handle());
    return throttle
        .waitBeforeAttempt(handle)
        .thenCompose(
            wait -> {
              if (wait.isPresent()) {
                return CompletableFuture.completedFuture(tooManyAttempts(wait.get()));
              }
              return accounts
                  .authenticate(handle, req.password())
                  .thenCompose(account -> answerLogin(handle, account));
            });
  }

  private CompletionStage<HttpResponse> answerLogin(String handle, Optional<Account> account) {
    if (account.isEmpty()) {
      return throttle
          .recordFailure(handle)
          .thenApply(
              done ->
                  HttpResponse.create()
                      .withStatus(StatusCodes.UNAUTHORIZED)
                      .withEntity(
                          Json.problemEntity(
                              Problem.of(401, "Unauthorized", "handle or password is wrong"))));
    }
    Account a = account.get();
    TokenService.IssuedToken issued = tokens.issue(a.id(), a.handle(), a.region());
    return throttle
        .recordSuccess(handle)
        .thenApply(
            done ->
                HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .withEntity(
                        Json.entity(
                            new SessionView(
                                issued.token(), issued.expiresAt(), AccountView.of(a)))));
  }

  private static HttpResponse tooManyAttempts(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return HttpResponse.create()
        .withStatus(StatusCodes.TOO_MANY_REQUESTS)
        .addHeader(RetryAfter.create(seconds))
        .withEntity(
            Json.problemEntity(
                Problem.of(
                    429,
                    "Too Many Requests",
                    "too many failed logins for this handle; try again in " + seconds + " s")));
  }
}
