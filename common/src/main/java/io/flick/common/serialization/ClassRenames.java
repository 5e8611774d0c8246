package io.flick.common.serialization;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads what was written under a class's old binary name into the class that has its shape now.
 * Jackson's manifest is the class name, so moving a persisted event or snapshot class breaks every
 * journal that holds it unless its old name is registered here, in the module's reference.conf:
 *
 * <pre>
 * pekko.serialization.jackson.migrations {
 *   "io.flick.video.VideoActor$Created" = "io.flick.video.VideoJournalRenames"
 * }
 * </pre>
 *
 * <p>The fields are left as they are: a rename only. Version 2 is what makes Pekko ask for the new
 * name (old data carries no version, that is version 1); the new classes are written without one.
 */
public abstract class ClassRenames extends JacksonMigration {
  private final Map<String, String> newNames;

  /** {@code newNames}: old binary name → new binary name. */
  protected ClassRenames(Map<String, String> newNames) {
    this.newNames = Map.copyOf(newNames);
  }

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return newNames.getOrDefault(className, className);
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }

  /** Old binary name → new binary name, for the tests. */
  public Map<String, String> newNames() {
    return newNames;
  }
}
