package io.flick.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine that takes requests and never answers (a stalled or hung OpenSearch): users' searches
 * beyond the bound fail at once, those at the engine end at their deadline with their connection
 * closed (so the engine drops them), and the writes keep connections of their own.
 */
class HungEngineTest {
  private HungServer server;

  @BeforeEach
  void start() throws IOException {
    server = new HungServer();
  }

  @AfterEach
  void stop() throws IOException {
    server.close(); // first: what still waits on it then ends at once, and the client closes fast
    for (SearchEngine engine : engines) {
      engine.close();
    }
  }

  private final List<SearchEngine> engines = new ArrayList<>();

  /** A client of the hung server; the writes' deadline is far beyond the test. */
  private SearchEngine engine(int maxQueriesInFlight, Duration queryTimeout) {
    SearchEngine engine =
        new SearchEngine(
            new SearchSettings(
                "http://127.0.0.1:" + server.port(),
                "flick",
                Duration.ofSeconds(120),
                queryTimeout,
                maxQueriesInFlight,
                Duration.ofSeconds(30),
                2000,
                200,
                Duration.ofMillis(500),
                1,
                Duration.ZERO));
    engines.add(engine);
    return engine;
  }

  @Test
  void searchesBeyondTheBoundFailAtOnceAndThoseAtTheEngineEndWithTheirConnection()
      throws Exception {
    SearchEngine engine = engine(2, Duration.ofMillis(300));
    List<CompletableFuture<SearchEngine.Answer>> searches = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      searches.add(search(engine.query("/flick-videos/_search", Map.of("size", 0))));
    }
    // two at the engine; the other three are already answered, without a request
    for (CompletableFuture<SearchEngine.Answer> shed : searches.subList(2, 5)) {
      assertThat(shed).isCompletedExceptionally();
      assertThatThrownBy(shed::join)
          .hasCauseInstanceOf(SearchUnavailableException.class)
          .hasMessageContaining("search is busy");
    }
    assertThat(engine.shedQueries()).isEqualTo(3);

    // each sent search's connection is closed at its deadline (the writes' is minutes away), and
    // its user answered then
    assertThat(server.closed.await(20, TimeUnit.SECONDS)).isTrue();
    for (CompletableFuture<SearchEngine.Answer> sent : searches.subList(0, 2)) {
      assertThatThrownBy(() -> sent.get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SearchUnavailableException.class);
    }
    assertThat(server.requests)
        .hasSize(2)
        .allMatch(r -> r.startsWith("POST /flick-videos/_search"));

    // their places are free again: the next search is sent
    CompletableFuture<SearchEngine.Answer> next =
        search(engine.query("/flick-videos/_search", Map.of("size", 0)));
    server.awaitRequests(3);
    assertThatThrownBy(() -> next.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(SearchUnavailableException.class);
  }

  @Test
  void writesHaveConnectionsOfTheirOwnWhileSearchesHang() throws Exception {
    // more searches than the client library's default pool holds, each waiting for minutes
    SearchEngine engine = engine(12, Duration.ofMinutes(2));
    for (int i = 0; i < 12; i++) {
      search(engine.query("/flick-videos/_search", Map.of("size", 0)));
    }
    engine.send("POST", "/_bulk", "{\"index\":{}}\n{}\n");
    server.awaitRequests(13);
    assertThat(server.requests).anyMatch(r -> r.startsWith("POST /_bulk"));
  }

  private static CompletableFuture<SearchEngine.Answer> search(
      CompletionStage<SearchEngine.Answer> stage) {
    return stage.toCompletableFuture();
  }

  /** Accepts connections, reads what comes, answers nothing; notes each request and each close. */
  private static final class HungServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<String> requests = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(2);
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    HungServer() throws IOException {
      daemon(
          () -> {
            while (!socket.isClosed()) {
              try {
                Socket s = socket.accept();
                accepted.add(s);
                daemon(() -> read(s));
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    private static void daemon(Runnable body) {
      Thread thread = new Thread(body, "hung-engine");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void read(Socket s) {
      try (InputStream in = s.getInputStream()) {
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        if (n > 0) {
          requests.add(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          synchronized (requests) {
            requests.notifyAll();
          }
        }
        while (n >= 0) {
          n = in.read(buffer);
        }
        closed.countDown();
      } catch (IOException e) {
        closed.countDown();
      }
    }

    void awaitRequests(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      synchronized (requests) {
        while (requests.size() < count && System.nanoTime() < deadline) {
          requests.wait(100);
        }
      }
      assertThat(requests).hasSize(count);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
