package io.flick.api.social;

import java.time.Clock;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * What the view routes need to count a viewer once per window: the repeat guard, the signed
 * anonymous viewer cookie, and how to tell the client's address.
 */
public record ViewIntegrity(
    ViewGuard guard, ViewerCookie cookies, Function<HttpRequest, String> address) {
  /** Every view counts (no repeat window). */
  public static final ViewIntegrity OFF =
      new ViewIntegrity(
          ViewGuard.EVERY_VIEW,
          new ViewerCookie("views-not-guarded", Clock.systemUTC()),
          request -> "unknown");
}
