package io.flick.api.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.user.Profile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoverRoutesTest {

  @Test
  void creatorsOfFinishedVideosAreThoseAtHalfACompletedViewOrMoreStrongestFirst() {
    Map<String, Double> creators = new LinkedHashMap<>();
    creators.put("finished-once", 1.0);
    creators.put("glanced-at", 0.3);
    creators.put("skipped", -0.5);
    creators.put("finished-and-liked", 3.0);
    Profile profile =
        new Profile("me", Instant.now(), Map.of(), Map.of(), Map.of(), creators, 0, Set.of(), 0);

    assertThat(DiscoverRoutes.creatorsOfFinishedVideos(profile))
        .containsExactly("finished-and-liked", "finished-once");
  }
}
