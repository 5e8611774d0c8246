package io.flick.user;

import io.flick.user.UserCommand.ForYouPage;
import io.flick.user.UserCommand.GetForYouPage;
import io.flick.user.UserState.Member;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The For You feed of an active user: the next videos are kept ready ({@link ForYouQueue}, with the
 * seen-filter) outside the journal, more are asked of the {@link ForYouSource} in the background
 * when few are left, a page is served from memory, the queue is trimmed after a fresh signal so the
 * feed follows what the user just did, and it is stashed when the entity passivates. One session
 * per entity incarnation: nothing here is persisted.
 */
final class ForYouSession {
  /** A refill from the {@link ForYouSource}; {@code failure} is null on success. */
  record ForYouBuilt(List<String> videoIds, String failure) implements UserCommand {}

  /** The stash kept while passivated; null when there was none. */
  record ForYouRestored(ForYouSource.Stash stash) implements UserCommand {}

  private final String userId;
  private final UserSettings settings;
  private final ForYouSettings forYouSettings;
  private final ForYouSource forYou;
  private final Clock clock;
  private final ActorContext<UserCommand> context;
  private final UserEffects replies;

  private final ForYouQueue queue;
  private final List<GetForYouPage> waiting = new ArrayList<>();
  private boolean refilling;
  private boolean restoring;
  private boolean restored;

  ForYouSession(
      String userId,
      UserSettings settings,
      ForYouSettings forYouSettings,
      ForYouSource forYou,
      Clock clock,
      ActorContext<UserCommand> context,
      UserEffects replies) {
    this.userId = userId;
    this.settings = settings;
    this.forYouSettings = forYouSettings;
    this.forYou = forYou;
    this.clock = clock;
    this.context = context;
    this.replies = replies;
    this.queue = new ForYouQueue(forYouSettings);
  }

  ReplyEffect<UserEvent, UserState> onGetForYouPage(Member state, GetForYouPage cmd) {
    if (cmd.limit() < 1) {
      return replies.refuse(cmd.replyTo(), "limit must be at least 1");
    }
    if (!restored) {
      waiting.add(cmd);
      if (!restoring) {
        restoring = true;
        context.pipeToSelf(
            forYou.restore(userId),
            (stash, error) -> new ForYouRestored(error == null ? stash.orElse(null) : null));
      }
      return replies.effect().noReply();
    }
    if (queue.size() < cmd.limit()) {
      refill(state);
      waiting.add(cmd);
      return replies.effect().noReply();
    }
    ForYouPage page = page(state, queue.take(cmd.limit()));
    if (queue.low()) {
      refill(state);
    }
    return replies.reply(cmd.replyTo(), StatusReply.success(page));
  }

  ReplyEffect<UserEvent, UserState> onForYouRestored(Member state, ForYouRestored cmd) {
    restoring = false;
    restored = true;
    if (cmd.stash() != null) {
      queue.restore(cmd.stash());
    }
    return serveWaiting(state, false);
  }

  ReplyEffect<UserEvent, UserState> onForYouBuilt(Member state, ForYouBuilt cmd) {
    refilling = false;
    if (cmd.failure() != null) {
      context.getLog().warn("For You refill for {} failed: {}", userId, cmd.failure());
    }
    queue.offer(cmd.videoIds());
    return serveWaiting(state, true);
  }

  /** A piped result for a user that is not registered: there is no session to feed. */
  ReplyEffect<UserEvent, UserState> ignore(UserState state, UserCommand result) {
    return replies.effect().noReply();
  }

  /** A like, share or watch: never offer the video again, and let the next refill react. */
  void afterSignal(String videoId) {
    queue.markSeen(videoId);
    queue.keepFirst(forYouSettings.keepAfterSignal());
  }

  /** Passivation: keep the queue and the seen-filter for the user's return. */
  void onStop() {
    if (restored) {
      forYou.stash(userId, queue.stash());
    }
  }

  /**
   * Answers the requests that waited; after a refill, with what there is (the catalogue may end).
   */
  private ReplyEffect<UserEvent, UserState> serveWaiting(Member state, boolean afterRefill) {
    List<GetForYouPage> pending = List.copyOf(waiting);
    waiting.clear();
    for (GetForYouPage request : pending) {
      if (!afterRefill && queue.size() < request.limit()) {
        refill(state);
        waiting.add(request);
      } else {
        request.replyTo().tell(StatusReply.success(page(state, queue.take(request.limit()))));
      }
    }
    if (queue.low() && waiting.isEmpty() && afterRefill && !queue.isEmpty()) {
      refill(state);
    }
    return replies.effect().noReply();
  }

  private ForYouPage page(Member state, List<String> videoIds) {
    return new ForYouPage(videoIds, queue.size(), FollowsAndLikes.likedAmong(state, videoIds));
  }

  private void refill(Member state) {
    if (refilling) {
      return;
    }
    refilling = true;
    ForYouSource.Request request =
        new ForYouSource.Request(
            userId,
            state.registered().region(),
            state.profile(clock.instant(), settings.profile()),
            queue.seenFilter(),
            queue.previousVideo(),
            forYouSettings.refillSize());
    context.pipeToSelf(
        forYou.next(request),
        (videoIds, error) ->
            error == null
                ? new ForYouBuilt(videoIds, null)
                : new ForYouBuilt(List.of(), error.toString()));
  }
}
