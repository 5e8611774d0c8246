package io.flick.user;

import io.flick.user.UserCommand.Register;
import io.flick.user.UserCommand.SetDisplayName;
import io.flick.user.UserEvent.DisplayNameChanged;
import io.flick.user.UserEvent.Registered;
import io.flick.user.UserState.Member;
import io.flick.user.UserState.Unregistered;
import java.util.Objects;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The account a user registers with, and its display name: nothing else is done for a user before
 * it registers.
 */
final class Registration {
  private final String userId;
  private final UserEffects replies;

  Registration(String userId, UserEffects replies) {
    this.userId = userId;
    this.replies = replies;
  }

  ReplyEffect<UserEvent, UserState> onRegister(Unregistered state, Register cmd) {
    return replies
        .effect()
        .persist(new Registered(userId, cmd.handle(), cmd.region(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.account().orElseThrow()));
  }

  ReplyEffect<UserEvent, UserState> onSetDisplayName(Member state, SetDisplayName cmd) {
    if (Objects.equals(state.registered().displayName(), cmd.displayName())) {
      return replies.reply(cmd.replyTo(), StatusReply.success(state.registered()));
    }
    return replies
        .effect()
        .persist(new DisplayNameChanged(userId, cmd.displayName(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.account().orElseThrow()));
  }

  ReplyEffect<UserEvent, UserState> onRegisterAgain(Member state, Register cmd) {
    Account account = state.registered();
    if (account.handle().equals(cmd.handle())) {
      return replies.reply(cmd.replyTo(), StatusReply.success(account));
    }
    return replies.reply(
        cmd.replyTo(),
        StatusReply.error(new IllegalStateException("user " + userId + " is already registered")));
  }
}
