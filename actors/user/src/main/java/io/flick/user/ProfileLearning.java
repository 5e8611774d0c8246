package io.flick.user;

import static io.flick.user.UserInput.check;
import static io.flick.user.UserInput.videoProblem;

import io.flick.common.writeback.WriteBackBuffer;
import io.flick.common.writeback.WriteBackReply;
import io.flick.user.UserCommand.GetProfile;
import io.flick.user.UserCommand.LearnSignals;
import io.flick.user.UserCommand.SignalAt;
import io.flick.user.UserEvent.SignalsLearned;
import io.flick.user.UserState.Member;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The decayed preference profile, learned from likes (see {@link FollowsAndLikes}) and from the
 * watches and shares the interactions stream hands over in {@link LearnSignals}, write-back:
 * learned in memory at once, persisted together as one {@link SignalsLearned} per flush, and
 * acknowledged only after that write. One handler per entity incarnation: it holds what is learned
 * but not yet written.
 */
final class ProfileLearning {
  /** Pending signals that are flushed at once, without waiting for the timer. */
  static final int FLUSH_AT_SIGNALS = 64;

  /** Persists the pending signals (the flush timer). */
  record FlushSignals() implements UserCommand {}

  private static final Object FLUSH_TIMER = "flush-signals";

  private final String userId;
  private final UserSettings settings;
  private final Clock clock;
  private final ActorContext<UserCommand> context;
  private final ForYouSession session;
  private final UserEffects replies;

  // learned, not yet persisted, and who waits for that
  private final WriteBackBuffer<Signal> pending;

  ProfileLearning(
      String userId,
      UserSettings settings,
      Clock clock,
      ActorContext<UserCommand> context,
      TimerScheduler<UserCommand> timers,
      ForYouSession session,
      UserEffects replies) {
    this.userId = userId;
    this.settings = settings;
    this.clock = clock;
    this.context = context;
    this.session = session;
    this.replies = replies;
    this.pending =
        new WriteBackBuffer<>(
            timers, FLUSH_TIMER, new FlushSignals(), settings.signalFlushInterval());
  }

  ReplyEffect<UserEvent, UserState> onLearnSignals(Member state, LearnSignals cmd) {
    for (Map.Entry<Integer, Long> previous : cmd.previousThrough().entrySet()) {
      int partition = previous.getKey();
      long covered = pending.covered(partition, state.learnedThrough(partition));
      if (previous.getValue() > covered) {
        return replies.reply(
            cmd.replyTo(),
            new WriteBackReply.Gap(
                covered,
                "signals of user "
                    + userId
                    + " follow partition "
                    + partition
                    + " through offset "
                    + previous.getValue()
                    + ", which was never learned here (learned through "
                    + covered
                    + ")"));
      }
    }
    boolean redelivered = false; // some signals wait for the next flush already
    boolean taken = false;
    for (SignalAt at : cmd.signals()) {
      int partition = at.partition();
      if (at.offset() <= state.learnedThrough(partition)) {
        continue; // a redelivery of a written signal
      }
      if (at.offset() <= pending.through(partition)) {
        redelivered = true; // a redelivery of a pending signal
        continue;
      }
      Signal signal = at.signal();
      if (signalProblem(signal).isPresent()) {
        context.getLog().debug("dropping an invalid signal for {}: {}", userId, signal);
        pending.advance(partition, at.offset()); // its offset is dealt with all the same
        taken = true;
        continue;
      }
      pending.add(
          new Signal(
              signal.kind(),
              signal.videoId(),
              signal.creatorId(),
              UserInput.normaliseHashtags(signal.hashtags()),
              Signal.soundOf(Optional.ofNullable(signal.soundId())),
              signal.watchMs(),
              signal.durationMs(),
              signal.completed(),
              signal.at()),
          partition,
          at.offset());
      taken = true;
      session.afterSignal(signal.videoId());
    }
    if (!taken && !redelivered) {
      return replies.reply(cmd.replyTo(), WriteBackReply.WRITTEN); // all written before, or nothing
    }
    pending.await(cmd.replyTo());
    if (pending.size() >= FLUSH_AT_SIGNALS) {
      return flush();
    }
    pending.scheduleFlush();
    return replies.effect().noReply();
  }

  /** A user that never registered has no profile to learn: nothing to wait for. */
  ReplyEffect<UserEvent, UserState> nothingToLearn(UserState state, LearnSignals cmd) {
    return replies.reply(cmd.replyTo(), WriteBackReply.WRITTEN);
  }

  ReplyEffect<UserEvent, UserState> onFlushSignals(UserState state, FlushSignals cmd) {
    return flush();
  }

  /** One event for everything pending; the answers go out once it is written. */
  private ReplyEffect<UserEvent, UserState> flush() {
    return pending.flush(
        replies.effect(), taken -> new SignalsLearned(userId, taken.items(), taken.offsets()));
  }

  private static Optional<String> signalProblem(Signal signal) {
    return check(
            Signal.WATCH.equals(signal.kind()) || Signal.SHARE.equals(signal.kind()),
            "kind must be watch or share")
        .or(() -> videoProblem(signal.videoId(), signal.creatorId(), signal.at()))
        .or(() -> check(signal.watchMs() >= 0, "watchMs must not be negative"))
        .or(() -> check(signal.durationMs() >= 0, "durationMs must not be negative"));
  }

  ReplyEffect<UserEvent, UserState> onGetProfile(Member state, GetProfile cmd) {
    Instant asOf =
        Objects.requireNonNullElse(cmd.asOf(), Optional.<Instant>empty()).orElseGet(clock::instant);
    return replies.reply(
        cmd.replyTo(), StatusReply.success(state.profile(asOf, settings.profile())));
  }
}
