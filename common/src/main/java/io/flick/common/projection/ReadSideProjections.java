package io.flick.common.projection;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.javadsl.ProjectionManagement;

/**
 * The projections {@link ReadSide} has started on this node, by name, and the one operation on a
 * whole projection that operators need: a rebuild. Every node starts every projection (a node
 * without the projections role only knows where its instances run), so any node can name them and
 * ask for a rebuild; Pekko Projection's management reaches the running instances wherever they are.
 */
public final class ReadSideProjections implements Extension {
  private static final ExtensionId<ReadSideProjections> ID =
      new ExtensionId<>() {
        @Override
        public ReadSideProjections createExtension(ActorSystem<?> system) {
          return new ReadSideProjections(system);
        }
      };

  private final ActorSystem<?> system;
  private final Map<String, List<String>> tagsByName = new ConcurrentSkipListMap<>();

  private ReadSideProjections(ActorSystem<?> system) {
    this.system = system;
  }

  public static ReadSideProjections get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  void register(String name, List<String> tags) {
    tagsByName.put(name, List.copyOf(tags));
  }

  /** Projection name → its instances' tags, sorted by name. */
  public Map<String, List<String>> all() {
    return Collections.unmodifiableMap(new TreeMap<>(tagsByName));
  }

  /**
   * Replays projection {@code name} from the start of its events: each instance is stopped, its
   * stored offset cleared, and restarted (handlers are idempotent, so views are rewritten, not
   * doubled). Empty if no projection has that name; fails if an instance does not answer within
   * {@code pekko.projection.management.operation-timeout}.
   */
  public Optional<CompletionStage<List<String>>> rebuild(String name) {
    List<String> tags = tagsByName.get(name);
    if (tags == null) {
      return Optional.empty();
    }
    ProjectionManagement management = ProjectionManagement.get(system);
    CompletableFuture<?>[] cleared =
        tags.stream()
            .map(tag -> management.clearOffset(ProjectionId.of(name, tag)).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return Optional.of(CompletableFuture.allOf(cleared).thenApply(done -> tags));
  }
}
