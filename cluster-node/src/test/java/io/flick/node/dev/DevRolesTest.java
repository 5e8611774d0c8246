package io.flick.node.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevRolesTest {

  @Test
  void threeNodesDefaultToTheDocumentedSplit() {
    assertThat(DevRoles.parse(3, Optional.empty()))
        .containsExactly(
            List.of("api", "entities"),
            List.of("entities", "transcode"),
            List.of("feed", "transcode", "projections"));
  }

  @Test
  void oneNodeRunsEveryRole() {
    assertThat(DevRoles.parse(1, Optional.empty())).containsExactly(DevRoles.ALL);
  }

  @Test
  void anExplicitSplitIsTakenAsWritten() {
    assertThat(DevRoles.parse(2, Optional.of("api, entities ,feed;entities,transcode,projections")))
        .containsExactly(
            List.of("api", "entities", "feed"), List.of("entities", "transcode", "projections"));
  }

  @Test
  void refusesASplitThatLeavesARoleOut() {
    assertThatThrownBy(() -> DevRoles.parse(2, Optional.of("api,entities;entities,transcode")))
        .hasMessageContaining("no node has the role(s) [feed, projections]");
  }

  @Test
  void refusesAGroupCountOtherThanTheNodes() {
    assertThatThrownBy(
            () -> DevRoles.parse(3, Optional.of("api,entities,feed,transcode,projections")))
        .hasMessageContaining("names 1 nodes")
        .hasMessageContaining("--nodes is 3");
  }

  @Test
  void refusesAnUnknownRoleAndAnEmptyNode() {
    assertThatThrownBy(
            () -> DevRoles.parse(2, Optional.of("api,entities,feed,transcode,projections;web")))
        .hasMessageContaining("unknown role 'web'");
    assertThatThrownBy(
            () -> DevRoles.parse(2, Optional.of("api,entities,feed,transcode,projections;")))
        .hasMessageContaining("node 2 has no role");
  }

  @Test
  void refusesFourNodesWithoutASplit() {
    assertThatThrownBy(() -> DevRoles.parse(4, Optional.empty()))
        .hasMessageContaining("no default role split for 4 nodes");
  }
}
