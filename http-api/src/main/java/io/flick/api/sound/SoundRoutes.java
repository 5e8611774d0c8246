package io.flick.api.sound;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.video.VideoView;
import io.flick.common.Ids;
import io.flick.user.Account;
import io.flick.user.AccountService;
import io.flick.video.sound.SoundCatalog;
import io.flick.video.sound.SoundCatalog.Sound;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /sounds/{id}}: a sound's page (its videos are {@code GET /sounds/{id}/videos}, the
 * sound feed). A sound's title ({@link SoundCatalog#title}) needs its author's handle, known here.
 *
 * <p>Every video object a response shows carries its sound's id and title ({@link #withSounds}):
 * the refs are kept on this node for {@code flick.http.sound-title-ttl}, so a feed page asks for
 * each distinct sound at most once per TTL, not once per item per request. A title only changes
 * with its author's handle; a sound is never removed (it outlives its original video).
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
  private final AsyncCache<String, Optional<SoundRef>> refs;

  public SoundRoutes(SoundCatalog sounds, AccountService accounts, Duration titleTtl) {
    this.sounds = sounds;
    this.accounts = accounts;
    this.refs = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(titleTtl).buildAsync();
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
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String id = soundId.get();
    CompletableFuture<Optional<SoundRef>> ref = refs.get(id, (key, executor) -> lookUp(key));
    // a sound not known yet (the sounds projection lags READY by moments) is not kept as unknown
    return ref.thenApply(
        found -> {
          if (found.isEmpty()) {
            refs.synchronous().invalidate(id);
          }
          return found;
        });
  }

  /** The views, each with its sound's {@link SoundRef} (one look-up per distinct sound). */
  public CompletionStage<List<VideoView>> withSounds(List<VideoView> views) {
    Map<String, CompletableFuture<Optional<SoundRef>>> bySound = new HashMap<>();
    for (VideoView view : views) {
      if (view.soundId() != null && view.sound() == null) {
        // a title is a nicety: without it the video still shows (with its soundId)
        bySound.computeIfAbsent(
            view.soundId(),
            id ->
                ref(Optional.of(id))
                    .toCompletableFuture()
                    .exceptionally(e -> Optional.<SoundRef>empty()));
      }
    }
    if (bySound.isEmpty()) {
      return CompletableFuture.completedFuture(views);
    }
    return CompletableFuture.allOf(bySound.values().toArray(CompletableFuture[]::new))
        .thenApply(
            all ->
                views.stream()
                    .map(
                        v ->
                            Optional.ofNullable(bySound.get(v.soundId()))
                                .flatMap(CompletableFuture::join)
                                .map(v::withSound)
                                .orElse(v))
                    .toList());
  }

  public CompletionStage<VideoView> withSound(VideoView view) {
    return withSounds(List.of(view)).thenApply(list -> list.get(0));
  }

  private CompletableFuture<Optional<SoundRef>> lookUp(String id) {
    return sounds
        .get(id)
        .thenCompose(
            found ->
                found.isEmpty()
                    ? CompletableFuture.completedFuture(Optional.<SoundRef>empty())
                    : accounts
                        .account(found.get().authorId())
                        .thenApply(author -> Optional.of(new SoundRef(id, title(author)))))
        .toCompletableFuture();
  }

  static String title(Optional<Account> author) {
    return SoundCatalog.title(author.map(Account::handle));
  }
}
