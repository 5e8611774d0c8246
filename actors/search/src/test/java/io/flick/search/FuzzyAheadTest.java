package io.flick.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A first page's fuzzy list sent ahead, against a scripted engine that tells the requests apart:
 * the word checks (an {@code _msearch} of counts), the exact lists (the other {@code _msearch}, or
 * a {@code _search} without {@code must_not}) and the fuzzy list (a {@code _search} with it). The
 * engine holds the exact lists' answer back, or the fuzzy one's, to see what the search waits for.
 */
class FuzzyAheadTest {
  private static final Duration HELD = Duration.ofSeconds(2);

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void aWordNoVideoHoldsSendsTheFuzzyListBeforeTheExactOneAnswers() throws Exception {
    ScriptedEngine engine = new ScriptedEngine(Set.of("gramophne"), 0, false);
    SearchService search = new SearchService(client(engine), true);

    var top = search.top("guitar gramophne", "guitar_gramophne", Set.of(), 0, 20, 3, 5);
    var ids = top.toCompletableFuture().get(10, TimeUnit.SECONDS).videos().ids();

    assertThat(engine.fuzzyBeforeExact).as("fuzzy list asked while the exact one ran").isTrue();
    assertThat(ids).containsExactly("fuzzy-0", "fuzzy-1");
    // the held word as typed, the missing one fuzzy
    assertThat(engine.fuzzyBody).contains("\"query\":\"guitar\",\"operator\":\"and\"}");
    assertThat(engine.fuzzyBody)
        .contains("\"query\":\"gramophne\",\"operator\":\"and\",\"fuzziness\"");

    // the Videos tab's first page too
    ScriptedEngine tab = new ScriptedEngine(Set.of("gramophne"), 0, false);
    var videos = new SearchService(client(tab), true).videos("gramophne", Set.of(), 0, 20);
    assertThat(videos.toCompletableFuture().get(10, TimeUnit.SECONDS).ids())
        .containsExactly("fuzzy-0", "fuzzy-1");
    assertThat(tab.fuzzyBeforeExact).isTrue();
  }

  @Test
  void aPageTheExactMatchesLeaveShortIsFilledFromTheFuzzyListSentAhead() throws Exception {
    // a missing word that the exact list still matches some videos by (a stem, a sound title)
    ScriptedEngine engine = new ScriptedEngine(Set.of("gramophnes"), 3, false);
    SearchService search = new SearchService(client(engine), true);

    var top = search.top("gramophnes", "gramophnes", Set.of(), 0, 4, 3, 5);
    var videos = top.toCompletableFuture().get(10, TimeUnit.SECONDS).videos();

    assertThat(engine.fuzzyBeforeExact).isTrue();
    // every exact match first, then the fuzzy list's best, one more telling there is a next page
    assertThat(videos.ids()).containsExactly("exact-0", "exact-1", "exact-2", "fuzzy-0");
    assertThat(videos.next()).contains(4);
  }

  @Test
  void aPageTheExactMatchesFillDoesNotWaitForTheFuzzyList() throws Exception {
    // the fuzzy list never answers within the test
    ScriptedEngine engine = new ScriptedEngine(Set.of("gramophne"), 21, true);
    SearchService search = new SearchService(client(engine), true);

    var top = search.top("guitar gramophne", "guitar_gramophne", Set.of(), 0, 20, 3, 5);
    var videos = top.toCompletableFuture().get(10, TimeUnit.SECONDS).videos();

    assertThat(videos.ids()).hasSize(20).allMatch(id -> id.startsWith("exact-"));
    assertThat(videos.next()).contains(20);
  }

  @Test
  void wordsEveryOneOfWhichIsHeldAskForTheFuzzyListOnlyAfterTheExactOne() throws Exception {
    ScriptedEngine engine = new ScriptedEngine(Set.of(), 3, false);
    SearchService search = new SearchService(client(engine), true);

    var top = search.top("guitar solo", "guitar_solo", Set.of(), 0, 20, 3, 5);
    var ids = top.toCompletableFuture().get(10, TimeUnit.SECONDS).videos().ids();

    assertThat(engine.fuzzyBeforeExact).as("no fuzzy list sent for held words").isFalse();
    assertThat(ids).containsExactly("exact-0", "exact-1", "exact-2", "fuzzy-0", "fuzzy-1");
  }

  private SearchEngine client(ScriptedEngine engine) {
    SearchEngine client =
        new SearchEngine(
            new SearchSettings(
                "http://127.0.0.1:" + engine.port(),
                "flick",
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                16,
                Duration.ofSeconds(30),
                2000,
                200,
                Duration.ofMillis(500),
                1,
                Duration.ZERO,
                true));
    closing.add(client);
    return client;
  }

  /** An OpenSearch that answers the three kinds of request as the test scripts them. */
  private final class ScriptedEngine {
    private final HttpServer server;
    private final CountDownLatch fuzzyAsked = new CountDownLatch(1);
    private final CountDownLatch testOver = new CountDownLatch(1);
    volatile boolean fuzzyBeforeExact;
    volatile String fuzzyBody;

    /**
     * @param missing the words no video holds, as the word checks answer
     * @param exactHits how many videos the exact list has
     * @param fuzzyHangs whether the fuzzy list's answer is held until the test ends
     */
    ScriptedEngine(Set<String> missing, int exactHits, boolean fuzzyHangs) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      server.setExecutor(Executors.newCachedThreadPool());
      AtomicBoolean exactAnswered = new AtomicBoolean();
      server.createContext(
          "/",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean msearch = exchange.getRequestURI().getPath().endsWith("/_msearch");
            boolean checks = msearch && body.contains("\"track_total_hits\":1");
            try {
              if (checks) {
                List<String> counts = new ArrayList<>();
                String[] lines = body.split("\n");
                for (int i = 1; i < lines.length; i += 2) {
                  String check = lines[i];
                  counts.add(
                      total(missing.stream().anyMatch(w -> check.contains('"' + w + '"')) ? 0 : 1));
                }
                answer(exchange, "{\"responses\":[" + String.join(",", counts) + "]}");
              } else if (body.contains("must_not")) {
                fuzzyBody = body;
                fuzzyBeforeExact = !exactAnswered.get();
                fuzzyAsked.countDown();
                if (fuzzyHangs) {
                  testOver.await(30, TimeUnit.SECONDS);
                }
                answer(exchange, hits("fuzzy", 2));
              } else {
                // the exact lists: held until the fuzzy list is asked for, or for HELD
                fuzzyAsked.await(HELD.toMillis(), TimeUnit.MILLISECONDS);
                exactAnswered.set(true);
                if (msearch) {
                  int searches = body.split("\n").length / 2;
                  List<String> answers = new ArrayList<>(List.of(hits("exact", exactHits)));
                  for (int i = 1; i < searches; i++) {
                    answers.add(hits("other", 0));
                  }
                  answer(exchange, "{\"responses\":[" + String.join(",", answers) + "]}");
                } else {
                  answer(exchange, hits("exact", exactHits));
                }
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      server.start();
      closing.add(
          () -> {
            testOver.countDown();
            server.stop(0);
          });
    }

    int port() {
      return server.getAddress().getPort();
    }

    private static String total(long value) {
      return "{\"hits\":{\"total\":{\"value\":" + value + "},\"hits\":[]}}";
    }

    private static String hits(String prefix, int count) {
      List<String> hits = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        hits.add("{\"_id\":\"" + prefix + "-" + i + "\",\"_score\":" + (100 - i) + "}");
      }
      return "{\"hits\":{\"hits\":[" + String.join(",", hits) + "]}}";
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
