package io.flick.api.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.api.HttpApi;
import io.flick.api.JUnit5RouteTest;
import io.flick.api.Json;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Views, shares and event batches against an in-memory Kafka producer (one that can refuse a
 * video's records) and an in-memory set of videos: what a 202 promises, what each bad input answers
 * and that a refused batch writes nothing.
 */
class InteractionRoutesTest extends JUnit5RouteTest {
  private static final String SECRET = "interaction-routes-test-secret-of-32-bytes";

  private final String ready = Ids.newId();
  private final String other = Ids.newId();
  private final String processing = Ids.newId();
  private final String broken = Ids.newId();
  private final Map<String, VideoSummary> videos =
      Map.of(
          ready, video(ready, Status.READY),
          other, video(other, Status.READY),
          processing, video(processing, Status.PROCESSING),
          broken, video(broken, Status.READY));

  /** Kafka as the routes see it; records of the {@code broken} video time out. */
  private final MockProducer<String, byte[]> kafka =
      new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(
            ProducerRecord<String, byte[]> record, Callback callback) {
          if (record.key().equals(broken)) {
            TimeoutException timeout = new TimeoutException("broker did not answer");
            callback.onCompletion(null, timeout);
            return CompletableFuture.failedFuture(timeout);
          }
          return super.send(record, callback);
        }
      };

  private final TokenService tokens =
      new TokenService(SECRET, Duration.ofHours(1), Clock.systemUTC());
  private final String bearer = "Bearer " + tokens.issue("u1", "ann", "DE").token();

  private final Route route =
      HttpApi.problems(
          new InteractionRoutes(
                  new InteractionPublisher(kafka),
                  new ReadyVideoCache(
                      new ReadyVideoCache.Videos() {
                        @Override
                        public CompletionStage<Optional<VideoSummary>> get(String id) {
                          return CompletableFuture.completedFuture(
                              Optional.ofNullable(videos.get(id)));
                        }

                        @Override
                        public CompletionStage<List<VideoSummary>> getAll(List<String> ids) {
                          return CompletableFuture.completedFuture(
                              ids.stream().filter(videos::containsKey).map(videos::get).toList());
                        }
                      },
                      Duration.ofSeconds(2)),
                  new AuthDirectives(tokens))
              .routes());

  @Test
  void anAnonymousViewIsAcceptedOnceKafkaHasItWithItsWatchTimeCapped() throws Exception {
    TestRouteResult r =
        post("/videos/" + ready + "/views", "{\"watchMs\":99999999,\"completed\":true}", null);

    r.assertStatusCode(202);
    assertThat(r.entityString()).isEqualTo("{\"counted\":true}");
    Interaction event = sent().get(0);
    assertThat(event.getKind()).isEqualTo(Interaction.Kind.VIEW);
    assertThat(event.getVideoId()).isEqualTo(ready);
    assertThat(event.getCreatorId()).isEqualTo("creator-of-" + ready);
    assertThat(event.getUserId()).isEmpty();
    assertThat(event.getRegion()).isEqualTo("ZZ");
    assertThat(event.getDevice()).isEqualTo("mobile");
    // capped by the 15 s video's duration plus slack (issue 18), no longer only by MAX_WATCH_MS
    assertThat(event.getWatchMs()).isEqualTo(17_000L);
    assertThat(event.getCompleted()).isTrue();
    assertThat(kafka.history().get(0).key()).isEqualTo(ready);
  }

  @Test
  void aShareNeedsACaller() {
    post("/videos/" + ready + "/share", "", null).assertStatusCode(401);
    assertThat(kafka.history()).isEmpty();

    post("/videos/" + ready + "/share", "", bearer).assertStatusCode(202);
    assertThat(sent()).singleElement().satisfies(e -> assertThat(e.getUserId()).isEqualTo("u1"));
  }

  @Test
  void singleViewsOfMissingOrUnplayableVideosAreRefused() {
    String body = "{\"watchMs\":1000}";
    post("/videos/" + Ids.newId() + "/views", body, null).assertStatusCode(404);
    post("/videos/not-an-id!/views", body, null).assertStatusCode(404);
    post("/videos/" + processing + "/views", body, null).assertStatusCode(409);
    post("/videos/" + ready + "/views", "{\"watchMs\":-1}", null).assertStatusCode(400);
    assertThat(kafka.history()).isEmpty();
  }

  @Test
  void aBatchIsAcceptedOnceKafkaHasEveryEventInOrder() throws Exception {
    TestRouteResult r =
        post(
            "/events",
            """
            {"events":[
              {"kind":"view","videoId":"%s","watchMs":4000,"completed":true,"source":"foryou"},
              {"kind":"share","videoId":"%s"},
              {"kind":"VIEW","videoId":"%s","watchMs":700}
            ]}"""
                .formatted(ready, ready, other),
            bearer);

    r.assertStatusCode(202);
    JsonNode body = Json.MAPPER.readTree(r.entityString());
    assertThat(body.get("accepted").asInt()).isEqualTo(3);
    assertThat(body.get("rejected")).isEmpty();
    List<Interaction> events = sent();
    assertThat(events)
        .extracting(Interaction::getKind, Interaction::getVideoId, Interaction::getWatchMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Interaction.Kind.VIEW, ready, 4000L),
            org.assertj.core.groups.Tuple.tuple(Interaction.Kind.SHARE, ready, 0L),
            org.assertj.core.groups.Tuple.tuple(Interaction.Kind.VIEW, other, 700L));
    assertThat(events).allSatisfy(e -> assertThat(e.getUserId()).isEqualTo("u1"));
    assertThat(events.get(0).getSource()).isEqualTo("foryou");
    assertThat(events.stream().map(Interaction::getEventId).distinct()).hasSize(3);
  }

  @Test
  void eventsForMissingOrUnplayableVideosAreListedAndTheOthersCount() throws Exception {
    String missing = Ids.newId();
    TestRouteResult r =
        post(
            "/events",
            """
            {"events":[
              {"kind":"view","videoId":"%s","watchMs":1000},
              {"kind":"view","videoId":"%s","watchMs":1000},
              {"kind":"view","videoId":"%s","watchMs":1000},
              {"kind":"view","videoId":"%s","watchMs":1000}
            ]}"""
                .formatted(missing, ready, processing, ready),
            null);

    r.assertStatusCode(202);
    JsonNode body = Json.MAPPER.readTree(r.entityString());
    assertThat(body.get("accepted").asInt()).isEqualTo(2);
    assertThat(body.get("rejected")).hasSize(2);
    assertThat(body.get("rejected").get(0).get("index").asInt()).isZero();
    assertThat(body.get("rejected").get(0).get("status").asInt()).isEqualTo(404);
    assertThat(body.get("rejected").get(0).get("detail").asText()).contains(missing);
    assertThat(body.get("rejected").get(1).get("index").asInt()).isEqualTo(2);
    assertThat(body.get("rejected").get(1).get("status").asInt()).isEqualTo(409);
    assertThat(sent()).extracting(Interaction::getVideoId).containsExactly(ready, ready);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"events\":[]}",
        "{\"events\":[{\"videoId\":\"%s\",\"watchMs\":1}]}",
        "{\"events\":[{\"kind\":\"like\",\"videoId\":\"%s\"}]}",
        "{\"events\":[{\"kind\":\"view\",\"watchMs\":1}]}",
        "{\"events\":[{\"kind\":\"view\",\"videoId\":\"%s\",\"watchMs\":1},"
            + "{\"kind\":\"view\",\"videoId\":\"%s\"}]}",
        "{\"events\":[{\"kind\":\"view\",\"videoId\":\"%s\",\"watchMs\":-5}]}",
        "not json"
      })
  void aMalformedBatchIsRefusedWholeAndRecordsNothing(String template) throws Exception {
    TestRouteResult r = post("/events", template.replace("%s", ready), bearer);

    r.assertStatusCode(400).assertMediaType("application/problem+json");
    assertThat(Json.MAPPER.readTree(r.entityString()).get("detail").asText()).isNotBlank();
    assertThat(kafka.history()).isEmpty();
  }

  @Test
  void anOverlongSourceOrAnOversizedBodyIsRefused() throws Exception {
    String longSource = "x".repeat(InteractionEvents.MAX_SOURCE_LENGTH + 1);
    TestRouteResult single =
        post(
            "/videos/" + ready + "/views",
            "{\"watchMs\":1,\"source\":\"" + longSource + "\"}",
            null);
    single.assertStatusCode(400);
    assertThat(single.entityString()).contains("source");
    TestRouteResult inBatch =
        post(
            "/events",
            "{\"events\":[{\"kind\":\"view\",\"videoId\":\"%s\",\"watchMs\":1,\"source\":\"%s\"}]}"
                .formatted(ready, longSource),
            null);
    inBatch.assertStatusCode(400);
    assertThat(inBatch.entityString()).contains("events[0].source");

    String padding = " ".repeat((int) InteractionRoutes.MAX_BATCH_BYTES);
    TestRouteResult huge =
        post(
            "/events",
            "{\"events\":[{\"kind\":\"view\",\"videoId\":\"%s\",\"watchMs\":1}]}%s"
                .formatted(ready, padding),
            null);
    huge.assertStatusCode(413).assertMediaType("application/problem+json");
    assertThat(kafka.history()).isEmpty();
  }

  @Test
  void aBatchTooLargeOrWithAnAnonymousShareIsRefused() throws Exception {
    StringBuilder many = new StringBuilder("{\"events\":[");
    for (int i = 0; i <= InteractionRoutes.MAX_EVENTS; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"kind\":\"view\",\"videoId\":\"")
          .append(ready)
          .append("\",\"watchMs\":1}");
    }
    TestRouteResult tooMany = post("/events", many.append("]}").toString(), bearer);
    tooMany.assertStatusCode(400);
    assertThat(tooMany.entityString()).contains("at most " + InteractionRoutes.MAX_EVENTS);

    TestRouteResult share =
        post(
            "/events",
            "{\"events\":[{\"kind\":\"view\",\"videoId\":\"%s\",\"watchMs\":1},{\"kind\":\"share\",\"videoId\":\"%s\"}]}"
                .formatted(ready, ready),
            null);
    share.assertStatusCode(401);
    assertThat(share.entityString()).contains("events[1]");
    assertThat(kafka.history()).isEmpty();
  }

  @Test
  void eventsKafkaDidNotTakeAreListedForResending() throws Exception {
    TestRouteResult r =
        post(
            "/events",
            """
            {"events":[
              {"kind":"view","videoId":"%s","watchMs":1000},
              {"kind":"view","videoId":"%s","watchMs":1000},
              {"kind":"share","videoId":"%s"}
            ]}"""
                .formatted(ready, broken, broken),
            bearer);

    r.assertStatusCode(503).assertMediaType("application/problem+json");
    JsonNode problem = Json.MAPPER.readTree(r.entityString());
    assertThat(problem.get("status").asInt()).isEqualTo(503);
    assertThat(problem.get("accepted").asInt()).isEqualTo(1);
    assertThat(problem.get("failed")).extracting(JsonNode::asInt).containsExactly(1, 2);
    assertThat(sent()).extracting(Interaction::getVideoId).containsExactly(ready);
  }

  // ---- helpers

  private TestRouteResult post(String path, String body, String authorization) {
    HttpRequest request =
        HttpRequest.POST(path)
            .withEntity(ContentTypes.APPLICATION_JSON, body)
            .addHeader(RawHeader.create("User-Agent", "Mozilla/5.0 (iPhone) Mobile"));
    if (authorization != null) {
      request = request.addHeader(RawHeader.create("Authorization", authorization));
    }
    return testRoute(route).run(request);
  }

  private List<Interaction> sent() {
    List<Interaction> events = new ArrayList<>();
    for (ProducerRecord<String, byte[]> record : kafka.history()) {
      assertThat(record.topic()).isEqualTo(InteractionPublisher.TOPIC);
      try {
        events.add(Interaction.parseFrom(record.value()));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return events;
  }

  private static VideoSummary video(String id, Status status) {
    return new VideoSummary(
        id,
        "creator-of-" + id,
        "a clip #dance",
        List.of("dance"),
        Optional.of("sound-1"),
        Instant.parse("2026-11-20T10:00:00Z"),
        null,
        status,
        Optional.empty(),
        status == Status.READY,
        new Media(
            15_000, 720, 1280, List.of(), Optional.empty(), Optional.empty(), Optional.empty()),
        Counts.ZERO,
        Optional.empty(),
        Engagement.ZERO);
  }
}
