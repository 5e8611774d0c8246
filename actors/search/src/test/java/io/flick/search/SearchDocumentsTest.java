package io.flick.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flick.user.Account;
import io.flick.video.VideoSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchDocumentsTest {

  @Test
  void everyMappingIsStrictAndNamesEveryFieldADocumentWrites() throws Exception {
    VideoSummary video =
        new VideoSummary(
            "v1",
            "c1",
            "a gramophone",
            List.of("music"),
            Optional.of("s1"),
            Instant.parse("2026-12-01T00:00:00Z"),
            null,
            VideoSummary.Status.READY,
            Optional.empty(),
            true,
            null,
            new VideoSummary.Counts(10, 2, 1, 1),
            Optional.empty(),
            null);
    Account creator =
        new Account("c1", "maker", "DE", Instant.parse("2026-11-01T00:00:00Z"), "Mia Maker");
    Map<String, Map<String, Object>> documents =
        Map.of(
            "videos", VideoSearchProjection.document(video, Optional.of(creator)),
            "users", UserSearchProjection.document(creator));
    for (Map.Entry<String, Integer> kind : SearchEngine.MAPPINGS.entrySet()) {
      JsonNode mapping =
          SearchEngine.JSON.readTree(SearchEngine.mapping(kind.getKey(), kind.getValue()));
      JsonNode properties = mapping.path("mappings").path("properties");
      assertThat(mapping.path("mappings").path("dynamic").asText()).isEqualTo("strict");
      assertThat(documents.get(kind.getKey())).isNotEmpty();
      for (String field : documents.get(kind.getKey()).keySet()) {
        assertThat(properties.has(field)).as(kind.getKey() + "." + field).isTrue();
      }
    }
  }

  @Test
  void aVideosDocumentHoldsItsSoundsTitle() {
    Account creator = new Account("c1", "maker", "DE", Instant.parse("2026-11-01T00:00:00Z"));
    // its own sound (the sound's id is the video's): titled after its creator
    VideoSummary own = video("v1", Optional.of("v1"));
    assertThat(VideoSearchProjection.document(own, Optional.of(creator)).get("soundTitle"))
        .isEqualTo("original sound – @maker");
    // a chosen sound: the title the projection found for its author
    VideoSummary using = video("v2", Optional.of("v9"));
    assertThat(
            VideoSearchProjection.document(
                    using, Optional.of(creator), Optional.of("original sound – @singer"))
                .get("soundTitle"))
        .isEqualTo("original sound – @singer");
    // no audio, no sound
    assertThat(VideoSearchProjection.document(video("v3", Optional.empty()), Optional.of(creator)))
        .doesNotContainKeys("soundId", "soundTitle");
  }

  private static VideoSummary video(String id, Optional<String> soundId) {
    return new VideoSummary(
        id,
        "c1",
        "a clip",
        List.of(),
        soundId,
        Instant.parse("2026-12-01T00:00:00Z"),
        null,
        VideoSummary.Status.READY,
        Optional.empty(),
        true,
        null,
        VideoSummary.Counts.ZERO,
        Optional.empty(),
        null);
  }

  @Test
  void popularityIsPositiveAndWeighsLikesCommentsAndSharesAboveViews() {
    assertThat(
            (double) VideoSearchProjection.popularity(VideoSummary.Counts.ZERO).get("popularity"))
        .isEqualTo(1.0);
    double viewed =
        (double)
            VideoSearchProjection.popularity(new VideoSummary.Counts(8, 0, 0, 0)).get("popularity");
    double shared =
        (double)
            VideoSearchProjection.popularity(new VideoSummary.Counts(0, 0, 0, 1)).get("popularity");
    assertThat(shared).isEqualTo(viewed);
  }

  @Test
  void aTypoIsWithinTheEditDistanceOpenSearchForgivesForItsLength() {
    assertThat(Typos.within("gramophone", "gramophne")).isTrue();
    // two neighbours swapped are one edit, as OpenSearch's fuzzy queries count them
    assertThat(Typos.within("cats", "cast")).isTrue();
    assertThat(Typos.within("cats", "acst")).isFalse(); // two swaps
    assertThat(Typos.distance("gramophone", "grmaophne")).isEqualTo(2);
    assertThat(Typos.within("cats", "cbts")).isTrue();
    assertThat(Typos.within("ab", "ac")).isFalse(); // too short for any typo
  }
}
