package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report and block over real HTTP: a blocked user can no longer follow or comment on the blocker's
 * video, the blocker no longer sees their comments, and a report reaches the moderation queue (a
 * projection) where only a moderator may read it.
 */
@Timeout(300)
class SafetyIT {
  @TempDir static Path clips;
  private static ApiClient creator;
  private static String videoId;

  @BeforeAll
  static void aReadyVideo() throws Exception {
    creator = ApiClient.signedUp(TestCluster.get(), "safe");
    byte[] clip = ApiClient.testClip(clips, 2);
    videoId = creator.upload(clip, "video/mp4", "mine #safe");
    assertThat(creator.awaitOutcome(videoId).get("status").asText()).isEqualTo("READY");
  }

  @Test
  void aBlockedUserCanNoLongerFollowOrCommentAndTheirCommentsAreHidden() throws Exception {
    ApiClient troll = ApiClient.signedUp(TestCluster.get(), "troll");
    ApiClient friend = ApiClient.signedUp(TestCluster.get(), "friend");
    String comments = "/api/v1/videos/" + videoId + "/comments";
    assertThat(troll.post(comments, "{\"text\":\"first!\"}").statusCode()).isEqualTo(201);
    assertThat(friend.post(comments, "{\"text\":\"nice\"}").statusCode()).isEqualTo(201);

    var blocked = creator.post("/api/v1/users/" + troll.userId + "/block", "");
    assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(200);
    assertThat(creator.json(blocked).get("blocked").asBoolean()).isTrue();
    assertThat(creator.post("/api/v1/users/" + creator.userId + "/block", "").statusCode())
        .isEqualTo(400);

    var follow = troll.post("/api/v1/users/" + creator.userId + "/follow", "");
    assertThat(follow.statusCode()).as(follow.body()).isEqualTo(403);
    var comment = troll.post(comments, "{\"text\":\"again\"}");
    assertThat(comment.statusCode()).as(comment.body()).isEqualTo(403);
    assertThat(comment.body()).contains("blocked you");
    // others are not affected
    assertThat(friend.post("/api/v1/users/" + creator.userId + "/follow", "").statusCode())
        .isEqualTo(200);

    JsonNode seenByCreator = creator.json(creator.get(comments));
    assertThat(seenByCreator.get("items").findValuesAsText("text"))
        .contains("nice")
        .doesNotContain("first!");
    JsonNode seenByFriend = friend.json(friend.get(comments));
    assertThat(seenByFriend.get("items").findValuesAsText("text")).contains("nice", "first!");

    var unblocked = creator.delete("/api/v1/users/" + troll.userId + "/block");
    assertThat(creator.json(unblocked).get("blocked").asBoolean()).isFalse();
    assertThat(troll.post("/api/v1/users/" + creator.userId + "/follow", "").statusCode())
        .isEqualTo(200);
  }

  private static ApiClient moderator() {
    ApiClient moderator = new ApiClient(TestCluster.get().baseUrl());
    moderator.token =
        new io.flick.api.auth.TokenService(
                TestCluster.JWT_SECRET, Duration.ofHours(1), java.time.Clock.systemUTC())
            .issue(TestCluster.MODERATOR_ID, "moderator")
            .token();
    return moderator;
  }

  @Test
  void theModerationHookQueuesAVideoWithABlocklistedHashtagBeforeReady() throws Exception {
    ApiClient uploader = ApiClient.signedUp(TestCluster.get(), "flagged");
    byte[] clip = ApiClient.testClip(clips, 2);
    String flagged =
        uploader.upload(
            clip, "video/mp4", "look", java.util.List.of("#" + TestCluster.BLOCKLISTED));
    assertThat(uploader.awaitOutcome(flagged).get("status").asText()).isEqualTo("READY");
    JsonNode queue =
        moderator()
            .awaitJson(
                "/api/v1/moderation/reports?limit=200",
                page -> page.get("items").findValuesAsText("targetId").contains(flagged),
                Duration.ofSeconds(60));
    assertThat(queue.toString()).contains("#" + TestCluster.BLOCKLISTED + " is on the blocklist");
  }

  @Test
  void aReportLandsInTheModerationQueueForModeratorsOnly() throws Exception {
    ApiClient reporter = ApiClient.signedUp(TestCluster.get(), "reporter");
    var bad =
        reporter.post(
            "/api/v1/reports",
            "{\"targetKind\":\"video\",\"targetId\":\"" + videoId + "\",\"reason\":\"because\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("reason must be one of");
    var missing =
        reporter.post(
            "/api/v1/reports",
            "{\"targetKind\":\"video\",\"targetId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaa\",\"reason\":\"spam\"}");
    assertThat(missing.statusCode()).isEqualTo(404);

    var filed =
        reporter.post(
            "/api/v1/reports",
            "{\"targetKind\":\"video\",\"targetId\":\""
                + videoId
                + "\",\"reason\":\"spam\",\"text\":\"sells followers\"}");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String reportId = reporter.json(filed).get("id").asText();

    // not a moderator
    assertThat(reporter.get("/api/v1/moderation/reports").statusCode()).isEqualTo(403);
    JsonNode queue =
        moderator()
            .awaitJson(
                "/api/v1/moderation/reports",
                page -> page.get("items").findValuesAsText("reportId").contains(reportId),
                Duration.ofSeconds(60));
    assertThat(queue.toString()).contains("sells followers").contains("SPAM");
  }
}
