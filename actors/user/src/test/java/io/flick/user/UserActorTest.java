package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.user.UserActor.Account;
import io.flick.user.UserActor.AccountLookup;
import java.time.Instant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private final EventSourcedBehaviorTestKit<UserActor.Command, UserActor.Event, UserActor.State>
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), UserActor.create("u1"));

  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void registersOnceAndAnswersTheSameAccountWhenRepeated() {
    var first =
        kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    assertThat(first.events()).containsExactly(new UserActor.Registered("u1", "ada", "DE", AT));
    assertThat(first.reply().getValue()).isEqualTo(new Account("u1", "ada", "DE", AT));

    var again =
        kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().handle()).isEqualTo("ada");
  }

  @Test
  void refusesASecondHandleForTheSameUser() {
    kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    var other =
        kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("bob", "DE", AT, r));
    assertThat(other.reply().isError()).isTrue();
    assertThat(other.hasNoEvents()).isTrue();
  }

  @Test
  void lookupIsEmptyBeforeRegistrationAndSurvivesRestart() {
    assertThat(kit.<AccountLookup>runCommand(UserActor.GetAccount::new).reply().account())
        .isEmpty();
    kit.<StatusReply<Account>>runCommand(r -> new UserActor.Register("ada", "DE", AT, r));
    kit.restart();
    assertThat(kit.<AccountLookup>runCommand(UserActor.GetAccount::new).reply().account())
        .contains(new Account("u1", "ada", "DE", AT));
  }
}
