package io.flick.node;

import io.flick.common.Ids;
import io.flick.moderation.ModerationService;
import io.flick.proto.admin.AdminService;
import io.flick.proto.admin.AdminServiceHandlerFactory;
import io.flick.proto.admin.RoleReply;
import io.flick.proto.admin.RoleRequest;
import io.flick.user.AccountService;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * The operators' admin service (gRPC, on the node's gRPC port, which binds to loopback unless
 * {@code FLICK_GRPC_INTERFACE} says otherwise): grant and revoke the moderator role. The public
 * HTTP API has no way to do either. When {@code flick.admin.token} ({@code FLICK_ADMIN_TOKEN}) is
 * set, a call must carry it in the {@code x-flick-admin-token} header; set it whenever the gRPC
 * port is reachable from beyond the operators' hosts.
 */
public final class AdminGrpc implements AdminService {
  private final AccountService accounts;
  private final ModerationService moderation;

  private AdminGrpc(AccountService accounts, ModerationService moderation) {
    this.accounts = accounts;
    this.moderation = moderation;
  }

  public static Function<HttpRequest, CompletionStage<HttpResponse>> handler(
      ActorSystem<?> system, AccountService accounts, ModerationService moderation, String token) {
    return OperatorToken.guard(
        AdminServiceHandlerFactory.create(new AdminGrpc(accounts, moderation), system),
        AdminService.name,
        token);
  }

  @Override
  public CompletionStage<RoleReply> grantModerator(RoleRequest in) {
    return setModerator(in, true);
  }

  @Override
  public CompletionStage<RoleReply> revokeModerator(RoleRequest in) {
    return setModerator(in, false);
  }

  private CompletionStage<RoleReply> setModerator(RoleRequest in, boolean moderator) {
    String by = in.getOperator().isBlank() ? "operator" : in.getOperator().strip();
    return userIdOf(in.getUser().strip())
        .thenCompose(
            found -> {
              String userId =
                  found.orElseThrow(
                      () ->
                          new GrpcServiceException(
                              Status.NOT_FOUND.withDescription("no user " + in.getUser())));
              return moderation
                  .setModerator(userId, moderator, by)
                  .thenApply(
                      done ->
                          RoleReply.newBuilder().setUserId(userId).setModerator(moderator).build());
            });
  }

  /** The user named by id or by handle. */
  private CompletionStage<Optional<String>> userIdOf(String user) {
    if (user.isEmpty()) {
      return CompletableFuture.failedFuture(
          new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription("user is required")));
    }
    CompletionStage<Optional<String>> byHandle = accounts.userIdOf(user.replaceFirst("^@", ""));
    if (!Ids.isWellFormed(user)) {
      return byHandle;
    }
    return accounts
        .account(user)
        .thenCompose(
            account ->
                account.isPresent()
                    ? CompletableFuture.completedFuture(Optional.of(user))
                    : byHandle);
  }
}
