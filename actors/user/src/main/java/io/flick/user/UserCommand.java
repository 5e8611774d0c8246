package io.flick.user;

import io.flick.common.CborSerializable;
import io.flick.common.writeback.WriteBackReply;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a {@link UserActor} is asked, and what it answers, by concern: the account, follows and
 * likes ({@link FollowsAndLikes}), profile learning ({@link ProfileLearning}) and the For You
 * session ({@link ForYouSession}). The handlers' own messages (timers, piped results) are private
 * to them.
 */
public sealed interface UserCommand extends CborSerializable
    permits UserCommand.Register,
        UserCommand.SetDisplayName,
        UserCommand.GetAccount,
        UserCommand.Follow,
        UserCommand.Unfollow,
        UserCommand.Like,
        UserCommand.Unlike,
        UserCommand.GetSocial,
        UserCommand.LikedAmong,
        UserCommand.GetFollowing,
        UserCommand.LearnSignals,
        UserCommand.GetProfile,
        UserCommand.GetForYouPage,
        ProfileLearning.FlushSignals,
        ForYouSession.ForYouBuilt,
        ForYouSession.ForYouRestored {

  // ---- the account

  /** Idempotent: registering again with the same handle answers the existing account. */
  record Register(String handle, String region, Instant at, ActorRef<StatusReply<Account>> replyTo)
      implements UserCommand {}

  /**
   * Sets the display name ({@link AccountRules#canonicalDisplayName}; null clears it) and answers
   * the account. Idempotent: the same name again journals nothing.
   */
  record SetDisplayName(String displayName, Instant at, ActorRef<StatusReply<Account>> replyTo)
      implements UserCommand {}

  record GetAccount(ActorRef<AccountLookup> replyTo) implements UserCommand {}

  /** Empty when no account was ever registered under this id. */
  record AccountLookup(Optional<Account> account) implements CborSerializable {}

  // ---- follows and likes

  /**
   * Follow a creator (a user id). Idempotent; refused for oneself ({@link
   * FollowsAndLikes#CANNOT_FOLLOW_SELF}) and past {@link UserSettings#maxFollowing()}.
   */
  record Follow(String creatorId, Instant at, ActorRef<StatusReply<FollowState>> replyTo)
      implements UserCommand {}

  /** Idempotent: unfollowing someone not followed answers the current state. */
  record Unfollow(String creatorId, Instant at, ActorRef<StatusReply<FollowState>> replyTo)
      implements UserCommand {}

  /**
   * Like a video. The video's creator, hashtags and sound are what the profile learns from.
   * Idempotent: a second like answers {@code changed=false}.
   */
  record Like(
      String videoId,
      String creatorId,
      List<String> hashtags,
      Optional<String> soundId,
      Instant at,
      ActorRef<StatusReply<LikeChange>> replyTo)
      implements UserCommand {}

  /** Idempotent. The like's signal stays in the profile and decays like any other. */
  record Unlike(String videoId, Instant at, ActorRef<StatusReply<LikeChange>> replyTo)
      implements UserCommand {}

  /** Who the user follows and what it liked, whole; {@link GetFollowing} pages the follows. */
  record GetSocial(ActorRef<StatusReply<Social>> replyTo) implements UserCommand {}

  /** Which of {@code videoIds} the user likes (what a page of videos shows the viewer). */
  record LikedAmong(List<String> videoIds, ActorRef<StatusReply<LikedVideos>> replyTo)
      implements UserCommand {
    public LikedAmong {
      videoIds = List.copyOf(videoIds);
    }
  }

  /** Followed creator ids, most recently followed first. */
  record GetFollowing(Optional<String> cursor, int limit, ActorRef<StatusReply<Page>> replyTo)
      implements UserCommand {}

  /** Whether the user now follows the creator, and how many it follows in all. */
  record FollowState(boolean following, int followingCount) implements CborSerializable {}

  /** Whether the user now likes the video, and whether this command changed that. */
  record LikeChange(boolean liked, boolean changed) implements CborSerializable {}

  /** The answer to {@link LikedAmong}: the ones liked. */
  record LikedVideos(Set<String> videoIds) implements CborSerializable {
    public LikedVideos {
      videoIds = Set.copyOf(videoIds);
    }
  }

  /** Everything the user follows and likes; prefer the paged queries for long lists. */
  record Social(
      int followingCount, int likedCount, Set<String> following, Set<String> likedVideoIds)
      implements CborSerializable {
    public Social {
      following = following == null ? Set.of() : Set.copyOf(following);
      likedVideoIds = likedVideoIds == null ? Set.of() : Set.copyOf(likedVideoIds);
    }
  }

  /** One page of ids, newest first; {@code next} is the cursor for the following page. */
  record Page(List<String> items, Optional<String> next) implements CborSerializable {
    public Page {
      items = items == null ? List.of() : List.copyOf(items);
      next = Objects.requireNonNullElse(next, Optional.empty());
    }
  }

  // ---- profile learning

  /**
   * Watches and shares for the profile, write-back, each with the partition and offset of the
   * {@code interactions} record it came from: they are learned in memory at once (the For You queue
   * reacts) and persisted together as one {@link UserEvent.SignalsLearned} at most {@link
   * UserSettings#signalFlushInterval()} later (or as soon as {@link
   * ProfileLearning#FLUSH_AT_SIGNALS} are pending) with the highest offset they cover per
   * partition; the answer ({@link WriteBackReply.Written}) comes only after that write, so whoever
   * waits for it (the interactions stream, before it commits its offsets) never loses a signal. A
   * signal at or below the offset its partition is learned through is a redelivery and is not
   * learned again; an invalid one (no video, creator or instant, a negative time, an unknown kind)
   * is dropped. Signals of one partition must come in offset order.
   *
   * <p>{@code previousThrough} holds, per partition, the end of the previous batch the stream sent
   * this user while that one was still unanswered. If that batch was lost here (the entity stopped
   * before writing it), learning this one would move the learned offset past its signals and their
   * redelivery would be taken as already learned; so it is answered {@link WriteBackReply.Gap} and
   * nothing is taken.
   */
  record LearnSignals(
      List<SignalAt> signals, Map<Integer, Long> previousThrough, ActorRef<WriteBackReply> replyTo)
      implements UserCommand {
    public LearnSignals {
      signals = signals == null ? List.of() : List.copyOf(signals);
      previousThrough = previousThrough == null ? Map.of() : Map.copyOf(previousThrough);
    }
  }

  /** A {@link Signal} read at {@code offset} of {@code partition} of the interactions topic. */
  record SignalAt(int partition, long offset, Signal signal) implements CborSerializable {}

  /** The profile with every score decayed to {@code asOf}, or to now when empty. */
  record GetProfile(Optional<Instant> asOf, ActorRef<StatusReply<Profile>> replyTo)
      implements UserCommand {
    public GetProfile(ActorRef<StatusReply<Profile>> replyTo) {
      this(Optional.empty(), replyTo);
    }
  }

  // ---- the For You session

  /**
   * The next For You videos: from the ready queue when it holds enough, else once a refill is
   * built. Served videos never come back (the seen-filter).
   */
  record GetForYouPage(int limit, ActorRef<StatusReply<ForYouPage>> replyTo)
      implements UserCommand {}

  /**
   * A For You page: the videos, in the order to show them, how many are still queued, and which of
   * the page's videos the user likes (so the page shows it without another ask).
   */
  record ForYouPage(List<String> videoIds, int queued, Set<String> liked)
      implements CborSerializable {
    public ForYouPage {
      videoIds = videoIds == null ? List.of() : List.copyOf(videoIds);
      liked = liked == null ? Set.of() : Set.copyOf(liked);
    }
  }
}
