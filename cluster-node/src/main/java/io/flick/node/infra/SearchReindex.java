package io.flick.node.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.flick.search.SearchEngine;
import io.flick.search.UserSearchProjection;
import io.flick.search.VideoSearchProjection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ./flick reindex}: the search indexes are a cache of the journal, so rebuilding them is
 * forgetting them. Drops the current versioned indexes and the search projections' stored offsets;
 * the next node start creates empty indexes and the projections replay every tagged event from the
 * journal's start, each rewriting its document from the entity's current state. Run it with the
 * cluster stopped (a running projection would store its old offset again).
 */
public final class SearchReindex {
  static final List<String> PROJECTIONS =
      List.of(VideoSearchProjection.NAME, UserSearchProjection.NAME);

  private SearchReindex() {}

  public static void reset(
      CqlSession cql, String keyspace, SearchEngine engine, Consumer<String> progress)
      throws Exception {
    for (Map.Entry<String, Integer> kind : SearchEngine.MAPPINGS.entrySet()) {
      String index = engine.versionedIndex(kind.getKey(), kind.getValue());
      int status =
          engine
              .send("DELETE", "/" + index, null)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS)
              .status();
      progress.accept("reindex     index " + index + (status == 404 ? " was absent" : " dropped"));
    }
    int offsets = 0;
    for (Row row :
        cql.execute(
            "SELECT DISTINCT projection_name, partition FROM "
                + keyspace
                + ".projection_offsets")) {
      String name = row.getString("projection_name");
      if (PROJECTIONS.contains(name)) {
        cql.execute(
            "DELETE FROM "
                + keyspace
                + ".projection_offsets WHERE projection_name = ? AND partition = ?",
            name,
            row.getInt("partition"));
        offsets++;
      }
    }
    progress.accept(
        "reindex     "
            + offsets
            + " offset partitions of "
            + PROJECTIONS
            + " forgotten; the next start rebuilds the indexes from the journal");
  }
}
