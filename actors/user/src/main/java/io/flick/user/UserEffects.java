package io.flick.user;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The replies every handler of a {@link UserActor} gives the same way. Refusals are typed
 * exceptions, never messages to parse: bad input an {@link IllegalArgumentException}, a user that
 * never registered a {@link SocialService.UnknownUserException}.
 */
final class UserEffects {
  private final String userId;
  private final EffectFactories<UserEvent, UserState> effect;

  UserEffects(String userId, EffectFactories<UserEvent, UserState> effect) {
    this.userId = userId;
    this.effect = effect;
  }

  EffectFactories<UserEvent, UserState> effect() {
    return effect;
  }

  <R> ReplyEffect<UserEvent, UserState> reply(ActorRef<R> replyTo, R reply) {
    return effect.reply(replyTo, reply);
  }

  /** Bad input: the caller's future fails with an {@link IllegalArgumentException}. */
  <T> ReplyEffect<UserEvent, UserState> refuse(ActorRef<StatusReply<T>> replyTo, String problem) {
    return effect.reply(replyTo, StatusReply.error(new IllegalArgumentException(problem)));
  }

  <T> ReplyEffect<UserEvent, UserState> unknownUser(ActorRef<StatusReply<T>> replyTo) {
    return effect.reply(replyTo, StatusReply.error(SocialService.UnknownUserException.of(userId)));
  }
}
