package io.flick.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * {@link UserEvent.Followed} version 2 carries the follower's {@code region}. Version 1 (written
 * without a version in its manifest) had none: it reads as an unknown region. Registered in this
 * module's reference.conf; keep it as long as any journal may hold a version 1 follow: forever.
 *
 * <p>In a rolling upgrade the nodes still on the old build read version 2 follows too: they have no
 * migration for the class and ignore the field they do not know (Pekko's Jackson default, {@code
 * FAIL_ON_UNKNOWN_PROPERTIES} off), so a shard may move either way while both run.
 */
public final class FollowedRegionMigration extends JacksonMigration {
  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion < 2 && json instanceof ObjectNode event && !event.has("region")) {
      event.putNull("region");
    }
    return json;
  }
}
