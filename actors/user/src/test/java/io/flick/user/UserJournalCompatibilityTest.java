package io.flick.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flick.user.UserEvent.Followed;
import io.flick.user.UserEvent.Liked;
import io.flick.user.UserEvent.Registered;
import io.flick.user.UserEvent.Shared;
import io.flick.user.UserEvent.SignalsLearned;
import io.flick.user.UserEvent.Unfollowed;
import io.flick.user.UserEvent.Unliked;
import io.flick.user.UserEvent.Watched;
import io.flick.user.UserState.Member;
import io.flick.user.UserState.Unregistered;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Events and snapshots written before UserActor was split into files (nested in UserActor, so named
 * {@code io.flick.user.UserActor$Liked} and so on) still read, into the classes that hold them now.
 * {@code journal/user-actor-before-split.txt} holds what the code of that time wrote for the values
 * below: serializer id, manifest, base64 bytes, one per line.
 */
class UserJournalCompatibilityTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Serialization serialization = SerializationExtension.get(testKit.system());
  private static final ProfileSettings PROFILE =
      UserSettings.fromConfig(ConfigFactory.load()).profile();
  private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** The values the old code serialized, in the file's order, built with today's classes. */
  private static List<Object> expected() {
    var registered = new Registered("u1", "alice", "EU", T);
    var followed = new Followed("u1", "bob", T.plusSeconds(1), null);
    var followedToo = new Followed("u1", "carol", T.plusSeconds(2), null);
    var unfollowed = new Unfollowed("u1", "carol", T.plusSeconds(3));
    var liked = new Liked("u1", "v1", "bob", List.of("cats", "dogs"), "s1", T.plusSeconds(4));
    var likedToo = new Liked("u1", "v2", "bob", List.of(), null, T.plusSeconds(5));
    var unliked = new Unliked("u1", "v2", T.plusSeconds(6));
    var watched =
        new Watched(
            "u1", "v3", "dan", List.of("cats"), "s2", 12_000, 15_000, false, T.plusSeconds(7));
    var skipped =
        new Watched("u1", "v4", "dan", List.of(), null, 500, 15_000, false, T.plusSeconds(8));
    var shared = new Shared("u1", "v3", "dan", List.of("cats"), null, T.plusSeconds(9));
    var learned =
        new SignalsLearned(
            "u1",
            List.of(
                Signal.watch(
                    "v5",
                    "erin",
                    List.of("birds"),
                    Optional.of("s3"),
                    15_000,
                    15_000,
                    true,
                    T.plusSeconds(10)),
                Signal.share("v6", "erin", List.of(), Optional.empty(), T.plusSeconds(11))),
            Map.of(2, 77L, 5, 3L));
    var learnedWithoutOffsets =
        new SignalsLearned(
            "u1",
            List.of(
                Signal.watch(
                    "v7",
                    "erin",
                    List.of("birds"),
                    Optional.empty(),
                    1_000,
                    0,
                    false,
                    T.plusSeconds(12))),
            Map.of());

    List<Object> all = new ArrayList<>();
    all.addAll(
        List.of(
            registered,
            followed,
            followedToo,
            unfollowed,
            liked,
            likedToo,
            unliked,
            watched,
            skipped,
            shared,
            learned,
            learnedWithoutOffsets));
    // snapshots, made by the event handler's own transitions
    all.add(new Unregistered());
    all.add(
        Member.of(registered)
            .apply(followed)
            .apply(followedToo)
            .apply(unfollowed)
            .apply(liked, PROFILE)
            .apply(likedToo, PROFILE)
            .apply(unliked)
            .apply(watched, PROFILE)
            .apply(skipped, PROFILE)
            .apply(shared, PROFILE)
            .apply(learned, PROFILE)
            .apply(learnedWithoutOffsets, PROFILE));
    all.add(Member.of(registered));
    return all;
  }

  private static List<String[]> written() throws IOException {
    try (InputStream in =
        UserJournalCompatibilityTest.class.getResourceAsStream(
            "/journal/user-actor-before-split.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(line -> line.split(" "))
          .toList();
    }
  }

  @Test
  void eventsAndSnapshotsWrittenUnderTheOldNamesReadIntoTheNewClasses() throws IOException {
    List<String[]> written = written();
    List<Object> expected = expected();
    assertThat(written).hasSameSizeAs(expected);
    for (int i = 0; i < written.size(); i++) {
      String[] line = written.get(i);
      assertThat(line[1]).startsWith("io.flick.user.UserActor$");
      Object read =
          serialization
              .deserialize(Base64.getDecoder().decode(line[2]), Integer.parseInt(line[0]), line[1])
              .get();
      assertThat(read).as(line[1]).isEqualTo(expected.get(i));
    }
  }

  @Test
  void everyRenamedClassIsRegistered() throws IOException {
    List<String> oldNames = written().stream().map(line -> line[1]).distinct().toList();
    assertThat(UserJournalRenames.NEW_NAMES).containsOnlyKeys(oldNames);
    var config = testKit.system().settings().config();
    for (String oldName : oldNames) {
      assertThat(config.getString("pekko.serialization.jackson.migrations.\"" + oldName + "\""))
          .isEqualTo(UserJournalRenames.class.getName());
    }
  }

  @Test
  void newEventsAreWrittenUnderTheirOwnNames() {
    for (Object value : expected()) {
      var serializer = serialization.findSerializerFor(value);
      String manifest = Serializers.manifestFor(serializer, value);
      // an event with a migration is written with its current version (see below)
      assertThat(manifest)
          .isEqualTo(value.getClass().getName() + (value instanceof Followed ? "#2" : ""));
      byte[] bytes = serialization.serialize(value).get();
      assertThat(serialization.deserialize(bytes, serializer.identifier(), manifest).get())
          .isEqualTo(value);
    }
  }

  /**
   * Follows written before they carried the follower's region (version 1, no version in the
   * manifest; {@code journal/user-followed-before-region.txt}, written by that code) read as
   * follows of an unknown region, through {@link FollowedRegionMigration}.
   */
  @Test
  void aFollowWrittenBeforeItCarriedARegionReadsWithAnUnknownRegion() throws IOException {
    List<String[]> written;
    try (InputStream in =
        UserJournalCompatibilityTest.class.getResourceAsStream(
            "/journal/user-followed-before-region.txt")) {
      written =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .map(line -> line.split(" "))
              .toList();
    }
    Instant at = Instant.parse("2026-12-06T09:00:00Z");
    List<Object> expected =
        List.of(
            new Followed("u1", "bob", at, null),
            new Followed("u2", "carol", at.plusSeconds(1), null));
    assertThat(written).hasSameSizeAs(expected);
    for (int i = 0; i < written.size(); i++) {
      String[] line = written.get(i);
      assertThat(line[1]).isEqualTo(Followed.class.getName());
      Object read =
          serialization
              .deserialize(Base64.getDecoder().decode(line[2]), Integer.parseInt(line[0]), line[1])
              .get();
      assertThat(read).isEqualTo(expected.get(i));
    }
    assertThat(
            testKit
                .system()
                .settings()
                .config()
                .getString(
                    "pekko.serialization.jackson.migrations.\"" + Followed.class.getName() + "\""))
        .isEqualTo(FollowedRegionMigration.class.getName());
  }

  @Test
  void aFollowKeepsItsRegion() {
    Followed followed = new Followed("u1", "bob", T, "BR");
    var serializer = serialization.findSerializerFor(followed);
    byte[] bytes = serialization.serialize(followed).get();
    assertThat(
            serialization
                .deserialize(
                    bytes, serializer.identifier(), Serializers.manifestFor(serializer, followed))
                .get())
        .isEqualTo(followed);
  }
}
