package io.flick.search;

import io.flick.common.projection.ProjectionMetrics;
import io.flick.common.projection.ReadSide;
import io.flick.user.Account;
import io.flick.user.AccountService;
import io.flick.video.VideoActor;
import io.flick.video.VideoEvent;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Status;
import io.flick.video.sound.SoundCatalog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.javadsl.Handler;

/**
 * A video's search document follows its journal: after any lifecycle event the document is made to
 * match what the VideoActor says now — indexed while the video is READY, removed in every other
 * state (processing, failed, deleted, and any state added later, such as held by moderation). Not
 * searchable is the default; only READY is let in.
 *
 * <p>At least once into idempotent writes: the document is keyed by the video id and always holds
 * the entity's current state, and one video's events are handled in journal order (one projection
 * instance per tag), so a redelivered event rewrites the same document. No external version on the
 * event's sequence number: the popularity refresh updates documents between events, which would
 * move the stored version past it; writing the current state makes order irrelevant instead.
 */
public final class VideoSearchProjection {
  /**
   * Carries the videos mapping's version: a new mapping starts an empty index behind the alias, and
   * a new name has no stored offsets, so the projection replays the journal into it by itself (as
   * the studio's projections are renamed when their tables move). Bump it with the mapping.
   */
  public static final String NAME = "search-videos-v3";

  private VideoSearchProjection() {}

  public static void start(
      ActorSystem<?> system,
      SearchEngine engine,
      VideoService videos,
      AccountService accounts,
      SoundCatalog sounds,
      ProjectionMetrics metrics) {
    VideoDocuments documents = new VideoDocuments(engine, videos, accounts, sounds);
    ReadSide.start(
        system,
        NAME,
        VideoActor.ENTITY_TYPE_KEY,
        SearchSettings.READ_JOURNAL,
        () ->
            new Handler<EventEnvelope<VideoEvent>>() {
              @Override
              public CompletionStage<Done> process(EventEnvelope<VideoEvent> envelope) {
                return documents.sync(PersistenceId.extractEntityId(envelope.persistenceId()));
              }
            },
        metrics);
  }

  /** Writes a video's document from the entity's current state (also used by the reindex). */
  public static final class VideoDocuments {
    private final SearchEngine engine;
    private final VideoService videos;
    private final AccountService accounts;
    private final SoundCatalog sounds;

    public VideoDocuments(
        SearchEngine engine, VideoService videos, AccountService accounts, SoundCatalog sounds) {
      this.engine = engine;
      this.videos = videos;
      this.accounts = accounts;
      this.sounds = sounds;
    }

    public CompletionStage<Done> sync(String videoId) {
      return engine
          .writable()
          .thenCompose(ready -> videos.get(videoId))
          .thenCompose(
              video ->
                  video.filter(v -> v.status() == Status.READY).isPresent()
                      ? index(video.get())
                      : remove(videoId));
    }

    private CompletionStage<Done> index(VideoSummary video) {
      return accounts
          .account(video.creatorId())
          .thenCompose(
              creator ->
                  soundTitle(video, creator)
                      .thenCompose(
                          soundTitle ->
                              engine.send(
                                  "PUT",
                                  "/" + engine.alias("videos") + "/_doc/" + video.id(),
                                  document(video, creator, soundTitle))))
          .thenApply(a -> done(SearchEngine.ok(a, "indexing video " + video.id())));
    }

    /**
     * The title of the video's sound, by its author: the creator for the video's own sound (its id
     * is the video's, and the sounds projection may not have it yet), else the sound's author from
     * the catalogue (a chosen or matched sound is catalogued before a video can name it).
     */
    private CompletionStage<Optional<String>> soundTitle(
        VideoSummary video, Optional<Account> creator) {
      if (video.soundId().isEmpty()) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      String soundId = video.soundId().get();
      if (soundId.equals(video.id())) {
        return CompletableFuture.completedFuture(
            Optional.of(SoundCatalog.title(creator.map(Account::handle))));
      }
      return sounds
          .get(soundId)
          .thenCompose(
              sound ->
                  sound.isEmpty()
                      ? CompletableFuture.completedFuture(Optional.<Account>empty())
                      : accounts.account(sound.get().authorId()))
          .thenApply(author -> Optional.of(SoundCatalog.title(author.map(Account::handle))));
    }

    private CompletionStage<Done> remove(String videoId) {
      return engine
          .send("DELETE", "/" + engine.alias("videos") + "/_doc/" + videoId, null)
          .thenApply(
              a -> a.status() == 404 ? Done.getInstance() : done(SearchEngine.ok(a, "removing")));
    }

    private static Done done(Object ignored) {
      return Done.getInstance();
    }
  }

  /**
   * The document of a READY video whose sound, if any, is its own (public: bench/search loads
   * documents of this very shape).
   */
  public static Map<String, Object> document(VideoSummary video, Optional<Account> creator) {
    return document(
        video, creator, video.soundId().map(s -> SoundCatalog.title(creator.map(Account::handle))));
  }

  /**
   * The document of a READY video with its sound's title ({@link SoundCatalog#title}), indexed so a
   * video is found by its sound's title and the Sounds tab can show and search titles.
   */
  public static Map<String, Object> document(
      VideoSummary video, Optional<Account> creator, Optional<String> soundTitle) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("id", video.id());
    doc.put("creatorId", video.creatorId());
    creator.ifPresent(
        c -> {
          doc.put("creatorHandle", c.handle());
          if (c.region() != null && !c.region().isEmpty()) {
            doc.put("region", c.region());
          }
        });
    doc.put("caption", video.caption() == null ? "" : video.caption());
    doc.put("hashtags", video.hashtags());
    video.soundId().ifPresent(s -> doc.put("soundId", s));
    soundTitle.ifPresent(title -> doc.put("soundTitle", title));
    doc.put("createdAt", video.createdAt().toString());
    doc.putAll(popularity(video.counts()));
    return doc;
  }

  /**
   * The counts a document ranks by. {@code popularity} is a rank_feature (positive): views plus the
   * stronger signals weighted, so a liked and shared video beats a merely viewed one.
   */
  static Map<String, Object> popularity(VideoSummary.Counts counts) {
    long score =
        1 + counts.views() + 4 * counts.likes() + 4 * counts.comments() + 8 * counts.shares();
    return Map.of("views", counts.views(), "likes", counts.likes(), "popularity", (double) score);
  }
}
