package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a {@link UserActor} journals. Events are forever: change one by adding a type or a Jackson
 * migration, never by editing it. Until the split into files they were nested in UserActor; {@link
 * UserJournalRenames} reads the events written under those names into these.
 */
public sealed interface UserEvent extends CborSerializable {

  record Registered(String userId, String handle, String region, Instant at) implements UserEvent {}

  /** The user's display name set ({@link AccountRules#canonicalDisplayName}), or cleared (null). */
  record DisplayNameChanged(String userId, String displayName, Instant at) implements UserEvent {}

  // ---- follows and likes

  /**
   * {@code region} is the follower's at the time (ISO 3166), for follower growth by region; null
   * when unknown, and in follows journaled before it ({@link FollowedRegionMigration}).
   */
  record Followed(String userId, String creatorId, Instant at, String region)
      implements UserEvent {}

  record Unfollowed(String userId, String creatorId, Instant at) implements UserEvent {}

  /** {@code hashtags} are normalised; {@code soundId} is null when the video has no sound. */
  record Liked(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      Instant at,
      String region)
      implements UserEvent {
    /** {@code region} is the liker's, for regional trending; null in likes journaled before it. */
    public Liked(
        String userId,
        String videoId,
        String creatorId,
        List<String> hashtags,
        String soundId,
        Instant at) {
      this(userId, videoId, creatorId, hashtags, soundId, at, null);
    }
  }

  record Unliked(String userId, String videoId, Instant at) implements UserEvent {}

  // ---- profile learning

  /**
   * A view with its watch time; {@code soundId} may be null. No longer written (watches come in
   * {@link SignalsLearned}), but replayed for as long as journals hold it.
   */
  record Watched(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      long watchMs,
      long durationMs,
      boolean completed,
      Instant at)
      implements UserEvent {}

  /** A share. No longer written (shares come in {@link SignalsLearned}), but replayed. */
  record Shared(
      String userId,
      String videoId,
      String creatorId,
      List<String> hashtags,
      String soundId,
      Instant at)
      implements UserEvent {}

  /**
   * The watches and shares of one flush ({@link UserCommand.LearnSignals}), in arrival order;
   * hashtags are normalised. Replays exactly as the {@link Watched} and {@link Shared} events they
   * stand for; {@code offsets} is the highest interactions offset they cover per partition (empty
   * in events written before offsets were kept).
   */
  record SignalsLearned(String userId, List<Signal> signals, Map<Integer, Long> offsets)
      implements UserEvent {
    public SignalsLearned {
      signals = signals == null ? List.of() : List.copyOf(signals);
      offsets = offsets == null ? Map.of() : Map.copyOf(offsets);
    }
  }
}
