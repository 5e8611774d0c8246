package io.flick.user;

import io.flick.common.serialization.ClassRenames;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The user journal's events and snapshots were nested in {@link UserActor} until it was split by
 * concern; this reads what was written under those names (registered in this module's
 * reference.conf). Keep it as long as any journal may hold them: forever.
 */
public final class UserJournalRenames extends ClassRenames {
  private static final String OLD = "io.flick.user.UserActor$";

  static final Map<String, String> NEW_NAMES =
      Stream.of(
              UserEvent.Registered.class,
              UserEvent.Followed.class,
              UserEvent.Unfollowed.class,
              UserEvent.Liked.class,
              UserEvent.Unliked.class,
              UserEvent.Watched.class,
              UserEvent.Shared.class,
              UserEvent.SignalsLearned.class,
              UserState.Unregistered.class,
              UserState.Member.class)
          .map(Class::getName)
          .collect(Collectors.toMap(name -> OLD + name.substring(name.indexOf('$') + 1), n -> n));

  public UserJournalRenames() {
    super(NEW_NAMES);
  }
}
