package io.flick.api.sound;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.common.Ids;
import io.flick.user.Account;
import io.flick.user.AccountService;
import io.flick.video.sound.SoundCatalog;
import io.flick.video.sound.SoundCatalog.Sound;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /sounds/{id}}: a sound's page (its videos are {@code GET /sounds/{id}/videos}, the
 * sound feed). A sound's title is made here, where the author's handle is known: "original sound –
 *
 * @handle".
 */
public final class SoundRoutes extends AllDirectives {

  /** The sound page. */
  public record SoundView(
      String id,
      String title,
      String authorId,
      String authorHandle,
      String originalVideoId,
      long durationMs,
      long useCount,
      boolean allowReuse,
      Instant createdAt) {}

  /** What a video object says about its sound. */
  public record SoundRef(String id, String title) {}

  private final SoundCatalog sounds;
  private final AccountService accounts;

  public SoundRoutes(SoundCatalog sounds, AccountService accounts) {
    this.sounds = sounds;
    this.accounts = accounts;
  }

  public Route routes() {
    return pathPrefix(
        "sounds",
        () ->
            pathPrefix(
                id ->
                    pathEnd(
                        () ->
                            get(
                                () ->
                                    onSuccess(
                                        view(id),
                                        view ->
                                            complete(StatusCodes.OK, view, Json.marshaller()))))));
  }

  CompletionStage<SoundView> view(String id) {
    if (!Ids.isWellFormed(id)) {
      throw ApiException.notFound("no sound with id " + id);
    }
    return sounds
        .get(id)
        .thenCompose(
            found -> {
              Sound sound =
                  found.orElseThrow(() -> ApiException.notFound("no sound with id " + id));
              return accounts
                  .account(sound.authorId())
                  .thenCombine(
                      sounds.useCount(id),
                      (author, uses) ->
                          new SoundView(
                              sound.id(),
                              title(author),
                              sound.authorId(),
                              author.map(Account::handle).orElse(null),
                              sound.originalVideoId(),
                              sound.durationMs(),
                              uses,
                              sound.allowReuse(),
                              sound.createdAt()));
            });
  }

  /** The id and title of a video's sound; empty when it has none or it is not (yet) known. */
  public CompletionStage<Optional<SoundRef>> ref(Optional<String> soundId) {
    if (soundId.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
    }
    String id = soundId.get();
    return sounds
        .get(id)
        .thenCompose(
            found ->
                found.isEmpty()
                    ? java.util.concurrent.CompletableFuture.completedFuture(
                        Optional.<SoundRef>empty())
                    : accounts
                        .account(found.get().authorId())
                        .thenApply(author -> Optional.of(new SoundRef(id, title(author)))));
  }

  static String title(Optional<Account> author) {
    return "original sound – @" + author.map(Account::handle).orElse("unknown");
  }
}
