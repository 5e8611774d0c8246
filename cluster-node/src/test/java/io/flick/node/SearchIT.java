package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search over the real OpenSearch node the test infra starts: documents follow the videos'
 * lifecycle (READY in, deleted out), typos are forgiven, prefixes suggested, the ranking keeps its
 * promised order, and the engine going away costs search only, with the documents written after it
 * returns.
 */
@Timeout(600)
class SearchIT {
  // eventsByTag reads 0.5 s behind the newest write for search, then the projection writes the
  // document; the bound is for a loaded machine
  private static final Duration INDEXED = Duration.ofSeconds(90);

  @TempDir static Path clips;

  /** A word no other test uses, of letters only (a typo of it stays unique too). */
  private static String uniqueWord() {
    StringBuilder word = new StringBuilder("zx");
    for (int i = 0; i < 8; i++) {
      word.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return word.toString();
  }

  private static String search(String q, String type) {
    return "/api/v1/search?type=" + type + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
  }

  private static List<String> ids(JsonNode page) {
    return page.get("items").findValuesAsText("id");
  }

  private static String ready(ApiClient creator, String caption, List<String> hashtags)
      throws Exception {
    String id = creator.upload(ApiClient.testClip(clips, 2), "video/mp4", caption, hashtags);
    assertThat(creator.awaitOutcome(id).get("status").asText()).isEqualTo("READY");
    return id;
  }

  @Test
  void aReadyVideoIsFoundWithTyposAndSuggestedAndGoneOnceDeleted() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "gramo");
    String word = uniqueWord();
    String tag = "tag" + word;
    String joined = "vintage_" + word;
    String videoId = ready(creator, "restoring a " + word + " gramophone", List.of(tag, joined));

    // READY → found by a caption word, and by a typo of it (one letter dropped)
    creator.awaitJson(search(word, "videos"), page -> ids(page).contains(videoId), INDEXED);
    String typo = word.substring(0, 4) + word.substring(5);
    JsonNode fuzzy = creator.json(creator.get(search(typo, "videos")));
    assertThat(ids(fuzzy)).contains(videoId);
    // the items are the video objects of GET /videos/{id}: playable, signed URLs
    JsonNode item = fuzzy.get("items").get(0);
    assertThat(item.get("status").asText()).isEqualTo("READY");
    assertThat(item.get("hls").asText()).contains("/media/");
    // a typo of a hashtag finds it too, as words of the caption with it, and so does one of the
    // creator's handle (the fuzzy list searches caption, hashtags and handle as one field)
    String tagTypo = tag.substring(0, 6) + tag.substring(7);
    assertThat(ids(creator.json(creator.get(search("restoring " + tagTypo, "videos")))))
        .contains(videoId);

    // #tag goes straight to the tag's videos; as-you-type completes words, tags and handles
    assertThat(ids(creator.json(creator.get(search("#" + tag, "top"))))).containsExactly(videoId);
    JsonNode suggested =
        creator.json(creator.get("/api/v1/search/suggest?q=" + word.substring(0, 6)));
    assertThat(suggested.get("items").findValuesAsText("text")).contains(word);
    JsonNode tags = creator.json(creator.get("/api/v1/search/suggest?q=%23" + tag.substring(0, 7)));
    assertThat(tags.get("items").findValuesAsText("text")).contains("#" + tag);

    // the creator is a user document too: found by handle prefix and by @handle
    String handle =
        creator.json(creator.get("/api/v1/users/" + creator.userId)).get("handle").asText();
    creator.awaitJson(
        "/api/v1/search/suggest?q=" + handle.substring(0, handle.length() - 2),
        page -> page.get("items").findValuesAsText("id").contains(creator.userId),
        INDEXED);
    assertThat(ids(creator.json(creator.get(search("@" + handle, "top")))))
        .first()
        .isEqualTo(creator.userId);
    String handleTypo = handle.substring(0, 3) + handle.substring(4);
    assertThat(ids(creator.json(creator.get(search(handleTypo + " " + word, "videos")))))
        .contains(videoId);
    // a top search of several words with a typo lists the hashtag joining them and the user too
    JsonNode top = creator.json(creator.get(search(handleTypo + " " + word, "top")));
    assertThat(top.get("users").findValuesAsText("id")).contains(creator.userId);
    JsonNode tagTop = creator.json(creator.get(search("vintage " + typo, "top")));
    assertThat(tagTop.get("hashtags").findValuesAsText("key")).contains(joined);

    // deleted → gone from search
    assertThat(creator.delete("/api/v1/videos/" + videoId).statusCode()).isIn(200, 202, 204);
    creator.awaitJson(search(word, "videos"), page -> ids(page).isEmpty(), INDEXED);
  }

  /**
   * A user is found by their display name as soon as it is set, with a typo and as a prefix, on the
   * Users tab and in a top search's users, and no longer once it is changed.
   */
  @Test
  void aUserIsFoundByDisplayNameWithATypoAndNotOnceItChanged() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient user = ApiClient.signedUp(cluster, "named");
    String first = "Zo" + uniqueWord().substring(2);
    String last = uniqueWord();
    assertThat(
            user.patch("/api/v1/me", "{\"displayName\":\"" + first + " " + last + "\"}")
                .statusCode())
        .isEqualTo(200);

    user.awaitJson(
        search(first + " " + last, "users"), page -> ids(page).contains(user.userId), INDEXED);
    JsonNode item = user.json(user.get(search(first + " " + last, "users"))).get("items").get(0);
    assertThat(item.get("displayName").asText()).isEqualTo(first + " " + last);
    // a typo in the last name (one letter dropped), and the first name as typed so far
    String typo = last.substring(0, 4) + last.substring(5);
    assertThat(ids(user.json(user.get(search(first + " " + typo, "users"))))).contains(user.userId);
    assertThat(ids(user.json(user.get(search(first.substring(0, 6), "users")))))
        .contains(user.userId);
    assertThat(
            user.json(user.get(search(first + " " + typo, "top")))
                .get("users")
                .findValuesAsText("id"))
        .contains(user.userId);

    // renamed: found by the new name, not the old one
    String renamed = uniqueWord();
    assertThat(user.patch("/api/v1/me", "{\"displayName\":\"" + renamed + "\"}").statusCode())
        .isEqualTo(200);
    user.awaitJson(search(renamed, "users"), page -> ids(page).contains(user.userId), INDEXED);
    assertThat(ids(user.json(user.get(search(first + " " + last, "users")))))
        .doesNotContain(user.userId);
  }

  /**
   * The ranking promise on a fixture: a popular exact match beats an obscure exact match, and any
   * exact match beats a fuzzy one, however popular.
   */
  @Test
  void aPopularExactMatchBeatsAnObscureOneAndAnyExactMatchBeatsAFuzzyOne() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "ranker");
    String word = uniqueWord();
    String near = word.substring(0, 9) + (word.charAt(9) == 'a' ? 'b' : 'a');
    String popularExact = ready(creator, word + " on the river", List.of("ranking"));
    String obscureExact = ready(creator, word + " on the river", List.of("ranking"));
    String popularFuzzy = ready(creator, near + " on the river", List.of("ranking"));

    ApiClient viewer = ApiClient.signedUp(cluster, "viewer");
    view(viewer, popularExact, 5);
    view(viewer, popularFuzzy, 20);
    // the counts reach the documents at the popularity refresh's pace
    viewer.awaitJson(
        "/api/v1/videos/" + popularFuzzy,
        v -> v.get("counts").get("views").asLong() >= 20,
        INDEXED);
    viewer.awaitJson(
        "/api/v1/videos/" + popularExact, v -> v.get("counts").get("views").asLong() >= 5, INDEXED);

    JsonNode ranked =
        viewer.awaitJson(
            search(word, "videos"),
            page -> ids(page).equals(List.of(popularExact, obscureExact, popularFuzzy)),
            INDEXED);
    assertThat(ids(ranked)).containsExactly(popularExact, obscureExact, popularFuzzy);

    // page by page, the same order across the end of the exact list
    List<String> paged = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          viewer.json(
              viewer.get(
                  search(word, "videos")
                      + "&limit=1"
                      + (cursor == null ? "" : "&cursor=" + cursor)));
      paged.addAll(ids(page));
      cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (cursor != null && paged.size() < 10);
    assertThat(paged).containsExactly(popularExact, obscureExact, popularFuzzy);

    // of several words, the one no video holds is the typo: the word typed as indexed is taken as
    // it is, so the video with a near spelling of it is not found; with no word held, both may be
    // typos and all three are
    assertThat(ids(viewer.json(viewer.get(search(word + " rivr", "videos")))))
        .containsExactly(popularExact, obscureExact);
    assertThat(ids(viewer.json(viewer.get(search(word + " rivr", "top")))))
        .containsExactly(popularExact, obscureExact);
    String typo = word.substring(0, 4) + word.substring(5);
    assertThat(ids(viewer.json(viewer.get(search(typo + " rivr", "top")))))
        .containsExactlyInAnyOrder(popularExact, obscureExact, popularFuzzy);

    // the videos index is searched with as many threads per query as configured, set at start
    int slices = cluster.config().getInt("flick.search.query-slices");
    JsonNode settings =
        ApiClient.JSON.readTree(
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(
                                cluster.endpoints().searchUrl()
                                    + "/"
                                    + cluster.config().getString("flick.search.index-prefix")
                                    + "-videos/_settings?flat_settings=true"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body());
    JsonNode index = settings.elements().next().get("settings");
    assertThat(index.path("index.search.concurrent_segment_search.mode").asText())
        .isEqualTo(slices > 1 ? "all" : "none");
    assertThat(index.path("index.search.concurrent.max_slice_count").asInt()).isEqualTo(slices);
  }

  /**
   * A followed creator's video ranks above an equal match for their follower, and only for them,
   * also when the node answers the first page from its memory of another viewer's search.
   */
  @Test
  void aFollowedCreatorRanksFirstForTheirFollowerOnlyAlsoFromTheKeptFirstPage() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient followed = ApiClient.signedUp(cluster, "followed");
    ApiClient other = ApiClient.signedUp(cluster, "other");
    String word = uniqueWord();
    String followedVideo = ready(followed, word + " at the fair", List.of("fair"));
    // the same words, a little fresher: first for anyone who follows neither creator
    String fresherVideo = ready(other, word + " at the fair", List.of("fair"));
    ApiClient stranger = ApiClient.signedUp(cluster, "stranger");
    ApiClient fan = ApiClient.signedUp(cluster, "fan");
    assertThat(fan.post("/api/v1/users/" + followed.userId + "/follow", "").statusCode())
        .isIn(200, 201, 204);
    // one a page: two exact matches fill it, so the node keeps it
    String first = search(word, "top") + "&limit=1";
    stranger.awaitJson(first, page -> ids(page).equals(List.of(fresherVideo)), INDEXED);

    double keptBefore = firstPagesFromMemory();
    long deadline = System.nanoTime() + INDEXED.toNanos();
    // each round asks the stranger's first page, then the fan's: within the page's time in memory
    // the fan's is the kept one merged with their followed creators' matches
    do {
      assertThat(ids(stranger.json(stranger.get(first)))).containsExactly(fresherVideo);
      assertThat(ids(fan.json(fan.get(first)))).containsExactly(followedVideo);
      assertThat(System.nanoTime()).as("no first page answered from memory").isLessThan(deadline);
    } while (firstPagesFromMemory() <= keptBefore);
    // and the pages after the first agree with it: the second one holds the other video
    JsonNode fanFirst = fan.json(fan.get(first));
    JsonNode fanSecond = fan.json(fan.get(first + "&cursor=" + fanFirst.get("next").asText()));
    assertThat(ids(fanSecond)).containsExactly(fresherVideo);
  }

  private static double firstPagesFromMemory() throws Exception {
    String name = "flick_search_first_page_cache_requests_total{result=\"hit\"}";
    return new ApiClient(TestCluster.get().baseUrl())
        .get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).strip()))
        .findFirst()
        .orElse(0);
  }

  private static void view(ApiClient viewer, String videoId, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      var response =
          viewer.post(
              "/api/v1/videos/" + videoId + "/views", "{\"watchMs\":1500,\"completed\":true}");
      assertThat(response.statusCode()).isEqualTo(202);
    }
  }

  /**
   * {@code ./flick reindex} forgets the indexes and the projections' offsets; the next start
   * rebuilds the documents from the journal.
   */
  @Test
  void aReindexRebuildsTheDocumentsFromTheJournal() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "reindex");
    String word = uniqueWord();
    String videoId = ready(creator, "kept through a " + word + " reindex", List.of("reindex"));
    creator.awaitJson(search(word, "videos"), page -> ids(page).contains(videoId), INDEXED);

    List<String> progress = new java.util.ArrayList<>();
    cluster.restartNode(() -> Main.reindex(cluster.config(), progress::add));
    assertThat(progress)
        .anyMatch(line -> line.contains("index flick-videos-v") && line.contains(" dropped"));
    ApiClient after = new ApiClient(cluster.baseUrl());
    after.awaitJson(search(word, "videos"), page -> ids(page).contains(videoId), INDEXED);
  }

  /** Views of a tagged video make its hashtag trend, with the video as its sample. */
  @Test
  void aWatchedVideosHashtagTrends() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "trendy");
    String tag = "trend" + uniqueWord();
    String videoId = ready(creator, "a trending clip", List.of(tag));
    ApiClient viewer = ApiClient.signedUp(cluster, "watcher");
    view(viewer, videoId, 30);
    JsonNode trending =
        viewer.awaitJson(
            "/api/v1/trending/hashtags",
            page -> page.get("items").findValuesAsText("key").contains(tag),
            INDEXED);
    for (JsonNode item : trending.get("items")) {
      if (item.get("key").asText().equals(tag)) {
        assertThat(item.get("videos").findValuesAsText("id")).containsExactly(videoId);
      }
    }
    assertThat(viewer.get("/api/v1/trending/sounds").statusCode()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/trending/hashtags?region=not-a-region").statusCode())
        .isEqualTo(400);
  }

  /** Suggested creators: those followed by the people you follow, never yourself or a followee. */
  @Test
  void suggestedCreatorsAreFollowedByThePeopleYouFollow() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient me = ApiClient.signedUp(cluster, "me");
    ApiClient friend = ApiClient.signedUp(cluster, "friend");
    ApiClient star = ApiClient.signedUp(cluster, "star");
    assertThat(me.post("/api/v1/users/" + friend.userId + "/follow", "").statusCode())
        .isBetween(200, 204);
    assertThat(friend.post("/api/v1/users/" + star.userId + "/follow", "").statusCode())
        .isBetween(200, 204);
    JsonNode suggested =
        me.awaitJson(
            "/api/v1/users/suggested",
            page -> page.get("items").findValuesAsText("id").contains(star.userId),
            INDEXED);
    assertThat(suggested.get("items").findValuesAsText("id"))
        .doesNotContain(me.userId, friend.userId);
    assertThat(suggested.get("items").get(0).get("reason").asText())
        .isEqualTo("followed-by-people-you-follow");
    assertThat(new ApiClient(cluster.baseUrl()).get("/api/v1/users/suggested").statusCode())
        .isEqualTo(401);
  }

  /**
   * The creators of videos you finished are suggested (the feed's profile learns them from your
   * views), until you follow them.
   */
  @Test
  void suggestedCreatorsIncludeTheCreatorsOfVideosYouFinished() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient me = ApiClient.signedUp(cluster, "finisher");
    ApiClient creator = ApiClient.signedUp(cluster, "watched");
    String videoId = ready(creator, "worth watching to the end", List.of("finished"));
    view(me, videoId, 2);
    me.awaitJson(
        "/api/v1/users/suggested",
        page -> "creator-of-videos-you-finished".equals(reasonFor(page, creator.userId)),
        INDEXED);
    assertThat(me.post("/api/v1/users/" + creator.userId + "/follow", "").statusCode())
        .isBetween(200, 204);
    assertThat(reasonFor(me.json(me.get("/api/v1/users/suggested")), creator.userId)).isNull();
  }

  /** The reason {@code userId} is suggested on a /users/suggested page, null when not there. */
  private static String reasonFor(JsonNode page, String userId) {
    for (JsonNode item : page.get("items")) {
      if (item.get("user").get("id").asText().equals(userId)) {
        return item.get("reason").asText();
      }
    }
    return null;
  }

  /**
   * Held content never reaches the index: a video the moderation hook holds at upload (a
   * blocklisted hashtag) is never indexed, and a found video a moderator holds leaves it. Checked
   * on the hashtags tab, which counts the index's documents (the video tabs also drop any hit whose
   * entity is not READY, so they could not tell).
   */
  @Test
  void heldVideosAreNeverInTheIndex() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "heldsearch");
    String word = uniqueWord();
    String flaggedTag = "flagged" + word;
    String flagged =
        creator.upload(
            ApiClient.testClip(clips, 2),
            "video/mp4",
            word + " held at upload",
            List.of("#" + TestCluster.BLOCKLISTED, flaggedTag));
    assertThat(creator.awaitOutcome(flagged).get("status").asText()).isEqualTo("HELD");

    String shownTag = "shown" + word;
    String shown = ready(creator, word + " shown until held", List.of(shownTag));
    creator.awaitJson(
        search(shownTag, "hashtags"),
        page -> page.get("items").findValuesAsText("tag").contains(shownTag),
        INDEXED);
    assertThat(ids(creator.json(creator.get(search(word, "videos"))))).containsExactly(shown);

    ApiClient moderator = new ApiClient(cluster.baseUrl());
    moderator.token =
        new io.flick.api.auth.TokenService(
                TestCluster.JWT_SECRET, Duration.ofHours(1), java.time.Clock.systemUTC())
            .issue(TestCluster.MODERATOR_ID, "moderator")
            .token();
    var held =
        moderator.post(
            "/api/v1/moderation/videos/" + shown + "/hold", "{\"reason\":\"search test\"}");
    assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
    creator.awaitJson(search(shownTag, "hashtags"), page -> page.get("items").isEmpty(), INDEXED);
    assertThat(ids(creator.json(creator.get(search(word, "videos"))))).isEmpty();
    assertThat(creator.json(creator.get(search(flaggedTag, "hashtags"))).get("items")).isEmpty();
  }

  @Test
  void badQueriesAreProblemsOrLiteralSearchesNeverServerErrors() throws Exception {
    ApiClient anyone = new ApiClient(TestCluster.get().baseUrl());
    for (String path :
        List.of(
            "/api/v1/search",
            "/api/v1/search?q=",
            "/api/v1/search?q=%20%20",
            "/api/v1/search?q=" + "a".repeat(101),
            "/api/v1/search?q=cats&type=movies",
            "/api/v1/search?q=cats&cursor=abc",
            "/api/v1/search?q=cats&cursor=-1",
            "/api/v1/search?q=cats&limit=0",
            "/api/v1/search?q=cats&limit=51",
            "/api/v1/search?q=a%00b",
            "/api/v1/search/suggest")) {
      var response = anyone.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
    }
    // query syntax and injection attempts are searched for literally
    for (String q :
        List.of(
            "title:* OR 1=1",
            "\"unbalanced",
            "(a AND b) || c~2 ^3 /regex/",
            "{\"match_all\":{}}",
            "'; DROP TABLE videos; --",
            "<script>alert(1)</script>",
            "\\\\ * ? [ ] !")) {
      for (String type : List.of("top", "videos", "users", "hashtags", "sounds")) {
        var response = anyone.get(search(q, type));
        assertThat(response.statusCode()).as(q + " " + type).isEqualTo(200);
      }
      var suggest =
          anyone.get("/api/v1/search/suggest?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
      assertThat(suggest.statusCode()).as("suggest " + q).isEqualTo(200);
    }
  }

  /**
   * A hung engine (stopped where it is, as a long pause or a partition leaves it): each search
   * answers 503 with Retry-After at its deadline (flick.search.query-timeout, 1 s) instead of
   * waiting on the engine, those beyond what the node keeps at the engine at once
   * (max-queries-in-flight, 8 in TestCluster) at once; the feeds go on, and search answers as soon
   * as it is back.
   */
  @Test
  void withTheEngineHungSearchesAnswer503AtTheirDeadlineAndSearchComesBackAfter() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient viewer = ApiClient.signedUp(cluster, "stall");
    String word = uniqueWord();
    String videoId = ready(viewer, "filmed before the " + word + " stall", List.of("stall"));
    viewer.awaitJson(search(word, "videos"), page -> ids(page).contains(videoId), INDEXED);
    cluster.freezeInfra("opensearch");
    try {
      List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> searches =
          new java.util.ArrayList<>();
      for (int i = 0; i < 24; i++) {
        // within 4 s, each: before, a search waited 5 s on the engine, and more than 10 at once
        // queued behind each other for a connection
        searches.add(viewer.getAsync(search(word + " " + i, "videos"), Duration.ofSeconds(4)));
      }
      for (var pending : searches) {
        var answer = pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      }
      assertThat(viewer.get("/api/v1/feed/trending").statusCode()).isEqualTo(200);
      assertThat(viewer.get("/api/v1/videos/" + videoId).statusCode()).isEqualTo(200);
    } finally {
      cluster.thawInfra("opensearch");
    }
    viewer.awaitJson(search(word, "videos"), page -> ids(page).contains(videoId), INDEXED);
  }

  /**
   * Without OpenSearch, search answers 503 and the feeds go on; a video made READY meanwhile is
   * searchable once the engine is back (the projection catches up from its stored offset).
   */
  @Test
  void withTheEngineDownSearchIs503FeedsWorkAndTheIndexCatchesUpAfter() throws Exception {
    TestCluster cluster = TestCluster.get();
    ApiClient creator = ApiClient.signedUp(cluster, "outage");
    String word = uniqueWord();
    cluster.crashInfra("opensearch");
    try {
      var down = creator.get(search(word, "videos"));
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(creator.get("/api/v1/search/suggest?q=" + word).statusCode()).isEqualTo(503);
      assertThat(creator.get("/api/v1/feed/trending").statusCode()).isEqualTo(200);
      assertThat(creator.get("/api/v1/feed/foryou").statusCode()).isEqualTo(200);

      // written while the engine is down
      String videoId = ready(creator, "made during the " + word + " outage", List.of("outage"));
      assertThat(creator.get("/api/v1/videos/" + videoId).statusCode()).isEqualTo(200);
      cluster.startInfra("opensearch");
      creator.awaitJson(
          search(word, "videos"), page -> ids(page).contains(videoId), Duration.ofSeconds(120));
    } finally {
      if (creator.get("/ready").statusCode() != 200) {
        try {
          cluster.startInfra("opensearch");
        } catch (IllegalStateException running) {
          // already back
        }
      }
    }
  }
}
