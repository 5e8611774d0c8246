package io.flick.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The queries over the search documents. Text from the caller only ever goes into match-type
 * queries as a value (never query_string), so query syntax in it is searched literally.
 *
 * <p>Ranking of videos (documented in README, "Search"): a document must match the words, exactly
 * (every word, stemmed, in caption, hashtags, handle or sound title) or fuzzily (typos: edit
 * distance by word length). An exact match scores a fixed 100 on top of its text relevance, more
 * than anything a fuzzy-only match can reach, so any exact match ranks above any fuzzy one. Among
 * equally good matches, popularity (a saturating function of views, likes, comments and shares, at
 * most 10), freshness (at most 5, halved at a week old) and a followed creator (10) order the rest.
 */
public final class SearchService {
  /** How far a cursor may page into one result list. */
  public static final int MAX_DEPTH = 1000;

  static final int EXACT = 100;

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

  private final SearchEngine engine;

  public SearchService(SearchEngine engine) {
    this.engine = engine;
  }

  private String videosPath() {
    return "/" + engine.alias("videos") + "/_search";
  }

  private String usersPath() {
    return "/" + engine.alias("users") + "/_search";
  }

  /** Videos matching {@code q}, ranked as the class comment says. */
  public CompletionStage<IdPage> videos(String q, Collection<String> followed, int from, int size) {
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
      boosts.add(Map.of("terms", Map.of("creatorId", List.copyOf(followed), "boost", 10)));
    }
    Map<String, Object> text =
        Map.of(
            "bool",
            Map.of(
                "should",
                List.of(
                    Map.of(
                        "constant_score",
                        Map.of(
                            "filter",
                            Map.of(
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
                                        "caption",
                                        "caption.words",
                                        "hashtags.text",
                                        "creatorHandle.text",
                                        "soundTitle.text"))),
                            "boost",
                            EXACT)),
                    Map.of(
                        "multi_match",
                        Map.of(
                            "query",
                            q,
                            "fields",
                            List.of(
                                "caption^2",
                                "caption.words^2",
                                "hashtags.text^3",
                                "creatorHandle.text^2",
                                "soundTitle.text"),
                            "fuzziness",
                            "AUTO",
                            "prefix_length",
                            1))),
                "minimum_should_match",
                1));
    return ids(
        videosPath(), Map.of("bool", Map.of("must", text, "should", boosts)), from, size, BY_SCORE);
  }

  /** Videos carrying {@code tag} (a {@code #tag} query): most popular and freshest first. */
  public CompletionStage<IdPage> videosWithHashtag(String tag, int from, int size) {
    return ids(
        videosPath(),
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
                            "field", "createdAt", "origin", "now", "pivot", "7d", "boost", 5))))),
        from,
        size,
        BY_SCORE);
  }

  /** Users whose handle is {@code q} (first), starts with it, or is a typo of it. */
  public CompletionStage<IdPage> users(String q, int from, int size) {
    String handle = q.toLowerCase(Locale.ROOT);
    return ids(
        usersPath(),
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
                            Map.of("query", q, "fuzziness", "AUTO", "prefix_length", 1)))),
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
                        Map.of(
                            "multi_match",
                            Map.of(
                                "query",
                                q,
                                "type",
                                "bool_prefix",
                                "operator",
                                "and",
                                "fields",
                                List.of(
                                    "soundTitle.suggest",
                                    "soundTitle.suggest._2gram",
                                    "soundTitle.suggest._3gram"))),
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
        .send("POST", videosPath(), body)
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

  private CompletionStage<List<TermCount>> terms(String field, String prefix, int size) {
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
                        Map.of("prefix", Map.of(field, prefix)),
                        Map.of(
                            "fuzzy", Map.of(field, Map.of("value", prefix, "fuzziness", "AUTO")))),
                    "minimum_should_match",
                    1)),
            "aggs",
            Map.of("top", Map.of("terms", Map.of("field", field, "size", 100))));
    return engine
        .send("POST", videosPath(), body)
        .thenApply(a -> SearchEngine.ok(a, "searching " + field))
        .thenApply(
            a -> {
              List<TermCount> exact = new ArrayList<>();
              List<TermCount> close = new ArrayList<>();
              for (JsonNode b : a.body().path("aggregations").path("top").path("buckets")) {
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
            });
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
    CompletionStage<List<Suggestion>> handles =
        engine
            .send("POST", usersPath(), users)
            .thenApply(a -> SearchEngine.ok(a, "suggesting users"))
            .thenApply(
                a -> {
                  List<Suggestion> list = new ArrayList<>();
                  for (JsonNode hit : a.body().path("hits").path("hits")) {
                    JsonNode src = hit.path("_source");
                    list.add(
                        new Suggestion(
                            "user", "@" + src.path("handle").asText(), src.path("id").asText()));
                  }
                  return list;
                });
    CompletionStage<List<Suggestion>> words =
        engine
            .send("POST", videosPath(), videos)
            .thenApply(a -> SearchEngine.ok(a, "suggesting words"))
            .thenApply(
                a -> {
                  Set<String> tags = new LinkedHashSet<>();
                  Set<String> captionWords = new LinkedHashSet<>();
                  for (JsonNode hit : a.body().path("hits").path("hits")) {
                    JsonNode src = hit.path("_source");
                    for (JsonNode tag : src.path("hashtags")) {
                      if (tag.asText().startsWith(last)) {
                        tags.add(tag.asText());
                      }
                    }
                    for (String word :
                        src.path("caption")
                            .asText()
                            .toLowerCase(Locale.ROOT)
                            .split("[^\\p{L}\\p{N}_]+")) {
                      if (!last.isEmpty() && word.startsWith(last) && word.length() > 1) {
                        captionWords.add(word);
                      }
                    }
                  }
                  List<Suggestion> list = new ArrayList<>();
                  tags.forEach(t -> list.add(new Suggestion("hashtag", "#" + t, null)));
                  String head =
                      lower.contains(" ") ? lower.substring(0, lower.lastIndexOf(' ') + 1) : "";
                  captionWords.forEach(w -> list.add(new Suggestion("query", head + w, null)));
                  return list;
                });
    return handles.thenCombine(
        words,
        (h, w) -> {
          Map<String, Suggestion> merged = new LinkedHashMap<>();
          for (Suggestion s : h) {
            merged.putIfAbsent(s.kind() + s.text(), s);
          }
          for (Suggestion s : w) {
            merged.putIfAbsent(s.kind() + s.text(), s);
          }
          List<Suggestion> all = List.copyOf(merged.values());
          return all.subList(0, Math.min(size, all.size()));
        });
  }

  private CompletionStage<IdPage> ids(
      String path, Map<String, Object> query, int from, int size, List<Object> sort) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    // one more than asked: tells whether a next page exists
    body.put("size", size + 1);
    body.put("_source", false);
    body.put("track_total_hits", false);
    body.put("query", query);
    // no sort: relevance alone (see BY_SCORE)
    if (!sort.isEmpty()) {
      body.put("sort", sort);
    }
    return engine
        .send("POST", path, body)
        .thenApply(a -> SearchEngine.ok(a, "searching"))
        .thenApply(
            a -> {
              List<String> ids = new ArrayList<>();
              for (JsonNode hit : a.body().path("hits").path("hits")) {
                ids.add(hit.path("_id").asText());
              }
              boolean more = ids.size() > size && from + size < MAX_DEPTH;
              List<String> page = ids.subList(0, Math.min(size, ids.size()));
              return new IdPage(
                  List.copyOf(page), more ? Optional.of(from + size) : Optional.empty());
            });
  }
}
