package io.flick.api.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.flick.api.Json;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

/** A blocker's lists leave out the videos and comments of the users they block. */
class HiddenBlockedTest {
  @Test
  void itemsByBlockedCreatorsAndAuthorsAreLeftOut() throws Exception {
    String page =
        """
        {"items":[{"id":"v1","creatorId":"bad"},{"id":"v2","creatorId":"ok"},
        {"id":"c1","author":{"id":"bad","handle":"troll"}},{"id":"c2","author":{"id":"ok"}}],
        "next":"x"}""";
    HttpResponse response =
        HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, page));

    HttpResponse filtered = SafetyRoutes.withoutBlocked(response, Set.of("bad"));

    String body = ((HttpEntity.Strict) filtered.entity()).getData().utf8String();
    java.util.List<String> ids = new java.util.ArrayList<>();
    Json.MAPPER.readTree(body).get("items").forEach(item -> ids.add(item.get("id").asText()));
    assertThat(ids).containsExactly("v2", "c2");
    assertThat(Json.MAPPER.readTree(body).get("next").asText()).isEqualTo("x");
  }

  @Test
  void otherAnswersPassUnchanged() {
    HttpResponse error =
        HttpResponse.create()
            .withStatus(404)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"items\":[]}"));
    assertThat(SafetyRoutes.withoutBlocked(error, Set.of("bad"))).isSameAs(error);
  }
}
