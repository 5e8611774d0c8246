package io.flick.user;

import static io.flick.user.UserInput.check;
import static io.flick.user.UserInput.required;
import static io.flick.user.UserInput.videoProblem;

import io.flick.common.Timeline;
import io.flick.user.UserCommand.Follow;
import io.flick.user.UserCommand.GetFollowing;
import io.flick.user.UserCommand.GetSocial;
import io.flick.user.UserCommand.Like;
import io.flick.user.UserCommand.LikeChange;
import io.flick.user.UserCommand.LikedAmong;
import io.flick.user.UserCommand.LikedVideos;
import io.flick.user.UserCommand.Page;
import io.flick.user.UserCommand.Unfollow;
import io.flick.user.UserCommand.Unlike;
import io.flick.user.UserEvent.Followed;
import io.flick.user.UserEvent.Liked;
import io.flick.user.UserEvent.Unfollowed;
import io.flick.user.UserEvent.Unliked;
import io.flick.user.UserState.Member;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Follows and likes: facts about the user, in the user's journal (never a video's). Both are
 * idempotent: repeating one answers the current state without a new event. Follows feed the
 * creators' follower lists (tagged, see {@link UserActor#tagsFor}); a like also teaches the profile
 * and moves the For You queue on.
 */
final class FollowsAndLikes {
  static final String CANNOT_FOLLOW_SELF = "you cannot follow yourself";

  private final String userId;
  private final UserSettings settings;
  private final ForYouSession session;
  private final UserEffects replies;

  FollowsAndLikes(
      String userId, UserSettings settings, ForYouSession session, UserEffects replies) {
    this.userId = userId;
    this.settings = settings;
    this.session = session;
    this.replies = replies;
  }

  // ---- follows

  ReplyEffect<UserEvent, UserState> onFollow(Member state, Follow cmd) {
    Optional<String> problem =
        required(cmd.creatorId(), "creatorId")
            .or(() -> required(cmd.at(), "at"))
            .or(() -> check(!cmd.creatorId().equals(userId), CANNOT_FOLLOW_SELF));
    if (problem.isPresent()) {
      return replies.refuse(cmd.replyTo(), problem.get());
    }
    if (state.following().contains(cmd.creatorId())) {
      return replies.reply(cmd.replyTo(), StatusReply.success(state.followState(cmd.creatorId())));
    }
    if (state.following().size() >= settings.maxFollowing()) {
      return replies.refuse(
          cmd.replyTo(), "you can follow at most " + settings.maxFollowing() + " accounts");
    }
    return replies
        .effect()
        .persist(new Followed(userId, cmd.creatorId(), cmd.at(), state.registered().region()))
        .thenReply(cmd.replyTo(), s -> followState(s, cmd.creatorId()));
  }

  ReplyEffect<UserEvent, UserState> onUnfollow(Member state, Unfollow cmd) {
    Optional<String> problem =
        required(cmd.creatorId(), "creatorId").or(() -> required(cmd.at(), "at"));
    if (problem.isPresent()) {
      return replies.refuse(cmd.replyTo(), problem.get());
    }
    if (!state.following().contains(cmd.creatorId())) {
      return replies.reply(cmd.replyTo(), StatusReply.success(state.followState(cmd.creatorId())));
    }
    return replies
        .effect()
        .persist(new Unfollowed(userId, cmd.creatorId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> followState(s, cmd.creatorId()));
  }

  private static StatusReply<UserCommand.FollowState> followState(
      UserState state, String creatorId) {
    return StatusReply.success(((Member) state).followState(creatorId));
  }

  ReplyEffect<UserEvent, UserState> onGetFollowing(Member state, GetFollowing cmd) {
    if (cmd.limit() < 1) {
      return replies.refuse(cmd.replyTo(), "limit must be at least 1");
    }
    try {
      Timeline.Slice slice =
          state
              .following()
              .page(
                  Objects.requireNonNullElse(cmd.cursor(), Optional.empty()),
                  Math.min(cmd.limit(), settings.maxPageSize()));
      return replies.reply(cmd.replyTo(), StatusReply.success(new Page(slice.ids(), slice.next())));
    } catch (IllegalArgumentException e) {
      return replies.refuse(cmd.replyTo(), e.getMessage());
    }
  }

  // ---- likes

  ReplyEffect<UserEvent, UserState> onLike(Member state, Like cmd) {
    Optional<String> problem = videoProblem(cmd.videoId(), cmd.creatorId(), cmd.at());
    if (problem.isPresent()) {
      return replies.refuse(cmd.replyTo(), problem.get());
    }
    if (state.likes().contains(cmd.videoId())) {
      return replies.reply(cmd.replyTo(), StatusReply.success(new LikeChange(true, false)));
    }
    return replies
        .effect()
        .persist(
            new Liked(
                userId,
                cmd.videoId(),
                cmd.creatorId(),
                UserInput.normaliseHashtags(cmd.hashtags()),
                Signal.soundOf(cmd.soundId()),
                cmd.at(),
                state.registered().region()))
        .thenRun(s -> session.afterSignal(cmd.videoId()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new LikeChange(true, true)));
  }

  ReplyEffect<UserEvent, UserState> onUnlike(Member state, Unlike cmd) {
    Optional<String> problem =
        required(cmd.videoId(), "videoId").or(() -> required(cmd.at(), "at"));
    if (problem.isPresent()) {
      return replies.refuse(cmd.replyTo(), problem.get());
    }
    if (!state.likes().contains(cmd.videoId())) {
      return replies.reply(cmd.replyTo(), StatusReply.success(new LikeChange(false, false)));
    }
    return replies
        .effect()
        .persist(new Unliked(userId, cmd.videoId(), cmd.at()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(new LikeChange(false, true)));
  }

  ReplyEffect<UserEvent, UserState> onLikedAmong(Member state, LikedAmong cmd) {
    return replies.reply(
        cmd.replyTo(), StatusReply.success(new LikedVideos(likedAmong(state, cmd.videoIds()))));
  }

  ReplyEffect<UserEvent, UserState> onGetSocial(Member state, GetSocial cmd) {
    return replies.reply(cmd.replyTo(), StatusReply.success(state.social()));
  }

  /** Which of {@code videoIds} the user likes. */
  static Set<String> likedAmong(Member state, List<String> videoIds) {
    return videoIds.stream().filter(state.likes()::contains).collect(Collectors.toSet());
  }
}
