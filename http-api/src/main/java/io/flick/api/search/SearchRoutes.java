package io.flick.api.search;

import io.flick.api.ApiException;
import io.flick.api.Json;
import io.flick.api.Paging;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService.Caller;
import io.flick.api.media.MediaSigner;
import io.flick.api.sound.SoundRoutes;
import io.flick.api.video.VideoView;
import io.flick.api.video.ViewerState;
import io.flick.search.SearchService;
import io.flick.search.SearchService.IdPage;
import io.flick.search.SearchService.Suggestion;
import io.flick.search.SearchService.TermCount;
import io.flick.user.SocialService;
import io.flick.video.VideoService;
import io.flick.video.VideoSummary.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /search?q=&type=top|videos|users|hashtags|sounds&cursor=&limit=} and {@code GET
 * /search/suggest?q=}. Items are the same video and user objects as the other endpoints return
 * (signed media URLs, the caller's likes); a video is shown only if its entity still says READY. A
 * {@code #tag} query is the tag's videos, an {@code @handle} query the users. The engine being down
 * is a 503 problem for these routes only.
 */
public final class SearchRoutes extends AllDirectives {
  public static final int MAX_QUERY_LENGTH = 100;
  private static final int MAX_LIMIT = 50;
  private static final int SUGGESTIONS = 8;
  private static final int FOLLOWED_BOOSTED = 200;
  private static final int TOP_USERS = 3;
  private static final int TOP_HASHTAGS = 5;
  private static final Set<String> TYPES = Set.of("top", "videos", "users", "hashtags", "sounds");
  private static final Pattern CURSOR = Pattern.compile("[0-9]{1,4}");
  // control characters never belong in a query
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  record SearchPage(String query, String type, List<Object> items, String next) {}

  record TopPage(
      String query,
      String type,
      List<Object> items,
      List<Object> users,
      List<TermCount> hashtags,
      String next) {}

  record Suggestions(String query, List<Suggestion> items) {}

  record HashtagItem(String tag, long videos) {}

  record SoundItem(String id, String title, long videos) {}

  private final SearchService search;
  private final VideoService videos;
  private final SocialService social;
  private final Function<String, CompletionStage<Optional<Object>>> userObject;
  private final MediaSigner signer;
  private final String publicUrl;
  private final AuthDirectives auth;
  private final ViewerState viewerState;
  private final SoundRoutes sounds;
  private final Paging paging = new Paging(MAX_LIMIT);

  /**
   * @param userObject the user object of GET /users/{id}, empty when the user is unknown
   */
  public SearchRoutes(
      SearchService search,
      VideoService videos,
      SocialService social,
      Function<String, CompletionStage<Optional<Object>>> userObject,
      MediaSigner signer,
      String publicUrl,
      AuthDirectives auth,
      ViewerState viewerState,
      SoundRoutes sounds) {
    this.sounds = sounds;
    this.search = search;
    this.videos = videos;
    this.social = social;
    this.userObject = userObject;
    this.signer = signer;
    this.publicUrl = publicUrl;
    this.auth = auth;
    this.viewerState = viewerState;
  }

  public Route routes() {
    return pathPrefix(
        "search",
        () ->
            concat(
                pathEnd(
                    () ->
                        get(
                            () ->
                                auth.optionallyAuthenticated(
                                    caller ->
                                        parameterOptional(
                                            "q",
                                            q ->
                                                parameterOptional(
                                                    "type",
                                                    type ->
                                                        paging.paged(
                                                            (cursor, limit) ->
                                                                onSuccess(
                                                                    search(
                                                                        caller,
                                                                        query(q),
                                                                        type(type),
                                                                        offset(cursor),
                                                                        limit),
                                                                    page ->
                                                                        complete(
                                                                            StatusCodes.OK,
                                                                            page,
                                                                            Json
                                                                                .marshaller())))))))),
                path(
                    "suggest",
                    () ->
                        get(
                            () ->
                                parameterOptional(
                                    "q",
                                    q -> {
                                      String query = query(q);
                                      return onSuccess(
                                          search.suggest(query, SUGGESTIONS),
                                          items ->
                                              complete(
                                                  StatusCodes.OK,
                                                  new Suggestions(query, items),
                                                  Json.marshaller()));
                                    })))));
  }

  /** The query, trimmed; 400 when missing, blank, over-long or holding control characters. */
  static String query(Optional<String> q) {
    String query = q.map(String::strip).orElse("");
    if (query.isEmpty()) {
      throw ApiException.badRequest("q is required: the words to search for");
    }
    if (query.codePointCount(0, query.length()) > MAX_QUERY_LENGTH) {
      throw ApiException.badRequest("q must be at most " + MAX_QUERY_LENGTH + " characters");
    }
    if (CONTROL.matcher(query).find()) {
      throw ApiException.badRequest("q must not contain control characters");
    }
    return query;
  }

  static String type(Optional<String> type) {
    String t = type.map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("top");
    if (!TYPES.contains(t)) {
      throw ApiException.badRequest("type must be one of top, videos, users, hashtags, sounds");
    }
    return t;
  }

  /** The cursor is the offset of the next page, as this route returned it. */
  static int offset(Optional<String> cursor) {
    if (cursor.isEmpty()) {
      return 0;
    }
    if (!CURSOR.matcher(cursor.get()).matches()
        || Integer.parseInt(cursor.get()) >= SearchService.MAX_DEPTH) {
      throw ApiException.badRequest("not a search cursor");
    }
    return Integer.parseInt(cursor.get());
  }

  /** A hashtag or handle typed with its sign: letters, digits and '_' (and '.' for handles). */
  private static Optional<String> signed(String query, char sign, String allowed) {
    if (query.length() > 1 && query.charAt(0) == sign && query.substring(1).matches(allowed)) {
      return Optional.of(query.substring(1).toLowerCase(Locale.ROOT));
    }
    return Optional.empty();
  }

  private CompletionStage<Object> search(
      Optional<Caller> caller, String q, String type, int from, int limit) {
    Optional<String> tag = signed(q, '#', "[\\p{L}\\p{N}_]+");
    if (tag.isPresent()) {
      // straight to the tag: its videos, whatever type was asked for (hashtags: the tag itself)
      if (type.equals("hashtags")) {
        return search
            .hashtags(tag.get(), limit)
            .thenApply(list -> page(q, type, hashtagItems(list), null));
      }
      return search
          .videosWithHashtag(tag.get(), from, limit)
          .thenCompose(p -> videoItems(caller, p).thenApply(items -> page(q, "videos", items, p)));
    }
    Optional<String> handle = signed(q, '@', "[\\p{L}\\p{N}_.]+");
    if (handle.isPresent()) {
      return search
          .users(handle.get(), from, limit)
          .thenCompose(p -> userItems(p).thenApply(items -> page(q, "users", items, p)));
    }
    String words = q.replace('#', ' ').replace('@', ' ').strip();
    if (words.isEmpty()) {
      throw ApiException.badRequest("q holds no words to search for");
    }
    return switch (type) {
      case "videos" ->
          followed(caller)
              .thenCompose(f -> search.videos(words, f, from, limit))
              .thenCompose(p -> videoItems(caller, p).thenApply(items -> page(q, type, items, p)));
      case "users" ->
          search
              .users(words, from, limit)
              .thenCompose(p -> userItems(p).thenApply(items -> page(q, type, items, p)));
      case "hashtags" ->
          search
              .hashtags(words.toLowerCase(Locale.ROOT).replace(' ', '_'), limit)
              .thenApply(list -> page(q, type, hashtagItems(list), null));
      case "sounds" ->
          search
              .sounds(words, limit)
              .thenApply(
                  list ->
                      page(
                          q,
                          type,
                          list.stream()
                              .map(s -> (Object) new SoundItem(s.id(), s.title(), s.videos()))
                              .toList(),
                          null));
      default -> top(caller, q, words, from, limit);
    };
  }

  /**
   * Top: the best videos, with the best few users and hashtags on the first page (one round trip to
   * the engine for the three).
   */
  private CompletionStage<Object> top(
      Optional<Caller> caller, String q, String words, int from, int limit) {
    return followed(caller)
        .thenCompose(
            f ->
                search.top(
                    words,
                    words.toLowerCase(Locale.ROOT).replace(' ', '_'),
                    f,
                    from,
                    limit,
                    TOP_USERS,
                    TOP_HASHTAGS))
        .thenCompose(
            ids ->
                videoItems(caller, ids.videos())
                    .thenCombine(
                        userItems(ids.users()),
                        (items, users) ->
                            (Object)
                                new TopPage(
                                    q,
                                    "top",
                                    items,
                                    users,
                                    ids.hashtags(),
                                    ids.videos().next().map(String::valueOf).orElse(null))));
  }

  private static Object page(String q, String type, List<Object> items, IdPage ids) {
    return new SearchPage(
        q, type, items, ids == null ? null : ids.next().map(String::valueOf).orElse(null));
  }

  private static List<Object> hashtagItems(List<TermCount> list) {
    return list.stream().map(t -> (Object) new HashtagItem(t.key(), t.videos())).toList();
  }

  /** The creators the caller follows, who rank higher among equal matches. */
  private CompletionStage<Set<String>> followed(Optional<Caller> caller) {
    if (caller.isEmpty()) {
      return CompletableFuture.completedFuture(Set.of());
    }
    return social
        .following(caller.get().userId(), Optional.empty(), FOLLOWED_BOOSTED)
        .thenApply(page -> Set.copyOf(page.items()));
  }

  /** Video objects in ranked order, READY ones only (the index may lag a deletion by moments). */
  private CompletionStage<List<Object>> videoItems(Optional<Caller> caller, IdPage page) {
    return videos
        .getAll(page.ids())
        .thenApply(
            list -> {
              Map<String, VideoView> byId = new java.util.HashMap<>();
              list.stream()
                  .filter(v -> v.status() == Status.READY)
                  .forEach(v -> byId.put(v.id(), VideoView.of(v, signer, publicUrl)));
              List<VideoView> ordered = new ArrayList<>();
              for (String id : page.ids()) {
                Optional.ofNullable(byId.get(id)).ifPresent(ordered::add);
              }
              return ordered;
            })
        .thenCompose(sounds::withSounds)
        .thenCompose(views -> viewerState.annotate(caller, views))
        .thenApply(views -> List.copyOf(views));
  }

  private CompletionStage<List<Object>> userItems(IdPage page) {
    List<CompletableFuture<Optional<Object>>> each =
        page.ids().stream().map(id -> userObject.apply(id).toCompletableFuture()).toList();
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> each.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
  }
}
