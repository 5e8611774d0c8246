package io.flick.user;

import io.flick.common.CborSerializable;
import io.flick.common.Timeline;
import io.flick.common.writeback.WriteBack;
import io.flick.user.UserCommand.FollowState;
import io.flick.user.UserCommand.Social;
import io.flick.user.UserEvent.DisplayNameChanged;
import io.flick.user.UserEvent.Followed;
import io.flick.user.UserEvent.Liked;
import io.flick.user.UserEvent.Registered;
import io.flick.user.UserEvent.Shared;
import io.flick.user.UserEvent.SignalsLearned;
import io.flick.user.UserEvent.Unfollowed;
import io.flick.user.UserEvent.Unliked;
import io.flick.user.UserEvent.Watched;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link UserActor}'s state; only the event handler calls the methods that make the next one.
 * Snapshots are these records: like events they must stay readable (see {@link
 * UserJournalRenames}).
 */
public sealed interface UserState extends CborSerializable {
  /** How many recent watches and shares {@link Member#recentSignals()} remembers. */
  int RECENT_SIGNALS = 64;

  Optional<Account> account();

  /** No account was ever registered under this id. */
  record Unregistered() implements UserState {
    @Override
    public Optional<Account> account() {
      return Optional.empty();
    }
  }

  /**
   * A registered user. {@code following} holds creator ids and {@code likes} video ids, each with
   * when; {@code recentSignals} the keys of the last {@link #RECENT_SIGNALS} watches and shares
   * (what dropped repeated one-by-one watches and shares when those commands existed; kept, and
   * kept up, so the state and its snapshots keep their shape); {@code learnedOffsets} the highest
   * interactions offset learned per partition.
   *
   * <p>Memory: likes grow with the user's history and are kept whole (a set of ids is fine at
   * today's scale: about 200 bytes each, so 10,000 likes are about 2 MB, and each change copies
   * them); following is capped by {@link UserSettings#maxFollowing()}, the profile by {@link
   * ProfileSettings#maxKeysPerKind()} keys per kind, the recent signals by {@link #RECENT_SIGNALS}.
   */
  record Member(
      Account registered,
      Timeline following,
      Timeline likes,
      Preferences preferences,
      List<String> recentSignals,
      Map<Integer, Long> learnedOffsets)
      implements UserState {
    public Member {
      learnedOffsets = learnedOffsets == null ? Map.of() : Map.copyOf(learnedOffsets);
      Objects.requireNonNull(registered, "registered");
      following = Objects.requireNonNullElse(following, Timeline.EMPTY);
      likes = Objects.requireNonNullElse(likes, Timeline.EMPTY);
      preferences = Objects.requireNonNullElse(preferences, Preferences.NONE);
      recentSignals = recentSignals == null ? List.of() : List.copyOf(recentSignals);
    }

    static Member of(Registered e) {
      return new Member(
          new Account(e.userId(), e.handle(), e.region(), e.at()),
          Timeline.EMPTY,
          Timeline.EMPTY,
          Preferences.NONE,
          List.of(),
          Map.of());
    }

    @Override
    public Optional<Account> account() {
      return Optional.of(registered);
    }

    FollowState followState(String creatorId) {
      return new FollowState(following.contains(creatorId), following.size());
    }

    Member apply(DisplayNameChanged e) {
      return new Member(
          registered.withDisplayName(e.displayName()),
          following,
          likes,
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Followed e) {
      return new Member(
          registered,
          following.with(e.creatorId(), e.at()),
          likes,
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Unfollowed e) {
      return new Member(
          registered,
          following.without(e.creatorId()),
          likes,
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Liked e, ProfileSettings p) {
      return new Member(
          registered,
          following,
          likes.with(e.videoId(), e.at()),
          preferences.learn(e.creatorId(), e.hashtags(), e.soundId(), p.likeWeight(), e.at(), p),
          recentSignals,
          learnedOffsets);
    }

    Member apply(Unliked e) {
      return new Member(
          registered,
          following,
          likes.without(e.videoId()),
          preferences,
          recentSignals,
          learnedOffsets);
    }

    Member apply(Watched e, ProfileSettings p) {
      double signal = p.watchSignal(e.watchMs(), e.durationMs(), e.completed());
      return new Member(
          registered,
          following,
          likes,
          preferences.learn(e.creatorId(), e.hashtags(), e.soundId(), signal, e.at(), p),
          remember(signalKey("watch", e.videoId(), e.at())),
          learnedOffsets);
    }

    Member apply(Shared e, ProfileSettings p) {
      return new Member(
          registered,
          following,
          likes,
          preferences.learn(e.creatorId(), e.hashtags(), e.soundId(), p.shareWeight(), e.at(), p),
          remember(signalKey("share", e.videoId(), e.at())),
          learnedOffsets);
    }

    Member apply(SignalsLearned e, ProfileSettings p) {
      Member member = this;
      for (Signal signal : e.signals()) {
        member =
            signal.kind().equals(Signal.SHARE)
                ? member.apply(
                    new Shared(
                        e.userId(),
                        signal.videoId(),
                        signal.creatorId(),
                        signal.hashtags(),
                        signal.soundId(),
                        signal.at()),
                    p)
                : member.apply(
                    new Watched(
                        e.userId(),
                        signal.videoId(),
                        signal.creatorId(),
                        signal.hashtags(),
                        signal.soundId(),
                        signal.watchMs(),
                        signal.durationMs(),
                        signal.completed(),
                        signal.at()),
                    p);
      }
      if (e.offsets().isEmpty()) {
        return member;
      }
      Map<Integer, Long> learned = new HashMap<>(member.learnedOffsets());
      e.offsets().forEach((partition, offset) -> learned.merge(partition, offset, Math::max));
      return new Member(
          member.registered(),
          member.following(),
          member.likes(),
          member.preferences(),
          member.recentSignals(),
          learned);
    }

    /** The interactions offset this user's signals of {@code partition} are learned through. */
    long learnedThrough(int partition) {
      return learnedOffsets.getOrDefault(partition, WriteBack.NONE);
    }

    private List<String> remember(String key) {
      List<String> recent = new ArrayList<>(RECENT_SIGNALS);
      recent.addAll(recentSignals);
      recent.add(key);
      return recent.subList(Math.max(0, recent.size() - RECENT_SIGNALS), recent.size());
    }

    Profile profile(Instant asOf, ProfileSettings p) {
      return new Profile(
          registered.id(),
          asOf,
          Preferences.scoresAt(preferences.hashtags(), asOf, p.halfLife()),
          Preferences.scoresAt(preferences.topics(), asOf, p.halfLife()),
          Preferences.scoresAt(preferences.sounds(), asOf, p.halfLife()),
          Preferences.scoresAt(preferences.creators(), asOf, p.halfLife()),
          following.size(),
          following.ids(),
          likes.size());
    }

    Social social() {
      return new Social(following.size(), likes.size(), following.ids(), likes.ids());
    }

    private static String signalKey(String kind, String videoId, Instant at) {
      return kind + ":" + videoId + "@" + at;
    }
  }
}
