package io.flick.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.video.VideoService.NotCreatorException;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * A video's on/off switch that only its creator ({@code c1}) turns (remixes, reuse of its sound),
 * checked the same way for each: a stranger is refused with nothing written; off writes {@code
 * offEvent} and shows in the reply; off again writes nothing; off survives a restart; on again.
 */
record CreatorSwitch(SwitchCommand command, VideoEvent offEvent, Predicate<VideoSummary> isOn) {

  /** The switch's command: requester, the value asked for, where to reply. */
  interface SwitchCommand {
    VideoCommand of(String requesterId, boolean on, ActorRef<StatusReply<VideoSummary>> replyTo);
  }

  /**
   * Runs the checks on {@code kit}'s video, which is created and on; {@code whileOff} is what else
   * must hold of the video once this switch is off (e.g. that another switch did not move).
   */
  void onlyTheCreatorTurnsItOffAndOnAgain(
      EventSourcedBehaviorTestKit<VideoCommand, VideoEvent, VideoState> kit,
      Predicate<VideoSummary> whileOff) {
    var stranger = kit.<StatusReply<VideoSummary>>runCommand(r -> command.of("x", false, r));
    assertThat(stranger.reply().getError()).isInstanceOf(NotCreatorException.class);
    assertThat(stranger.hasNoEvents()).isTrue();

    var off = kit.<StatusReply<VideoSummary>>runCommand(r -> command.of("c1", false, r));
    assertThat(off.events()).containsExactly(offEvent);
    assertThat(isOn.test(off.reply().getValue())).isFalse();
    assertThat(whileOff.test(off.reply().getValue())).isTrue();
    var again = kit.<StatusReply<VideoSummary>>runCommand(r -> command.of("c1", false, r));
    assertThat(again.hasNoEvents()).isTrue();

    kit.restart();
    assertThat(isOn.test(video(kit))).isFalse();
    var on = kit.<StatusReply<VideoSummary>>runCommand(r -> command.of("c1", true, r));
    assertThat(isOn.test(on.reply().getValue())).isTrue();
  }

  private static VideoSummary video(
      EventSourcedBehaviorTestKit<VideoCommand, VideoEvent, VideoState> kit) {
    return kit.<VideoLookup>runCommand(VideoCommand.Get::new).reply().video().orElseThrow();
  }
}
