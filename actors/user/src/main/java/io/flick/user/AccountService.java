package io.flick.user;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.password4j.Password;
import io.flick.common.Ids;
import io.flick.user.UserCommand.AccountLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Sign-up and log-in. A handle is claimed with a Cassandra lightweight transaction, so no two nodes
 * can register the same one; the account itself lives in the user's {@link UserActor}. Password
 * hashing (Argon2id) is CPU-heavy and runs on the blocking dispatcher.
 */
public final class AccountService {

  /** The handle belongs to someone else. */
  public static final class HandleTakenException extends RuntimeException {
    public HandleTakenException(String handle) {
      super("handle '" + handle + "' is taken");
    }
  }

  private final ClusterSharding sharding;
  private final CqlSession session;
  private final Duration askTimeout;
  private final Executor blocking;
  private final Clock clock;
  private final PreparedStatement claimHandle;
  private final PreparedStatement selectHandle;
  // verified when the handle is unknown, so a wrong handle costs as much time as a wrong password
  private final String decoyHash;

  public AccountService(
      ActorSystem<?> system, CqlSession session, String keyspace, Duration askTimeout) {
    this.sharding = ClusterSharding.get(system);
    this.session = session;
    this.askTimeout = askTimeout;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.clock = Clock.systemUTC();
    this.claimHandle =
        session.prepare(
            "INSERT INTO "
                + keyspace
                + ".account_handles (handle, user_id, password_hash, region, created_at)"
                + " VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
    this.selectHandle =
        session.prepare(
            "SELECT user_id, password_hash, region, created_at FROM "
                + keyspace
                + ".account_handles WHERE handle = ?");
    this.decoyHash = hash("decoy-password-for-unknown-handles");
  }

  /**
   * Registers a new account. Fails with {@link IllegalArgumentException} (bad input) or {@link
   * HandleTakenException}.
   */
  public CompletionStage<Account> register(String handle, String password, String region) {
    Optional<String> problem =
        AccountRules.handleProblem(handle)
            .or(() -> AccountRules.passwordProblem(password, handle))
            .or(() -> AccountRules.regionProblem(region));
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem.get()));
    }
    String canonical = AccountRules.canonicalHandle(handle);
    String userId = Ids.newId();
    String canonicalRegion = AccountRules.canonicalRegion(region);
    Instant now = clock.instant();
    return CompletableFuture.supplyAsync(() -> hash(password), blocking)
        .thenCompose(
            hash ->
                session.executeAsync(
                    claimHandle.bind(canonical, userId, hash, canonicalRegion, now)))
        .thenCompose(
            rs -> {
              if (!rs.wasApplied()) {
                throw new HandleTakenException(canonical);
              }
              return registerEntity(userId, canonical, canonicalRegion, now);
            });
  }

  /** The account when handle and password match; empty otherwise (never says which was wrong). */
  public CompletionStage<Optional<Account>> authenticate(String handle, String password) {
    String canonical = AccountRules.canonicalHandle(handle);
    String given = password == null ? "" : password;
    return session
        .executeAsync(selectHandle.bind(canonical))
        .thenApply(AsyncResultSet::one)
        .thenComposeAsync(
            row -> {
              boolean matches =
                  Password.check(given, row == null ? decoyHash : row.getString("password_hash"))
                      .withArgon2();
              if (row == null || !matches) {
                return CompletableFuture.completedFuture(Optional.<Account>empty());
              }
              // Register is idempotent: this also repairs a sign-up whose entity write timed out
              return registerEntity(
                      row.getString("user_id"),
                      canonical,
                      row.getString("region"),
                      row.getInstant("created_at"))
                  .thenApply(Optional::of);
            },
            blocking);
  }

  public CompletionStage<Optional<Account>> account(String userId) {
    if (!Ids.isWellFormed(userId)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return entity(userId)
        .ask(UserCommand.GetAccount::new, askTimeout)
        .thenApply(AccountLookup::account);
  }

  /**
   * Sets (or, with null or blank, clears) the display name of a registered user and answers the
   * account. Fails with {@link IllegalArgumentException} (a name {@link
   * AccountRules#displayNameProblem} refuses) or {@link SocialService.UnknownUserException}.
   */
  public CompletionStage<Account> setDisplayName(String userId, String displayName) {
    Optional<String> problem = AccountRules.displayNameProblem(displayName);
    if (problem.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(problem.get()));
    }
    if (!Ids.isWellFormed(userId)) {
      return CompletableFuture.failedFuture(SocialService.UnknownUserException.of(userId));
    }
    String canonical = AccountRules.canonicalDisplayName(displayName);
    return entity(userId)
        .askWithStatus(
            replyTo -> new UserCommand.SetDisplayName(canonical, clock.instant(), replyTo),
            askTimeout);
  }

  /** The user id behind a handle, if registered. */
  public CompletionStage<Optional<String>> userIdOf(String handle) {
    return session
        .executeAsync(selectHandle.bind(AccountRules.canonicalHandle(handle)))
        .thenApply(rs -> Optional.ofNullable(rs.one()).map((Row row) -> row.getString("user_id")));
  }

  private CompletionStage<Account> registerEntity(
      String userId, String handle, String region, Instant at) {
    return entity(userId)
        .askWithStatus(
            replyTo -> new UserCommand.Register(handle, region, at, replyTo), askTimeout);
  }

  private EntityRef<UserCommand> entity(String userId) {
    return sharding.entityRefFor(UserActor.ENTITY_TYPE_KEY, userId);
  }

  private static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).withArgon2().getResult();
  }
}
