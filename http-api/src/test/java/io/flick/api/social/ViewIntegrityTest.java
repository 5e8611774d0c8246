package io.flick.api.social;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.api.HttpApi;
import io.flick.api.JUnit5RouteTest;
import io.flick.api.auth.AuthDirectives;
import io.flick.api.auth.TokenService;
import io.flick.api.video.ReadyVideoCache;
import io.flick.common.Ids;
import io.flick.common.kafka.InteractionPublisher;
import io.flick.proto.events.Interaction;
import io.flick.video.VideoSummary;
import io.flick.video.VideoSummary.Counts;
import io.flick.video.VideoSummary.Engagement;
import io.flick.video.VideoSummary.Media;
import io.flick.video.VideoSummary.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 (views): watch time is capped by the video's duration, and a viewer's repeated views of
 * a video within the window are published as repeats (not counted) — signed-in users by account,
 * anonymous ones by a signed viewer cookie and, whatever cookies they mint, a cap per address.
 */
class ViewIntegrityTest extends JUnit5RouteTest {
  private static final String SECRET = "view-integrity-test-secret-of-32-bytes!!";
  private final String video = Ids.newId();
  private final MockProducer<String, byte[]> kafka =
      new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
  private final TokenService tokens =
      new TokenService(SECRET, Duration.ofHours(1), Clock.systemUTC());
  private final ViewerCookie cookies = new ViewerCookie(SECRET, Clock.systemUTC());
  private String address = "10.1.1.1";

  private final Route route =
      HttpApi.problems(
          new InteractionRoutes(
                  new InteractionPublisher(kafka),
                  new ReadyVideoCache(
                      new ReadyVideoCache.Videos() {
                        @Override
                        public CompletionStage<Optional<VideoSummary>> get(String id) {
                          return CompletableFuture.completedFuture(
                              id.equals(video) ? Optional.of(summary(id)) : Optional.empty());
                        }

                        @Override
                        public CompletionStage<List<VideoSummary>> getAll(List<String> ids) {
                          return CompletableFuture.completedFuture(
                              ids.stream().filter(video::equals).map(v -> summary(v)).toList());
                        }
                      },
                      Duration.ofSeconds(2)),
                  new AuthDirectives(tokens),
                  new ViewIntegrity(
                      ViewGuard.local(new ViewGuard.Settings(Duration.ofHours(1), 3)),
                      cookies,
                      request -> address))
              .routes());

  @Test
  void aViewsWatchTimeIsCappedByTheVideosDuration() {
    view("{\"watchMs\":9223372036854775807}", null, null).assertStatusCode(202);
    // 3 s video: 3 s + 2 s slack
    assertThat(sent().get(0).getWatchMs()).isEqualTo(5_000L);
  }

  @Test
  void aSignedInViewersRepeatsAreRecordedButNotCounted() {
    String bearer = "Bearer " + tokens.issue("u1", "ann").token();
    view("{\"watchMs\":1000}", bearer, null).assertEntity("{\"counted\":true}");
    for (int i = 0; i < 5; i++) {
      view("{\"watchMs\":1000}", bearer, null).assertEntity("{\"counted\":false}");
    }
    String other = "Bearer " + tokens.issue("u2", "bob").token();
    view("{\"watchMs\":1000}", other, null).assertEntity("{\"counted\":true}");

    List<Interaction> events = sent();
    assertThat(events).hasSize(7);
    assertThat(events.stream().filter(e -> !e.getRepeat())).hasSize(2);
  }

  @Test
  void anAnonymousViewerGetsASignedCookieAndRepeatsWithItAreNotCounted() {
    TestRouteResult first = view("{\"watchMs\":1000}", null, null);
    first.assertEntity("{\"counted\":true}");
    String setCookie = first.response().getHeader("Set-Cookie").orElseThrow().value();
    assertThat(setCookie).startsWith(ViewerCookie.NAME + "=").contains("HttpOnly");
    String value = setCookie.substring(ViewerCookie.NAME.length() + 1, setCookie.indexOf(';'));

    for (int i = 0; i < 3; i++) {
      view("{\"watchMs\":1000}", null, value).assertEntity("{\"counted\":false}");
    }
    // a forged cookie is ignored (and replaced), not trusted
    TestRouteResult forged =
        view("{\"watchMs\":1000}", null, value.substring(0, value.length() - 2) + "xx");
    assertThat(forged.response().getHeader("Set-Cookie")).isPresent();
  }

  @Test
  void oneAddressMintingCookiesCountsAtMostItsCapPerVideo() {
    address = "10.9.9.9";
    int counted = 0;
    for (int i = 0; i < 100; i++) {
      // no cookie each time: a new viewer each time, as a script would
      if (view("{\"watchMs\":1000}", null, null).entityString().contains("true")) {
        counted++;
      }
    }
    assertThat(counted).isEqualTo(3);
    assertThat(sent().stream().filter(e -> !e.getRepeat())).hasSize(3);
    assertThat(sent()).hasSize(100);
  }

  private TestRouteResult view(String body, String bearer, String cookie) {
    HttpRequest request =
        HttpRequest.POST("/videos/" + video + "/views")
            .withEntity(ContentTypes.APPLICATION_JSON, body);
    if (bearer != null) {
      request = request.addHeader(RawHeader.create("Authorization", bearer));
    }
    if (cookie != null) {
      request = request.addHeader(Cookie.create(ViewerCookie.NAME, cookie));
    }
    return testRoute(route).run(request);
  }

  private List<Interaction> sent() {
    List<Interaction> events = new ArrayList<>();
    for (ProducerRecord<String, byte[]> record : kafka.history()) {
      try {
        events.add(Interaction.parseFrom(record.value()));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return events;
  }

  private static VideoSummary summary(String id) {
    return new VideoSummary(
        id,
        "creator-of-" + id,
        "a clip",
        List.of(),
        Optional.empty(),
        Instant.parse("2026-11-20T10:00:00Z"),
        null,
        Status.READY,
        Optional.empty(),
        true,
        new Media(
            3_000, 720, 1280, List.of(), Optional.empty(), Optional.empty(), Optional.empty()),
        Counts.ZERO,
        Optional.empty(),
        Engagement.ZERO);
  }
}
