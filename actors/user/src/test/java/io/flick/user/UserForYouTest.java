package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.user.UserCommand.ForYouPage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The For You queue a UserActor keeps: built in the background, served from memory, stashed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserForYouTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final UserSettings SETTINGS = UserSettings.fromConfig(ConfigFactory.load());
  private static final ForYouSettings FOR_YOU = new ForYouSettings(20, 8, 3, 1000, 0.001);
  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
  private static final AtomicInteger users = new AtomicInteger();

  /** An in-memory stand-in: numbered videos, honouring the seen-filter as the real one must. */
  static class NumberedVideos implements ForYouSource {
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, Stash> stashes = new ConcurrentHashMap<>();
    final AtomicInteger restores = new AtomicInteger();
    volatile int catalogue = 1000;

    @Override
    public CompletionStage<List<String>> next(Request request) {
      requests.add(request);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < catalogue && ids.size() < request.size(); i++) {
        if (!request.seen().test("v" + i)) {
          ids.add("v" + i);
        }
      }
      return CompletableFuture.completedFuture(ids);
    }

    @Override
    public void stash(String userId, Stash stash) {
      stashes.put(userId, stash);
    }

    @Override
    public CompletionStage<Optional<Stash>> restore(String userId) {
      restores.incrementAndGet();
      return CompletableFuture.completedFuture(Optional.ofNullable(stashes.get(userId)));
    }
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<UserCommand> spawn(String userId, ForYouSource source) {
    ActorRef<UserCommand> user =
        testKit.spawn(UserActor.create(userId, SETTINGS, FOR_YOU, source, Clock.systemUTC()));
    TestProbe<StatusReply<Account>> probe = testKit.createTestProbe();
    user.tell(new UserCommand.Register("h" + userId, "DE", AT, probe.getRef()));
    probe.expectMessageClass(StatusReply.class);
    return user;
  }

  private static ForYouPage page(ActorRef<UserCommand> user, int limit) {
    TestProbe<StatusReply<ForYouPage>> probe = testKit.createTestProbe();
    user.tell(new UserCommand.GetForYouPage(limit, probe.getRef()));
    StatusReply<ForYouPage> reply = probe.receiveMessage();
    assertThat(reply.isSuccess()).as("%s", reply).isTrue();
    return reply.getValue();
  }

  @Test
  void servesPagesFromTheReadyQueueAndRefillsInTheBackgroundWhenLow() {
    NumberedVideos source = new NumberedVideos();
    ActorRef<UserCommand> user = spawn("fy" + users.incrementAndGet(), source);

    ForYouPage first = page(user, 5);
    assertThat(first.videoIds()).containsExactly("v0", "v1", "v2", "v3", "v4");
    assertThat(source.requests).hasSize(1);
    assertThat(source.requests.get(0).region()).isEqualTo("DE");

    // 15 left: the next page comes from memory without a build
    assertThat(page(user, 5).videoIds()).containsExactly("v5", "v6", "v7", "v8", "v9");
    assertThat(source.requests).hasSize(1);

    // 10 left, then 5 (< low watermark 8): a refill starts in the background
    page(user, 5);
    page(user, 5);
    assertThat(source.requests).hasSize(2);
    assertThat(source.requests.get(1).previousVideo()).contains("v19");
  }

  @Test
  void aServedVideoIsNeverServedAgainEvenWhenTheSourceOffersItAgain() {
    NumberedVideos source =
        new NumberedVideos() {
          @Override
          public CompletionStage<List<String>> next(Request request) {
            requests.add(request);
            // ignores the filter: the actor's own check must hold
            return CompletableFuture.completedFuture(
                java.util.stream.IntStream.range(0, 25).mapToObj(i -> "v" + i).toList());
          }
        };
    ActorRef<UserCommand> user = spawn("fy" + users.incrementAndGet(), source);
    Set<String> served = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      for (String id : page(user, 5).videoIds()) {
        assertThat(served.add(id)).as("served twice: %s", id).isTrue();
      }
    }
    assertThat(served).hasSize(25);
    assertThat(page(user, 5).videoIds()).isEmpty();
  }

  @Test
  void aLikeTrimsTheQueueSoTheNextRefillFollowsIt() {
    NumberedVideos source = new NumberedVideos();
    ActorRef<UserCommand> user = spawn("fy" + users.incrementAndGet(), source);
    page(user, 2);
    assertThat(source.requests).hasSize(1);

    TestProbe<StatusReply<UserCommand.LikeChange>> liked = testKit.createTestProbe();
    user.tell(
        new UserCommand.Like(
            "v0", "creator-1", List.of("cats"), Optional.empty(), AT, liked.getRef()));
    liked.expectMessage(StatusReply.success(new UserCommand.LikeChange(true, true)));

    // 3 kept after the signal; a page of 5 needs a refill built from the updated profile
    ForYouPage next = page(user, 5);
    assertThat(next.videoIds()).hasSize(5).startsWith("v2", "v3", "v4");
    assertThat(source.requests).hasSize(2);
    assertThat(source.requests.get(1).profile().creators()).containsKey("creator-1");
  }

  @Test
  void aPageSaysWhichOfItsVideosTheUserLikes() {
    NumberedVideos source = new NumberedVideos();
    ActorRef<UserCommand> user = spawn("fy" + users.incrementAndGet(), source);
    TestProbe<StatusReply<UserCommand.LikeChange>> liked = testKit.createTestProbe();
    user.tell(
        new UserCommand.Like("v1", "creator-1", List.of(), Optional.empty(), AT, liked.getRef()));
    liked.expectMessage(StatusReply.success(new UserCommand.LikeChange(true, true)));

    ForYouPage page = page(user, 3);
    assertThat(page.liked()).isSubsetOf(page.videoIds());
    assertThat(page.liked())
        .containsExactlyElementsOf(page.videoIds().contains("v1") ? List.of("v1") : List.of());
  }

  @Test
  void theQueueAndSeenFilterSurvivePassivation() {
    NumberedVideos source = new NumberedVideos();
    String id = "fy" + users.incrementAndGet();
    ActorRef<UserCommand> user = spawn(id, source);
    List<String> before = page(user, 5).videoIds();
    testKit.stop(user);

    ActorRef<UserCommand> again =
        testKit.spawn(UserActor.create(id, SETTINGS, FOR_YOU, source, Clock.systemUTC()));
    ForYouPage after = page(again, 5);
    assertThat(after.videoIds()).containsExactly("v5", "v6", "v7", "v8", "v9");
    assertThat(after.videoIds()).doesNotContainAnyElementsOf(before);
    assertThat(source.requests).as("served from the stash, no rebuild").hasSize(1);
    assertThat(source.restores.get()).isEqualTo(2);
  }

  @Test
  void anUnknownUserHasNoFeed() {
    ActorRef<UserCommand> nobody =
        testKit.spawn(
            UserActor.create("nobody", SETTINGS, FOR_YOU, new NumberedVideos(), Clock.systemUTC()));
    TestProbe<StatusReply<ForYouPage>> probe = testKit.createTestProbe();
    nobody.tell(new UserCommand.GetForYouPage(5, probe.getRef()));
    assertThat(probe.receiveMessage().isError()).isTrue();
  }
}
