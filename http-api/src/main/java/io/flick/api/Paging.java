package io.flick.api;

import java.util.Optional;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code ?cursor=&limit=} as API.md defines them for every list; a bad limit is a 400. */
public final class Paging extends AllDirectives {
  public static final int DEFAULT_LIMIT = 20;

  /** A route given the page asked for. */
  public interface PagedRoute {
    Route apply(Optional<String> cursor, int limit);
  }

  private final int maxLimit;

  public Paging(int maxLimit) {
    this.maxLimit = maxLimit;
  }

  public Route paged(PagedRoute inner) {
    return parameterOptional(
        "cursor",
        cursor ->
            parameterOptional(
                "limit",
                limit -> {
                  int n;
                  try {
                    n = limit.map(Integer::parseInt).orElse(Math.min(DEFAULT_LIMIT, maxLimit));
                  } catch (NumberFormatException e) {
                    throw ApiException.badRequest("limit must be a number from 1 to " + maxLimit);
                  }
                  if (n < 1 || n > maxLimit) {
                    throw ApiException.badRequest("limit must be a number from 1 to " + maxLimit);
                  }
                  return inner.apply(cursor.filter(c -> !c.isBlank()), n);
                }));
  }
}
