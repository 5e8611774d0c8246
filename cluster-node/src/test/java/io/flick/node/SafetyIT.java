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
 * Report, block and moderation over real HTTP: a blocked user can no longer follow or comment on
 * the blocker's video, the blocker no longer sees their comments, a report reaches the moderation
 * queue (a projection) where only a moderator may read it, the moderation hook holds a flagged
 * upload until a moderator releases it, a moderator's removal takes a video and a comment off every
 * list (and the video's media out of the bucket), and the audit log shows every action.
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
  void theModerationHookHoldsAVideoWithABlocklistedHashtagUntilAModeratorReleasesIt()
      throws Exception {
    ApiClient uploader = ApiClient.signedUp(TestCluster.get(), "flagged");
    ApiClient someone = ApiClient.signedUp(TestCluster.get(), "someone");
    ApiClient moderator = moderator();
    byte[] clip = ApiClient.testClip(clips, 2);
    String flagged =
        uploader.upload(
            clip, "video/mp4", "look", java.util.List.of("#" + TestCluster.BLOCKLISTED));
    JsonNode outcome = uploader.awaitOutcome(flagged);
    assertThat(outcome.get("status").asText()).isEqualTo("HELD");
    // held: nobody but its creator sees it, and it plays nowhere
    assertThat(someone.get("/api/v1/videos/" + flagged).statusCode()).isEqualTo(404);
    assertThat(outcome.has("hls")).as(outcome.toString()).isFalse();
    JsonNode queue =
        moderator.awaitJson(
            "/api/v1/moderation/reports?limit=200",
            page -> page.get("items").findValuesAsText("targetId").contains(flagged),
            Duration.ofSeconds(60));
    assertThat(queue.toString()).contains("#" + TestCluster.BLOCKLISTED + " is on the blocklist");

    // only moderators act, with a reason
    String release = "/api/v1/moderation/videos/" + flagged + "/release";
    assertThat(uploader.post(release, "").statusCode()).isEqualTo(403);
    var released = moderator.post(release, "");
    assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
    assertThat(moderator.json(released).get("status").asText()).isEqualTo("READY");
    uploader.awaitListed(flagged);
    assertThat(someone.get("/api/v1/videos/" + flagged).statusCode()).isEqualTo(200);

    JsonNode audit =
        moderator.awaitJson(
            "/api/v1/moderation/audit?limit=200",
            page ->
                page.get("items").findValuesAsText("targetId").stream()
                        .filter(flagged::equals)
                        .count()
                    == 2,
            Duration.ofSeconds(60));
    assertThat(audit.toString()).contains("moderation-hook").contains(TestCluster.MODERATOR_ID);
    // the queue shows what was done since the report
    JsonNode report = null;
    for (JsonNode item :
        moderator.json(moderator.get("/api/v1/moderation/reports?limit=200")).get("items")) {
      if (item.get("targetId").asText().equals(flagged)) {
        report = item;
      }
    }
    assertThat(report).isNotNull();
    assertThat(report.path("handled").path("action").asText()).isEqualTo("release");
  }

  @Test
  void aModeratorRemovesAVideoAndACommentAndBothAreGoneEverywhere() throws Exception {
    ApiClient uploader = ApiClient.signedUp(TestCluster.get(), "removed");
    ApiClient viewer = ApiClient.signedUp(TestCluster.get(), "viewer");
    ApiClient moderator = moderator();
    // a look no other test uploads: a removed video's near-duplicates are held from now on
    byte[] clip = ApiClient.clip(clips, "life=size=360x640:rate=30:seed=7:ratio=0.3:mold=10", 2);
    String video = uploader.upload(clip, "video/mp4", "soon gone #modgone");
    assertThat(uploader.awaitOutcome(video).get("status").asText()).isEqualTo("READY");
    uploader.awaitListed(video);
    String master = uploader.json(uploader.get("/api/v1/videos/" + video)).path("hls").asText();
    assertThat(master).isNotBlank();

    String comments = "/api/v1/videos/" + videoId + "/comments";
    var posted = viewer.post(comments, "{\"text\":\"buy followers at example\"}");
    assertThat(posted.statusCode()).isEqualTo(201);
    String commentId = viewer.json(posted).get("id").asText();

    var noReason = moderator.post("/api/v1/moderation/videos/" + video + "/remove", "{}");
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason is required");
    assertThat(
            viewer
                .post(
                    "/api/v1/moderation/comments/" + commentId + "/remove", "{\"reason\":\"spam\"}")
                .statusCode())
        .isEqualTo(403);

    var removed =
        moderator.post(
            "/api/v1/moderation/videos/" + video + "/remove", "{\"reason\":\"violence\"}");
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    var commentRemoved =
        moderator.post(
            "/api/v1/moderation/comments/" + commentId + "/remove", "{\"reason\":\"spam\"}");
    assertThat(commentRemoved.statusCode()).as(commentRemoved.body()).isEqualTo(200);

    assertThat(viewer.get("/api/v1/videos/" + video).statusCode()).isEqualTo(404);
    uploader.awaitJson(
        "/api/v1/users/" + uploader.userId + "/videos",
        page -> !page.get("items").findValuesAsText("id").contains(video),
        Duration.ofSeconds(30));
    // media removed from the bucket by the listing projection
    uploader.awaitStatus(master, 404, Duration.ofSeconds(30));
    assertThat(viewer.json(viewer.get(comments)).get("items").findValuesAsText("id"))
        .doesNotContain(commentId);
    JsonNode audit =
        moderator.awaitJson(
            "/api/v1/moderation/audit?limit=200",
            page ->
                page.get("items")
                    .findValuesAsText("targetId")
                    .containsAll(java.util.List.of(video, commentId)),
            Duration.ofSeconds(60));
    assertThat(audit.toString()).contains("violence").contains("spam");
  }

  @Test
  void aReUploadOfARemovedVideoIsHeldAndOneOfAnotherCreatorsIsLinkedForModerators()
      throws Exception {
    ApiClient original = ApiClient.signedUp(TestCluster.get(), "orig");
    ApiClient copier = ApiClient.signedUp(TestCluster.get(), "copier");
    ApiClient again = ApiClient.signedUp(TestCluster.get(), "again");
    ApiClient moderator = moderator();
    // a look no other test uploads, long enough for the match rule (>= 3 sampled seconds)
    byte[] clip = ApiClient.clip(clips, "mandelbrot=size=360x640:rate=30", 5);

    double indexed = metric("flick_duplicates_indexed_videos");
    String first = original.upload(clip, "video/mp4", "my fractal");
    assertThat(original.awaitOutcome(first).get("status").asText()).isEqualTo("READY");
    awaitMetricAbove("flick_duplicates_indexed_videos", indexed);

    // someone else's copy: READY, but linked to the original in the moderation queue
    String copy = copier.upload(clip, "video/mp4", "not my fractal");
    assertThat(copier.awaitOutcome(copy).get("status").asText()).isEqualTo("READY");
    JsonNode queue =
        moderator.awaitJson(
            "/api/v1/moderation/reports?limit=200",
            page -> page.get("items").findValuesAsText("targetId").contains(copy),
            Duration.ofSeconds(60));
    assertThat(queue.toString()).contains("near-duplicate of video " + first);

    double removed = metric("flick_duplicates_removed_videos");
    var remove =
        moderator.post(
            "/api/v1/moderation/videos/" + first + "/remove", "{\"reason\":\"copyright\"}");
    assertThat(remove.statusCode()).as(remove.body()).isEqualTo(200);
    awaitMetricAbove("flick_duplicates_removed_videos", removed);

    // a re-upload of the removed video: held, never listed
    String reupload = again.upload(clip, "video/mp4", "fractal again");
    assertThat(again.awaitOutcome(reupload).get("status").asText()).isEqualTo("HELD");
    JsonNode held =
        moderator.awaitJson(
            "/api/v1/moderation/reports?limit=200",
            page -> page.get("items").findValuesAsText("targetId").contains(reupload),
            Duration.ofSeconds(60));
    assertThat(held.toString()).contains("near-duplicate of removed video " + first);
  }

  /** The node's value of an unlabelled gauge on /metrics. */
  private static double metric(String name) throws Exception {
    String body = new ApiClient(TestCluster.get().baseUrl()).get("/metrics").body();
    return body.lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).strip()))
        .findFirst()
        .orElse(0);
  }

  /** Waits until the finder has read a new fact: it reads them every couple of seconds. */
  private static void awaitMetricAbove(String name, double before) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (metric(name) <= before) {
      assertThat(System.nanoTime()).as(name + " stayed at " + before).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void theModeratorRoleIsGrantedAndRevokedByTheOperatorsCommandNotByTheApi() throws Exception {
    ApiClient user = ApiClient.signedUp(TestCluster.get(), "promoted");
    assertThat(user.get("/api/v1/moderation/reports").statusCode()).isEqualTo(403);
    String node = "127.0.0.1:" + TestCluster.get().node().grpcPort();
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    int granted =
        ModeratorCommand.run(
            java.util.List.of("grant", "@" + user.handle, "--node", node),
            new java.io.PrintStream(out),
            new java.io.PrintStream(err));
    assertThat(granted).as(err.toString()).isZero();
    assertThat(out.toString()).contains("moderator: " + user.userId);
    // each node remembers a role for a few seconds
    user.awaitStatus("/api/v1/moderation/reports", 200, Duration.ofSeconds(30));

    assertThat(
            ModeratorCommand.run(
                java.util.List.of("revoke", user.userId, "--node", node),
                new java.io.PrintStream(out),
                new java.io.PrintStream(err)))
        .isZero();
    user.awaitStatus("/api/v1/moderation/reports", 403, Duration.ofSeconds(30));
    assertThat(
            ModeratorCommand.run(
                java.util.List.of("grant", "nobody-by-that-name", "--node", node),
                new java.io.PrintStream(out),
                new java.io.PrintStream(err)))
        .isEqualTo(1);
    assertThat(err.toString()).contains("no user nobody-by-that-name");
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
