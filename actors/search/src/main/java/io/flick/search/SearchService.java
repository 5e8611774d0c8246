package io.flick.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The queries over the search documents. Text from the caller only ever goes into match-type
 * queries as a value (never query_string), so query syntax in it is searched literally.
 *
 * <p>Ranking of videos (documented in README, "Search"): a document must match the words, exactly
 * (every word, stemmed, in caption, hashtags, handle or sound title) or fuzzily (every word, or a
 * typo of it: edit distance by word length; of several words, only those no video holds, if some
 * are held). Every exact match ranks above every fuzzy-only one: they are two lists, the exact one
 * first, the fuzzy one (exact matches left out) after it. Within each, text relevance, then
 * popularity (a saturating function of views, likes, comments and shares, at most 10), freshness
 * (at most 5, halved at a week old) and a followed creator (10) order the matches.
 *
 * <p>Why two lists (issue 13): the fuzzy query is the costly one (each word expands to its near
 * terms), and a page the exact matches fill never needs it; a common word fills every page. So the
 * exact query runs first, and the fuzzy one only for the rest of a page the exact matches leave
 * short (a typo, a rare word).
 */
public final class SearchService {
  /** How far a cursor may page into one result list. */
  public static final int MAX_DEPTH = 1000;

  static final int EXACT = 100;

  /** How many of a typed word's near terms a fuzzy query tries per field (OpenSearch's is 50). */
  static final int FUZZY_EXPANSIONS = 10;

  /**
   * Videos are sorted by score alone: with no tie-break field Lucene can skip the documents that
   * cannot reach the top hits (block-max WAND; the popularity and freshness boosts are made for
   * it), where a second sort key made it score every match, 60 % of the index for a common word.
   * Freshness is in the score already, so equal scores are rare.
   */
  private static final List<Object> BY_SCORE = List.of();

  /** A page of ids, best first; {@code next} is the offset of the page after, if any. */
  public record IdPage(List<String> ids, Optional<Integer> next) {}

  /** A hashtag or sound and how many searchable videos carry it. */
  public record TermCount(String key, long videos) {}

  /** A sound, its title and how many searchable videos play it. */
  public record SoundCount(String id, String title, long videos) {}

  /** One as-you-type suggestion: {@code kind} is user, hashtag or query; {@code id} for users. */
  public record Suggestion(String kind, String text, String id) {}

  /** A top search's answer: a page of videos, and on the first page the best users and hashtags. */
  public record TopIds(IdPage videos, IdPage users, List<TermCount> hashtags) {}

  private final SearchEngine engine;

  /** Top searches' full first pages, by query; null when the settings turn it off. */
  private final Cache<FirstPageKey, FirstPage> firstPages;

  public SearchService(SearchEngine engine) {
    this.engine = engine;
    Duration keep = engine.settings().firstPageCache();
    this.firstPages =
        keep.isZero()
            ? null
            : Caffeine.newBuilder()
                .expireAfterWrite(keep)
                .maximumSize(FIRST_PAGES)
                .recordStats()
                .build();
  }

  private String videosPath() {
    return "/" + engine.alias("videos") + "/_search";
  }

  private String usersPath() {
    return "/" + engine.alias("users") + "/_search";
  }

  /** Videos matching {@code q}, ranked as the class comment says. */
  public CompletionStage<IdPage> videos(String q, Collection<String> followed, int from, int size) {
    return exactAndUnknown(q, exactVideos(q, followed, from, size))
        .thenCompose(exact -> withFuzzy(exact, q, followed, from, size));
  }

  /**
   * The exact list's answer, and the words of {@code q} that no searchable video holds (see {@link
   * #unknownWords}), found in the same round trip.
   */
  private record Exact(JsonNode answer, Set<String> unknown) {}

  private CompletionStage<Exact> exactAndUnknown(String q, Map<String, Object> exactBody) {
    List<String> checked = checkedWords(q);
    List<Map.Entry<String, Object>> searches = new ArrayList<>();
    searches.add(Map.entry(engine.alias("videos"), exactBody));
    addWordChecks(searches, checked);
    return engine
        .msearch(searches)
        .thenApply(answers -> new Exact(answers.get(0), unknownWords(checked, answers, 1)));
  }

  /** The most words of one query checked for being known; a longer query's are all fuzzy. */
  private static final int MAX_CHECKED_WORDS = 5;

  /**
   * The words whose presence in the index decides the fuzzy query's shape: those of a query of 2 to
   * {@link #MAX_CHECKED_WORDS} distinct words (one word is fuzzy whatever it is).
   */
  private static List<String> checkedWords(String q) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(words(q)));
    return distinct.size() >= 2 && distinct.size() <= MAX_CHECKED_WORDS ? distinct : List.of();
  }

  /**
   * A count per word of the videos holding it in {@code typos}, up to one: Lucene answers it from
   * the term's document frequency, or stops at the first match, so a check costs the engine a
   * fraction of a millisecond.
   */
  private void addWordChecks(List<Map.Entry<String, Object>> searches, List<String> words) {
    for (String word : words) {
      searches.add(
          Map.entry(
              engine.alias("videos"),
              Map.of("size", 0, "track_total_hits", 1, "query", wordMatch(word, null))));
    }
  }

  /**
   * The checked words no video holds, from their checks' answers at {@code first} on. A query whose
   * words are all known gets an empty set, and so does one none of whose words is: then every word
   * is taken as a possible typo.
   */
  private static Set<String> unknownWords(List<String> checked, List<JsonNode> answers, int first) {
    Set<String> unknown = new LinkedHashSet<>();
    for (int i = 0; i < checked.size(); i++) {
      if (answers.get(first + i).path("hits").path("total").path("value").asLong() == 0) {
        unknown.add(checked.get(i));
      }
    }
    return unknown.size() == checked.size() ? Set.of() : unknown;
  }

  /**
   * A top search. Later pages: the exact video query, then the fuzzy one if the exact matches end
   * on the page. The first page: one round trip ({@code _msearch}) for the exact video query, the
   * users and the hashtags, then the fuzzy video query if the exact matches leave the page short.
   *
   * <p>The first page, when the exact matches fill it, is kept for {@link
   * SearchSettings#firstPageCache} and answered from memory for every viewer who asks the same. The
   * follow boost is the one part of the ranking that differs between viewers, so it is not in the
   * kept videos: they are ranked for everyone, and a viewer who follows creators adds a second
   * query, the same one restricted to those creators, each hit with the boost; the two lists merge
   * by score into the page the single query would give (see {@link #merged}). Searches follow a
   * Zipf, and the most common words are both the most asked and the costliest (each scores every
   * caption holding it): they are what the memory spares the engine. A short page (a rare word, a
   * typo) is never kept, so a new video is found by those as soon as it is indexed.
   */
  public CompletionStage<TopIds> top(
      String q,
      String tagPrefix,
      Collection<String> followed,
      int from,
      int size,
      int users,
      int tags) {
    if (from > 0) {
      return exactAndUnknown(q, exactVideos(q, followed, from, size))
          .thenCompose(exact -> withFuzzy(exact, q, followed, from, size))
          .thenApply(videos -> new TopIds(videos, NO_IDS, List.of()));
    }
    FirstPageKey key = new FirstPageKey(q, tagPrefix, size, users, tags);
    FirstPage kept = firstPages == null ? null : firstPages.getIfPresent(key);
    if (kept != null) {
      if (followed.isEmpty()) {
        return CompletableFuture.completedFuture(kept.withFollowed(List.of(), size));
      }
      return engine
          .query(videosPath(), followedVideos(q, followed, size))
          .thenApply(a -> scored(SearchEngine.ok(a, "searching").body()))
          .thenApply(f -> kept.withFollowed(f, size));
    }
    List<Map.Entry<String, Object>> searches = new ArrayList<>();
    searches.add(Map.entry(engine.alias("videos"), exactVideos(q, List.of(), 0, size)));
    Object sideTypos = sideListFuzziness(q);
    searches.add(Map.entry(engine.alias("users"), usersBody(q, 0, users, sideTypos)));
    searches.add(Map.entry(engine.alias("videos"), termsBody("hashtags", tagPrefix, sideTypos)));
    if (!followed.isEmpty()) {
      searches.add(Map.entry(engine.alias("videos"), followedVideos(q, followed, size)));
    }
    int checks = searches.size();
    List<String> checked = checkedWords(q);
    addWordChecks(searches, checked);
    return engine
        .msearch(searches)
        .thenCompose(
            answers -> {
              FirstPage page =
                  new FirstPage(
                      scored(answers.get(0)),
                      idPage(answers.get(1), 0, users),
                      termCounts(answers.get(2), tagPrefix, tags));
              if (firstPages != null && page.videos().size() > size) {
                firstPages.put(key, page);
              }
              List<String> ids =
                  merged(
                      page.videos(), followed.isEmpty() ? List.of() : scored(answers.get(3)), size);
              Set<String> unknown = unknownWords(checked, answers, checks);
              return withFuzzy(ids, ids.size(), q, unknown, followed, 0, size)
                  .thenApply(videos -> new TopIds(videos, page.users(), page.hashtags()));
            });
  }

  private static final IdPage NO_IDS = new IdPage(List.of(), Optional.empty());

  /** How much a followed creator's video gains (a {@code terms} query scores its boost). */
  static final double FOLLOWED = 10;

  /** How many first pages one node keeps at most. */
  private static final int FIRST_PAGES = 10_000;

  /** A video hit and its score. */
  record ScoredId(String id, double score) {}

  /** A top search's first page as every viewer shares it: the videos without the follow boost. */
  record FirstPage(List<ScoredId> videos, IdPage users, List<TermCount> hashtags) {
    TopIds withFollowed(List<ScoredId> followed, int size) {
      return new TopIds(page(merged(videos, followed, size), 0, size), users, hashtags);
    }
  }

  private record FirstPageKey(String q, String tagPrefix, int size, int users, int tags) {}

  /** How often a top search's first page was answered from memory, and how often not. */
  public record CacheCounts(long hits, long misses) {}

  public CacheCounts firstPageCounts() {
    if (firstPages == null) {
      return new CacheCounts(0, 0);
    }
    var stats = firstPages.stats();
    return new CacheCounts(stats.hitCount(), stats.missCount());
  }

  /**
   * The best {@code size + 1} of both lists by score, a followed video at its boosted score: the
   * single query's page. Each list holds its query's best {@code size + 1}. A followed video that
   * is not in the followed list has that many followed videos above it even with its boost; a video
   * in neither has that many above it in the first list, whose scores the boost only raises.
   */
  static List<String> merged(List<ScoredId> everyone, List<ScoredId> followed, int size) {
    Map<String, Double> best = new LinkedHashMap<>();
    for (ScoredId s : everyone) {
      best.put(s.id(), s.score());
    }
    for (ScoredId s : followed) {
      best.merge(s.id(), s.score() + FOLLOWED, Math::max);
    }
    return best.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(size + 1L)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The exact video query restricted to the followed creators, scored without their boost. */
  private static Map<String, Object> followedVideos(
      String q, Collection<String> followed, int size) {
    return idsBody(
        Map.of(
            "bool",
            Map.of(
                "must",
                exactMatch(q),
                "filter",
                Map.of("terms", Map.of("creatorId", List.copyOf(followed))),
                "should",
                boosts(List.of()))),
        0,
        size,
        BY_SCORE);
  }

  private static List<ScoredId> scored(JsonNode answer) {
    List<ScoredId> hits = new ArrayList<>();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      hits.add(new ScoredId(hit.path("_id").asText(), hit.path("_score").asDouble()));
    }
    return hits;
  }

  /** The boosts every video query adds to its text relevance. */
  private static List<Object> boosts(Collection<String> followed) {
    List<Object> boosts = new ArrayList<>();
    boosts.add(
        Map.of(
            "rank_feature",
            Map.of("field", "popularity", "saturation", Map.of("pivot", 100), "boost", 10)));
    boosts.add(
        Map.of(
            "distance_feature",
            Map.of("field", "createdAt", "origin", "now", "pivot", "7d", "boost", 5)));
    if (!followed.isEmpty()) {
      boosts.add(Map.of("terms", Map.of("creatorId", List.copyOf(followed), "boost", FOLLOWED)));
    }
    return boosts;
  }

  /** Every word, stemmed, in caption, hashtags, handle or sound title (a word may be in any). */
  private static Map<String, Object> exactMatch(String q) {
    return Map.of(
        "multi_match",
        Map.of(
            "query",
            q,
            "type",
            "cross_fields",
            "operator",
            "and",
            "fields",
            List.of(
                "caption^2",
                "caption.words^2",
                "hashtags.text^3",
                "creatorHandle.text^2",
                "soundTitle.text")));
  }

  /**
   * The exact list's page: from a later page on, the hits are counted (up to the deepest page) so
   * that the fuzzy list's offset is known when this one ends; the first page needs no count.
   */
  private static Map<String, Object> exactVideos(
      String q, Collection<String> followed, int from, int size) {
    Map<String, Object> body =
        idsBody(
            Map.of("bool", Map.of("must", exactMatch(q), "should", boosts(followed))),
            from,
            size,
            BY_SCORE);
    if (from > 0) {
      body.put("track_total_hits", MAX_DEPTH + 1);
    }
    return body;
  }

  /**
   * Every word or a typo of it (a word of under 3 letters exactly, under 6 one edit, else two; the
   * first letter as typed; at most {@link #FUZZY_EXPANSIONS} near terms) in caption words, hashtags
   * or handle, and not an exact match (those are the exact list). The three fields are copied into
   * one, {@code typos} (mapping v3), so a word builds one Levenshtein automaton and walks one term
   * dictionary, where one per field made the rewrite cost as much as the scoring: the same matches
   * (the same hit count on the bench's typo queries) at about 0.6x the engine time. Not sound
   * titles: an exact match finds a video by its sound's title, and the Sounds tab forgives typos in
   * them.
   *
   * <p>When some of the words are {@code unknown} (no video holds them) and others are not, only
   * the unknown ones are taken as typos; the known ones must be there as typed. The misspelt word
   * is the one the index lacks, as a spelling corrector assumes; a known word expanded to its near
   * terms was the costliest part of a typo search (a common word's neighbours hold most captions)
   * and brought in videos that had neither word as typed.
   */
  private static Map<String, Object> fuzzyVideos(
      String q, Set<String> unknown, Collection<String> followed, int from, int size) {
    List<Object> words = new ArrayList<>();
    for (String word : words(q)) {
      words.add(wordMatch(word, unknown.isEmpty() || unknown.contains(word) ? "AUTO" : null));
    }
    return idsBody(
        Map.of(
            "bool", Map.of("must", words, "must_not", exactMatch(q), "should", boosts(followed))),
        from,
        size,
        BY_SCORE);
  }

  /** A word in {@code typos}, as typed or (with a fuzziness) a typo of it. */
  private static Map<String, Object> wordMatch(String word, Object fuzziness) {
    Map<String, Object> match = new LinkedHashMap<>();
    match.put("query", word);
    match.put("operator", "and");
    if (fuzziness != null) {
      match.put("fuzziness", fuzziness);
      match.put("prefix_length", 1);
      match.put("max_expansions", FUZZY_EXPANSIONS);
    }
    return Map.of("match", Map.of("typos", match));
  }

  /**
   * The words a fuzzy query requires, each: those holding a letter or digit (punctuation alone
   * analyzes to nothing, which would match nothing, or with none left everything).
   */
  private static List<String> words(String q) {
    List<String> words = new ArrayList<>();
    for (String word : q.strip().split("\\s+")) {
      if (WORDLIKE.matcher(word).find()) {
        words.add(word);
      }
    }
    return words;
  }

  private static final java.util.regex.Pattern WORDLIKE =
      java.util.regex.Pattern.compile("[\\p{L}\\p{N}]");

  /**
   * The page at {@code from} from the exact list's answer, completed from the fuzzy list when the
   * exact one ends on it.
   */
  private CompletionStage<IdPage> withFuzzy(
      Exact exact, String q, Collection<String> followed, int from, int size) {
    List<String> ids = hitIds(exact.answer());
    // if the exact list ends on this page, it has this many hits in all
    int exactTotal =
        ids.isEmpty()
            ? (int) exact.answer().path("hits").path("total").path("value").asLong()
            : from + ids.size();
    return withFuzzy(ids, exactTotal, q, exact.unknown(), followed, from, size);
  }

  /** The same, given the exact list's ids on this page (up to one more) and its total. */
  private CompletionStage<IdPage> withFuzzy(
      List<String> ids,
      int exactTotal,
      String q,
      Set<String> unknown,
      Collection<String> followed,
      int from,
      int size) {
    if (ids.size() > size || words(q).isEmpty()) {
      return CompletableFuture.completedFuture(page(ids, from, size));
    }
    int fuzzyFrom = Math.max(0, from - exactTotal);
    return engine
        .query(videosPath(), fuzzyVideos(q, unknown, followed, fuzzyFrom, size - ids.size()))
        .thenApply(a -> SearchEngine.ok(a, "searching").body())
        .thenApply(
            fuzzy -> {
              List<String> all = new ArrayList<>(ids);
              all.addAll(hitIds(fuzzy));
              return page(all, from, size);
            });
  }

  /** Videos carrying {@code tag} (a {@code #tag} query): most popular and freshest first. */
  public CompletionStage<IdPage> videosWithHashtag(String tag, int from, int size) {
    return search(
        videosPath(),
        idsBody(
            Map.of(
                "bool",
                Map.of(
                    "filter",
                    Map.of("term", Map.of("hashtags", tag)),
                    "should",
                    List.of(
                        Map.of(
                            "rank_feature",
                            Map.of(
                                "field",
                                "popularity",
                                "saturation",
                                Map.of("pivot", 100),
                                "boost",
                                10)),
                        Map.of(
                            "distance_feature",
                            Map.of(
                                "field",
                                "createdAt",
                                "origin",
                                "now",
                                "pivot",
                                "7d",
                                "boost",
                                5))))),
            from,
            size,
            BY_SCORE),
        from,
        size);
  }

  private CompletionStage<IdPage> search(
      String path, Map<String, Object> body, int from, int size) {
    return engine
        .query(path, body)
        .thenApply(a -> idPage(SearchEngine.ok(a, "searching").body(), from, size));
  }

  /**
   * Users whose handle is {@code q} (first), starts with it, or is a typo of it, or whose display
   * name has every word of it (the last as a prefix, as you type) or a typo of them.
   */
  public CompletionStage<IdPage> users(String q, int from, int size) {
    return search(usersPath(), usersBody(q, from, size, "AUTO"), from, size);
  }

  /**
   * How many typos a top search's users and hashtags lists forgive: as the tabs do (one edit from 3
   * letters, two from 6) for one word; one per word for several, whose hashtag is the words joined
   * into one long string. Two edits cost a far larger automaton than one: on the bench's index the
   * hashtag list of a two-word search took 4.0 ms at two edits and 1.3–1.6 at one, the users list
   * 2.7–3.0 against 1.4–1.5, the two together a third of a typo search's engine time. The video
   * list and the Users and Hashtags tabs keep two.
   */
  private static Object sideListFuzziness(String q) {
    return words(q).size() > 1 ? 1 : "AUTO";
  }

  private static Map<String, Object> usersBody(String q, int from, int size, Object fuzziness) {
    String handle = q.toLowerCase(Locale.ROOT);
    return idsBody(
        Map.of(
            "bool",
            Map.of(
                "should",
                List.of(
                    Map.of(
                        "constant_score",
                        Map.of("filter", Map.of("term", Map.of("handle", handle)), "boost", EXACT)),
                    Map.of(
                        "multi_match",
                        Map.of(
                            "query",
                            q,
                            "type",
                            "bool_prefix",
                            "fields",
                            List.of(
                                "handle.suggest",
                                "handle.suggest._2gram",
                                "handle.suggest._3gram"))),
                    Map.of(
                        "match",
                        Map.of(
                            "handle.text",
                            Map.of(
                                "query",
                                q,
                                "fuzziness",
                                fuzziness,
                                "prefix_length",
                                1,
                                "max_expansions",
                                FUZZY_EXPANSIONS))),
                    everyWordAsYouType("displayName", q),
                    Map.of(
                        "match",
                        Map.of(
                            "displayName",
                            Map.of(
                                "query",
                                q,
                                "operator",
                                "and",
                                "fuzziness",
                                fuzziness,
                                "prefix_length",
                                1,
                                "max_expansions",
                                FUZZY_EXPANSIONS)))),
                "minimum_should_match",
                1)),
        from,
        size,
        List.of("_score", Map.of("createdAt", "asc")));
  }

  /** Hashtags that start with {@code prefix} or are a typo of it, most used first. */
  public CompletionStage<List<TermCount>> hashtags(String prefix, int size) {
    return terms("hashtags", prefix, size);
  }

  /**
   * Sounds whose title has every word of {@code q} (the last one as a prefix, as you type), or a
   * typo of them, or whose id starts with {@code q}; most used first, each with its title.
   */
  public CompletionStage<List<SoundCount>> sounds(String q, int size) {
    Map<String, Object> body =
        Map.of(
            "size",
            0,
            "query",
            Map.of(
                "bool",
                Map.of(
                    "should",
                    List.of(
                        everyWordAsYouType("soundTitle", q),
                        Map.of(
                            "match",
                            Map.of(
                                "soundTitle.text",
                                Map.of(
                                    "query",
                                    q,
                                    "operator",
                                    "and",
                                    "fuzziness",
                                    "AUTO",
                                    "prefix_length",
                                    1))),
                        Map.of("prefix", Map.of("soundId", q))),
                    "minimum_should_match",
                    1)),
            "aggs",
            Map.of(
                "top",
                Map.of(
                    "terms",
                    Map.of("field", "soundId", "size", size),
                    "aggs",
                    Map.of("title", Map.of("terms", Map.of("field", "soundTitle", "size", 1))))));
    return engine
        .query(videosPath(), body)
        .thenApply(a -> SearchEngine.ok(a, "searching sounds"))
        .thenApply(
            a -> {
              List<SoundCount> sounds = new ArrayList<>();
              for (JsonNode b : a.body().path("aggregations").path("top").path("buckets")) {
                JsonNode title = b.path("title").path("buckets").path(0).path("key");
                sounds.add(
                    new SoundCount(
                        b.path("key").asText(),
                        title.isMissingNode() ? null : title.asText(),
                        b.path("doc_count").asLong()));
              }
              return sounds;
            });
  }

  /**
   * Every word of {@code q} in {@code field}'s {@code search_as_you_type} subfield, the last one as
   * a prefix (as it is being typed).
   */
  private static Map<String, Object> everyWordAsYouType(String field, String q) {
    String suggest = field + ".suggest";
    return Map.of(
        "multi_match",
        Map.of(
            "query",
            q,
            "type",
            "bool_prefix",
            "operator",
            "and",
            "fields",
            List.of(suggest, suggest + "._2gram", suggest + "._3gram")));
  }

  private CompletionStage<List<TermCount>> terms(String field, String prefix, int size) {
    return engine
        .query(videosPath(), termsBody(field, prefix, "AUTO"))
        .thenApply(a -> termCounts(SearchEngine.ok(a, "searching " + field).body(), prefix, size));
  }

  private static Map<String, Object> termsBody(String field, String prefix, Object fuzziness) {
    return Map.of(
        "size",
        0,
        "query",
        Map.of(
            "bool",
            Map.of(
                "should",
                List.of(
                    Map.of("prefix", Map.of(field, prefix)),
                    Map.of(
                        "fuzzy",
                        Map.of(
                            field,
                            Map.of(
                                "value",
                                prefix,
                                "fuzziness",
                                fuzziness,
                                "max_expansions",
                                FUZZY_EXPANSIONS)))),
                "minimum_should_match",
                1)),
        "aggs",
        Map.of("top", Map.of("terms", Map.of("field", field, "size", 100))));
  }

  private static List<TermCount> termCounts(JsonNode answer, String prefix, int size) {
    List<TermCount> exact = new ArrayList<>();
    List<TermCount> close = new ArrayList<>();
    for (JsonNode b : answer.path("aggregations").path("top").path("buckets")) {
      String key = b.path("key").asText();
      TermCount t = new TermCount(key, b.path("doc_count").asLong());
      // a video's other hashtags come with it: keep those that match themselves
      if (key.startsWith(prefix)) {
        exact.add(t);
      } else if (Typos.within(key, prefix)) {
        close.add(t);
      }
    }
    exact.addAll(close);
    return exact.subList(0, Math.min(size, exact.size()));
  }

  /** As-you-type: handles, hashtags and caption words that complete the last word of {@code q}. */
  public CompletionStage<List<Suggestion>> suggest(String q, int size) {
    String lower = q.toLowerCase(Locale.ROOT).strip();
    String last = lower.substring(lower.lastIndexOf(' ') + 1).replaceFirst("^[#@]", "");
    Map<String, Object> users =
        Map.of(
            "size",
            3,
            "_source",
            List.of("id", "handle"),
            "query",
            Map.of(
                "multi_match",
                Map.of(
                    "query",
                    last,
                    "type",
                    "bool_prefix",
                    "fields",
                    List.of("handle.suggest", "handle.suggest._2gram", "handle.suggest._3gram"))));
    Map<String, Object> videos =
        Map.of(
            "size",
            20,
            "_source",
            List.of("caption", "hashtags"),
            "query",
            Map.of(
                "bool",
                Map.of(
                    "must",
                    Map.of(
                        "multi_match",
                        Map.of(
                            "query",
                            lower.replaceAll("[#@]", ""),
                            "type",
                            "bool_prefix",
                            "fields",
                            List.of(
                                "caption.suggest",
                                "caption.suggest._2gram",
                                "caption.suggest._3gram",
                                "hashtags.suggest",
                                "hashtags.suggest._2gram"))),
                    "should",
                    Map.of(
                        "rank_feature",
                        Map.of("field", "popularity", "saturation", Map.of("pivot", 100))))));
    // one round trip for both
    return engine
        .msearch(
            List.of(
                Map.entry(engine.alias("users"), users), Map.entry(engine.alias("videos"), videos)))
        .thenApply(answers -> suggestions(answers.get(0), answers.get(1), lower, last, size));
  }

  private static List<Suggestion> suggestions(
      JsonNode users, JsonNode videos, String lower, String last, int size) {
    List<Suggestion> h = new ArrayList<>();
    for (JsonNode hit : users.path("hits").path("hits")) {
      JsonNode src = hit.path("_source");
      h.add(new Suggestion("user", "@" + src.path("handle").asText(), src.path("id").asText()));
    }
    Set<String> tags = new LinkedHashSet<>();
    Set<String> captionWords = new LinkedHashSet<>();
    for (JsonNode hit : videos.path("hits").path("hits")) {
      JsonNode src = hit.path("_source");
      for (JsonNode tag : src.path("hashtags")) {
        if (tag.asText().startsWith(last)) {
          tags.add(tag.asText());
        }
      }
      for (String word :
          src.path("caption").asText().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+")) {
        if (!last.isEmpty() && word.startsWith(last) && word.length() > 1) {
          captionWords.add(word);
        }
      }
    }
    List<Suggestion> w = new ArrayList<>();
    tags.forEach(t -> w.add(new Suggestion("hashtag", "#" + t, null)));
    String head = lower.contains(" ") ? lower.substring(0, lower.lastIndexOf(' ') + 1) : "";
    captionWords.forEach(word -> w.add(new Suggestion("query", head + word, null)));
    Map<String, Suggestion> merged = new LinkedHashMap<>();
    for (Suggestion s : h) {
      merged.putIfAbsent(s.kind() + s.text(), s);
    }
    for (Suggestion s : w) {
      merged.putIfAbsent(s.kind() + s.text(), s);
    }
    List<Suggestion> all = List.copyOf(merged.values());
    return all.subList(0, Math.min(size, all.size()));
  }

  /** A search body for a page of ids at {@code from}: one more than asked tells if more exist. */
  private static Map<String, Object> idsBody(
      Map<String, Object> query, int from, int size, List<Object> sort) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("size", size + 1);
    body.put("_source", false);
    body.put("track_total_hits", false);
    body.put("query", query);
    // no sort: relevance alone (see BY_SCORE)
    if (!sort.isEmpty()) {
      body.put("sort", sort);
    }
    return body;
  }

  private static List<String> hitIds(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      ids.add(hit.path("_id").asText());
    }
    return ids;
  }

  private static IdPage idPage(JsonNode answer, int from, int size) {
    return page(hitIds(answer), from, size);
  }

  /** The page of {@code size} at {@code from}, given up to one more id than that. */
  private static IdPage page(List<String> ids, int from, int size) {
    boolean more = ids.size() > size && from + size < MAX_DEPTH;
    List<String> page = ids.subList(0, Math.min(size, ids.size()));
    return new IdPage(List.copyOf(page), more ? Optional.of(from + size) : Optional.empty());
  }
}
