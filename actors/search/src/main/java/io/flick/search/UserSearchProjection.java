package io.flick.search;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.user.Account;
import io.flick.user.AccountService;
import io.flick.user.UserActor;
import io.flick.user.UserEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * A user's search document follows the UserActor's account: handle, display name, region and since
 * when. Idempotent: keyed by the user id, written from the account as it is now.
 */
public final class UserSearchProjection {
  /** The name carries the mapping version: a new index is filled by a projection of its own. */
  public static final String NAME = "search-users-v2";

  private UserSearchProjection() {}

  public static void start(
      ActorSystem<?> system,
      SearchEngine engine,
      AccountService accounts,
      ProjectionMetrics metrics) {
    UserDocuments documents = new UserDocuments(engine, accounts);
    ReadSide.start(
        system,
        NAME,
        UserActor.ENTITY_TYPE_KEY,
        SearchSettings.READ_JOURNAL,
        () ->
            new Handler<EventEnvelope<UserEvent>>() {
              @Override
              public CompletionStage<Done> process(EventEnvelope<UserEvent> envelope) {
                UserEvent event = envelope.event();
                if (event instanceof UserEvent.Registered r) {
                  return documents.sync(r.userId());
                }
                if (event instanceof UserEvent.DisplayNameChanged d) {
                  return documents.sync(d.userId());
                }
                return CompletableFuture.completedFuture(Done.getInstance());
              }
            },
        metrics);
  }

  /** Writes a user's document from the account (also used by the reindex). */
  public static final class UserDocuments {
    private final SearchEngine engine;
    private final AccountService accounts;

    public UserDocuments(SearchEngine engine, AccountService accounts) {
      this.engine = engine;
      this.accounts = accounts;
    }

    public CompletionStage<Done> sync(String userId) {
      return engine
          .writable()
          .thenCompose(ready -> accounts.account(userId))
          .thenCompose(
              account ->
                  account.isPresent()
                      ? engine
                          .send(
                              "PUT",
                              "/" + engine.alias("users") + "/_doc/" + userId,
                              document(account.get()))
                          .thenApply(a -> SearchEngine.ok(a, "indexing user " + userId))
                      : engine.send(
                          "DELETE", "/" + engine.alias("users") + "/_doc/" + userId, null))
          .thenApply(a -> Done.getInstance());
    }
  }

  /** A user's document (public: bench/search loads documents of this very shape). */
  public static Map<String, Object> document(Account account) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", account.id());
    doc.put("handle", account.handle());
    if (account.displayName() != null) {
      doc.put("displayName", account.displayName());
    }
    if (account.region() != null && !account.region().isEmpty()) {
      doc.put("region", account.region());
    }
    doc.put("createdAt", account.createdAt().toString());
    return doc;
  }
}
