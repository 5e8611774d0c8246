package io.flick.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.common.Ids;
import io.flick.moderation.SafetyActor.BlockChange;
import io.flick.moderation.SafetyActor.Reason;
import io.flick.moderation.SafetyActor.Report;
import io.flick.moderation.SafetyActor.TargetKind;
import java.time.Clock;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Blocks are idempotent and bounded, reports idempotent per id; every message serializes. */
class SafetyActorTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private final String me = Ids.newId();
  private final String other = Ids.newId();
  private final EventSourcedBehaviorTestKit<
          SafetyActor.Command, SafetyActor.Event, SafetyActor.State>
      kit =
          EventSourcedBehaviorTestKit.create(
              testKit.system(), SafetyActor.create(me, Clock.systemUTC()));

  @Test
  void blockingIsIdempotentAndUndone() {
    var first = kit.<StatusReply<BlockChange>>runCommand(r -> new SafetyActor.Block(other, r));
    assertThat(first.reply().getValue()).isEqualTo(new BlockChange(true, true));
    assertThat(first.event()).isInstanceOf(SafetyActor.UserBlocked.class);
    var again = kit.<StatusReply<BlockChange>>runCommand(r -> new SafetyActor.Block(other, r));
    assertThat(again.reply().getValue()).isEqualTo(new BlockChange(true, false));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(kit.getState().blocked()).containsExactly(other);

    var unblocked =
        kit.<StatusReply<BlockChange>>runCommand(r -> new SafetyActor.Unblock(other, r));
    assertThat(unblocked.reply().getValue()).isEqualTo(new BlockChange(false, true));
    assertThat(kit.getState().blocked()).isEmpty();
  }

  @Test
  void oneCannotBlockOneself() {
    var result = kit.<StatusReply<BlockChange>>runCommand(r -> new SafetyActor.Block(me, r));
    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void aRetriedReportIsFiledOnce() {
    var filed =
        kit.<StatusReply<Report>>runCommand(
            r ->
                new SafetyActor.FileReport(
                    "r1", TargetKind.VIDEO, "v1", Reason.SPAM, "buy followers", r));
    assertThat(filed.event()).isInstanceOf(SafetyActor.ReportFiled.class);
    assertThat(filed.reply().getValue().reporterId()).isEqualTo(me);
    var retried =
        kit.<StatusReply<Report>>runCommand(
            r ->
                new SafetyActor.FileReport(
                    "r1", TargetKind.VIDEO, "v1", Reason.SPAM, "buy followers", r));
    assertThat(retried.hasNoEvents()).isTrue();
  }

  @Test
  void reasonsComeFromAFixedList() {
    assertThat(Reason.parse("self-harm")).contains(Reason.SELF_HARM);
    assertThat(Reason.parse("Spam")).contains(Reason.SPAM);
    assertThat(Reason.parse("i just do not like it")).isEmpty();
  }
}
