package io.flick.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.testkit.RouteTest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import scala.concurrent.Future;

/**
 * Pekko HTTP's RouteTest for JUnit 5 (the testkit ships a JUnit 4 binding only): one ActorSystem
 * per test class, failures reported as JUnit 5 assertion errors.
 */
public abstract class JUnit5RouteTest extends RouteTest {
  private static final ConcurrentMap<Class<?>, ActorSystem> SYSTEMS = new ConcurrentHashMap<>();

  @AfterAll
  static void stopSystems() {
    SYSTEMS.values().forEach(TestKit::shutdownActorSystem);
    SYSTEMS.clear();
  }

  @Override
  public ActorSystem system() {
    return SYSTEMS.computeIfAbsent(
        getClass(), c -> ActorSystem.create(c.getSimpleName().replaceAll("[^A-Za-z0-9]", "-")));
  }

  @Override
  public Materializer materializer() {
    return Materializer.matFromSystem(system());
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(
      HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system().dispatcher(), materializer()) {
      @Override
      public void fail(String message) {
        Assertions.fail(message);
      }

      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        Assertions.assertEquals(expected, actual, message);
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        Assertions.assertTrue(predicate, message);
      }
    };
  }
}
