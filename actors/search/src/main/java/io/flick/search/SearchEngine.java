package io.flick.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search context's connection to OpenSearch: the opensearch-java client's generic JSON API (the
 * queries are plain OpenSearch DSL, easier to read and review than the typed builders) and the
 * versioned indexes. {@link #ensureIndexes} creates {@code <prefix>-<kind>-v<NNN>} from the
 * resource {@code search/V<NNN>__<kind>.json} of the highest version and points the alias {@code
 * <prefix>-<kind>} at it, like the CQL scripts; everything else reads and writes through the alias.
 */
public final class SearchEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchEngine.class);

  /**
   * The index kinds and the version of each one's mapping this code writes (videos v2: the sound's
   * title, {@code soundTitle}; v3: {@code typos}, the one field the fuzzy video query searches).
   */
  public static final Map<String, Integer> MAPPINGS = Map.of("videos", 3, "users", 2);

  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The connections kept beside the searches' for the writes: the two document projections, the
   * popularity refresh and a reindex.
   */
  static final int WRITE_CONNECTIONS = 4;

  private final SearchSettings settings;
  private final OpenSearchTransport transport;
  private final OpenSearchGenericClient client;

  /** The same client with a user's search's deadline ({@link SearchSettings#queryTimeout}). */
  private final OpenSearchGenericClient queries;

  private final Semaphore queriesInFlight;
  private final LongAdder shedQueries = new LongAdder();
  private final java.util.concurrent.atomic.AtomicBoolean indexesEnsured =
      new java.util.concurrent.atomic.AtomicBoolean();

  public SearchEngine(SearchSettings settings) {
    this.settings = settings;
    URI uri = URI.create(settings.url());
    HttpHost host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
    Timeout timeout = Timeout.ofMilliseconds(settings.requestTimeout().toMillis());
    int connections = settings.maxQueriesInFlight() + WRITE_CONNECTIONS;
    this.transport =
        ApacheHttpClient5TransportBuilder.builder(host)
            .setMapper(new JacksonJsonpMapper(JSON))
            // the builder's pool has 10 connections: sized here so that the searches never wait
            // for one behind each other or behind the writes
            .setHttpClientConfigCallback(
                b ->
                    b.setConnectionManager(
                        PoolingAsyncClientConnectionManagerBuilder.create()
                            .setMaxConnPerRoute(connections)
                            .setMaxConnTotal(connections)
                            .build()))
            .setRequestConfigCallback(
                b ->
                    b.setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .setConnectTimeout(timeout))
            .build();
    this.client = new OpenSearchGenericClient(transport);
    // the client's own timeouts, not a timer around its future: cancelling that future does not
    // reach the HTTP exchange, which would then still wait for a connection and be sent, or wait
    // for an answer, after its user had had a 503. At its response timeout the client closes the
    // connection, and OpenSearch cancels a search whose connection closed.
    Timeout queryTimeout = Timeout.ofMilliseconds(settings.queryTimeout().toMillis());
    this.queries =
        client.withTransportOptions(
            ApacheHttpClient5Options.DEFAULT.toBuilder()
                .setRequestConfig(
                    RequestConfig.custom()
                        .setConnectionRequestTimeout(queryTimeout)
                        .setResponseTimeout(queryTimeout)
                        .setConnectTimeout(queryTimeout)
                        .build())
                .build());
    this.queriesInFlight = new Semaphore(settings.maxQueriesInFlight());
  }

  public SearchSettings settings() {
    return settings;
  }

  /** The alias every read and write goes through: {@code <prefix>-videos}, {@code -users}. */
  public String alias(String kind) {
    return settings.indexPrefix() + "-" + kind;
  }

  /** {@code <prefix>-<kind>-v<NNN>}: the index one version of a mapping lives in. */
  public String versionedIndex(String kind, int version) {
    return String.format(Locale.ROOT, "%s-%s-v%03d", settings.indexPrefix(), kind, version);
  }

  /** An answer of the cluster: its status and JSON body (null when it had none). */
  public record Answer(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * Sends one request; completes with the answer whatever its status, or fails with {@link
   * SearchUnavailableException} when the cluster cannot be reached or answers 5xx.
   */
  public CompletionStage<Answer> send(String method, String path, Object body) {
    return send(client, settings.requestTimeout(), method, path, body);
  }

  /**
   * A user's search, POSTed to {@code path}: with the searches' deadline, and at most {@link
   * SearchSettings#maxQueriesInFlight} at once. One more fails at once with {@link
   * SearchUnavailableException} (a 503 with Retry-After), instead of queueing behind a slow or hung
   * engine and reaching it after its user has gone.
   */
  public CompletionStage<Answer> query(String path, Object body) {
    if (!queriesInFlight.tryAcquire()) {
      shedQueries.increment();
      return CompletableFuture.failedFuture(
          new SearchUnavailableException(
              "search is busy: "
                  + settings.maxQueriesInFlight()
                  + " searches from this node are at the engine",
              null));
    }
    CompletionStage<Answer> answer;
    try {
      answer = send(queries, settings.queryTimeout(), "POST", path, body);
    } catch (RuntimeException e) {
      queriesInFlight.release();
      throw e;
    }
    return answer.whenComplete((a, e) -> queriesInFlight.release());
  }

  /** How many users' searches this node answered 503 at once, having {@code max} at the engine. */
  public long shedQueries() {
    return shedQueries.sum();
  }

  private CompletionStage<Answer> send(
      OpenSearchGenericClient via, Duration timeout, String method, String path, Object body) {
    Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path);
    if (body != null) {
      try {
        request.body(
            Body.from(
                body instanceof String s
                    ? s.getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(body),
                path.endsWith("_bulk") || path.endsWith("_msearch")
                    ? "application/x-ndjson"
                    : "application/json"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    CompletableFuture<Answer> answer;
    try {
      answer =
          via.executeAsync(request.build())
              // the client ends the exchange within a wait for a connection and one for the
              // answer, each at most the timeout; this timer is only a backstop beyond both
              .orTimeout(timeout.multipliedBy(2).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)
              .thenApply(SearchEngine::read);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer
        .exceptionally(
            e -> {
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              throw cause instanceof SearchUnavailableException u
                  ? u
                  : new SearchUnavailableException(
                      "OpenSearch at " + settings.url() + " did not answer: " + cause, cause);
            })
        .thenApply(
            a -> {
              if (a.status() >= 500) {
                throw new SearchUnavailableException(
                    "OpenSearch answered " + a.status() + " to " + method + " " + path, null);
              }
              return a;
            });
  }

  private static Answer read(org.opensearch.client.opensearch.generic.Response response) {
    try (response) {
      JsonNode body = null;
      if (response.getBody().isPresent()) {
        try (Body b = response.getBody().get()) {
          byte[] bytes = b.bodyAsBytes();
          body = bytes.length == 0 ? null : JSON.readTree(bytes);
        }
      }
      return new Answer(response.getStatus(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Fails unless the answer is a 2xx. A missing index (the node started while the engine was down,
   * and nothing has created the indexes since) is the engine being unavailable, not a fault of the
   * request: a 503 to the client, and the refresher or the next write creates them.
   */
  static Answer ok(Answer a, String what) {
    if (a.status() == 404 && String.valueOf(a.body()).contains("index_not_found_exception")) {
      throw new SearchUnavailableException(what + ": the search indexes do not exist yet", null);
    }
    if (!a.ok()) {
      throw new IllegalStateException(what + " answered " + a.status() + ": " + a.body());
    }
    return a;
  }

  /**
   * Completes once the indexes exist (ensured once per client): writers call it first, so a node
   * that started while the engine was down creates them when it comes back.
   */
  public CompletionStage<Void> writable() {
    return indexesEnsured.get() ? CompletableFuture.completedFuture(null) : ensureIndexes();
  }

  /** Creates the current version of each index when missing and points its alias at it. */
  public CompletionStage<Void> ensureIndexes() {
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (Map.Entry<String, Integer> e : MAPPINGS.entrySet()) {
      all = all.thenCompose(v -> ensureIndex(e.getKey(), e.getValue()).toCompletableFuture());
    }
    return all.thenRun(() -> indexesEnsured.set(true));
  }

  private CompletionStage<Void> ensureIndex(String kind, int version) {
    String index = versionedIndex(kind, version);
    String alias = alias(kind);
    return send("HEAD", "/" + index, null)
        .thenCompose(
            exists -> {
              if (exists.ok()) {
                return CompletableFuture.completedFuture(null);
              }
              log.info("creating search index {} behind alias {}", index, alias);
              return send("PUT", "/" + index, mapping(kind, version))
                  .thenApply(
                      created -> {
                        // two nodes starting at once: the other one created it first
                        if (!created.ok()
                            && !String.valueOf(created.body())
                                .contains("resource_already_exists_exception")) {
                          ok(created, "creating " + index);
                        }
                        return null;
                      });
            })
        .thenCompose(
            created ->
                send(
                    "POST",
                    "/_aliases",
                    Map.of(
                        "actions",
                        java.util.List.of(
                            Map.of(
                                "remove",
                                Map.of(
                                    "index",
                                    settings.indexPrefix() + "-" + kind + "-v*",
                                    "alias",
                                    alias,
                                    "must_exist",
                                    false)),
                            Map.of("add", Map.of("index", index, "alias", alias))))))
        .thenApply(a -> ok(a, "pointing " + alias + " at " + index))
        .thenCompose(
            pointed ->
                send(
                    "PUT",
                    "/" + index + "/_settings",
                    Map.of(
                        "index",
                        Map.of("refresh_interval", settings.refreshInterval().toMillis() + "ms"))))
        .thenApply(a -> ok(a, "setting the refresh interval of " + index))
        .thenCompose(
            set ->
                send(
                    "PUT",
                    "/" + index + "/_settings",
                    slicing(kind.equals("videos") ? settings.querySlices() : 1)))
        .thenApply(
            a -> {
              // an external cluster older than OpenSearch 2.17 has no such index settings:
              // it searches with one thread per query, which is slower but correct
              if (!a.ok()) {
                log.warn("{} kept one thread per query: {}", index, a.body());
              }
              return a;
            })
        .thenApply(a -> null);
  }

  /**
   * The index settings that search it with {@code slices} threads per query: OpenSearch's
   * concurrent segment search over at most that many slices of the index's segments, off for 1. A
   * common word's query scores every match (see SearchService): a search node with idle cores can
   * share that out; on 2 cores shared with the node it did not help (docs/BENCHMARKS.md).
   */
  public static Map<String, Object> slicing(int slices) {
    return Map.of(
        "index",
        Map.of(
            "search.concurrent_segment_search.mode",
            slices > 1 ? "all" : "none",
            "search.concurrent.max_slice_count",
            slices));
  }

  /**
   * Several searches in one round trip ({@code _msearch}): each of {@code searches} is an index
   * (alias) and a search body; completes with their answers' bodies in the same order, or fails
   * when any of them failed.
   */
  public CompletionStage<java.util.List<JsonNode>> msearch(
      java.util.List<Map.Entry<String, Object>> searches) {
    StringBuilder ndjson = new StringBuilder();
    try {
      for (Map.Entry<String, Object> search : searches) {
        ndjson.append(JSON.writeValueAsString(Map.of("index", search.getKey()))).append('\n');
        ndjson.append(JSON.writeValueAsString(search.getValue())).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return query("/_msearch", ndjson.toString())
        .thenApply(
            a -> {
              ok(a, "searching");
              java.util.List<JsonNode> answers = new java.util.ArrayList<>();
              for (JsonNode answer : a.body().path("responses")) {
                if (answer.has("error")) {
                  int status = answer.path("status").asInt(500);
                  if (status >= 500) {
                    throw new SearchUnavailableException(
                        "OpenSearch answered " + status + " to a search: " + answer.get("error"),
                        null);
                  }
                  // as a single search's answer: a missing index is the engine unavailable
                  ok(new Answer(status, answer), "a search");
                }
                answers.add(answer);
              }
              return answers;
            });
  }

  static String mapping(String kind, int version) {
    String resource = String.format(Locale.ROOT, "search/V%03d__%s.json", version, kind);
    try (InputStream in = SearchEngine.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("mapping " + resource + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Readiness: the cluster answers its health with green or yellow. */
  public CompletionStage<String> health() {
    return send("GET", "/_cluster/health", null)
        .thenApply(
            a -> {
              String status = a.body() == null ? "?" : a.body().path("status").asText();
              if (!a.ok() || status.equals("red")) {
                throw new SearchUnavailableException("cluster health " + status, null);
              }
              return status;
            });
  }

  /** Makes every write so far visible to search (tests, reindex). */
  public CompletionStage<Answer> refresh() {
    return send("POST", "/" + alias("videos") + "," + alias("users") + "/_refresh", null);
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (Exception e) {
      log.debug("closing the OpenSearch transport", e);
    }
  }
}
