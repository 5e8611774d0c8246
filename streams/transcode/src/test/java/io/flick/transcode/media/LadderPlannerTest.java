package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LadderPlannerTest {

  private final LadderPlanner planner = new LadderPlanner();

  static MediaInfo info(int w, int h, double fps) {
    return new MediaInfo(
        1000,
        "mov,mp4",
        10,
        "h264",
        w,
        h,
        0,
        w,
        h,
        fps,
        "yuv420p",
        Optional.of(new MediaInfo.Audio("aac", 2, 48000)));
  }

  @Test
  void portraitSourceGetsPortraitRungsSizedByTheShortSide() {
    LadderPlan plan = planner.plan(info(1080, 1920, 30));
    assertThat(plan.rungs())
        .extracting(Rung::name, Rung::width, Rung::height)
        .containsExactly(
            tuple("360p", 360, 640), tuple("720p", 720, 1280), tuple("1080p", 1080, 1920));
    // the classic mistake, scale=-2:360 on a portrait source, would give 202x360
    assertThat(plan.lowest().width()).isEqualTo(360);
  }

  @Test
  void landscapeSourceGetsLandscapeRungs() {
    LadderPlan plan = planner.plan(info(1920, 1080, 30));
    assertThat(plan.rungs())
        .extracting(Rung::width, Rung::height)
        .containsExactly(tuple(640, 360), tuple(1280, 720), tuple(1920, 1080));
  }

  @Test
  void neverUpscales() {
    LadderPlan plan = planner.plan(info(720, 1280, 30));
    assertThat(plan.rungs())
        .extracting(Rung::width, Rung::height)
        .containsExactly(tuple(360, 640), tuple(720, 1280));
    assertThat(plan.rungs()).allMatch(r -> r.width() <= 720 && r.height() <= 1280);
  }

  @Test
  void sourceBetweenRungsKeepsItsNativeSizeOnTop() {
    LadderPlan plan = planner.plan(info(540, 960, 30));
    assertThat(plan.rungs())
        .extracting(Rung::name, Rung::width, Rung::height)
        .containsExactly(tuple("360p", 360, 640), tuple("540p", 540, 960));
    assertThat(plan.highest().videoMaxrateKbps()).isBetween(800, 2500);
  }

  @Test
  void sourceJustAboveARungDoesNotGetANearDuplicateRung() {
    assertThat(planner.plan(info(400, 712, 30)).rungs())
        .extracting(Rung::width, Rung::height)
        .containsExactly(tuple(360, 640));
  }

  @Test
  void tinySourceGetsOneNativeRung() {
    LadderPlan plan = planner.plan(info(240, 426, 30));
    assertThat(plan.rungs()).extracting(Rung::width, Rung::height).containsExactly(tuple(240, 426));
    assertThat(plan.lowest().videoMaxrateKbps()).isLessThan(800);
  }

  @Test
  void hugeSourceIsCappedAtTheTopRung() {
    assertThat(planner.plan(info(2160, 3840, 30)).highest())
        .extracting(Rung::width, Rung::height)
        .containsExactly(1080, 1920);
  }

  @Test
  void tallPhoneAspectKeepsEvenDimensions() {
    LadderPlan plan = planner.plan(info(1080, 2340, 30));
    assertThat(plan.rungs())
        .extracting(Rung::width, Rung::height)
        .containsExactly(tuple(360, 780), tuple(720, 1560), tuple(1080, 2340));
    LadderPlan odd = planner.plan(info(1366, 768, 30));
    assertThat(odd.rungs()).allMatch(r -> r.width() % 2 == 0 && r.height() % 2 == 0);
    assertThat(odd.lowest()).extracting(Rung::width, Rung::height).containsExactly(640, 360);
  }

  @Test
  void frameRateIsSnappedAndCapped() {
    assertThat(planner.plan(info(720, 1280, 29.97)).frameRate()).isEqualTo(30000.0 / 1001);
    assertThat(planner.plan(info(720, 1280, 59.94)).frameRate()).isEqualTo(30);
    assertThat(planner.plan(info(720, 1280, 25)).frameRate()).isEqualTo(25);
    assertThat(planner.plan(info(720, 1280, 0)).frameRate()).isEqualTo(30);
    assertThat(HlsLadderTranscoder.fpsExpr(30000.0 / 1001)).isEqualTo("30000/1001");
    assertThat(HlsLadderTranscoder.fpsExpr(25)).isEqualTo("25");
  }

  @Test
  void bufferIsTwiceTheCap() {
    assertThat(planner.plan(info(1080, 1920, 30)).rungs())
        .allMatch(r -> r.videoBufsizeKbps() == 2 * r.videoMaxrateKbps());
  }
}
