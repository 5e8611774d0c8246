package io.flick.transcode.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PlaylistsTest {

  @Test
  void peakIsOverRunsOfHalfToOneAndAHalfTargetDurations() {
    // 2 s segments of 250 kB (1 Mbit/s), one of 500 kB (2 Mbit/s), a 0.2 s tail of 100 kB
    long[] bytes = {250_000, 500_000, 250_000, 100_000};
    double[] secs = {2, 2, 2, 0.2};
    // the tail alone (4 Mbit/s over 0.2 s) is too short to count; with its neighbour it is
    // (350 kB over 2.2 s)
    assertThat(RungOutput.peakBitrate(bytes, secs, 2)).isEqualTo(2_000_000);
    assertThat(RungOutput.peakBitrate(new long[] {100_000}, new double[] {0.5}, 2))
        .isEqualTo(1_600_000);
  }

  @Test
  void mediaPlaylistRoundTripsAndSwitchesFromEventToVod() {
    String ffmpegStyle =
        """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:EVENT
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXTINF:2.000000,
        seg_00000.ts
        #EXTINF:1.500000,
        seg_00001.ts
        #EXT-X-ENDLIST
        """;
    MediaPlaylist.Parsed p = MediaPlaylist.parse(ffmpegStyle);
    assertThat(p.ended()).isTrue();
    assertThat(p.entries())
        .containsExactly(
            new MediaPlaylist.Entry("seg_00000.ts", 2.0),
            new MediaPlaylist.Entry("seg_00001.ts", 1.5));
    String growing = MediaPlaylist.render(p.entries(), 1, 2, false);
    assertThat(growing)
        .contains("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-START:TIME-OFFSET=0", "seg_00000.ts")
        .doesNotContain("seg_00001.ts", "ENDLIST");
    String done = MediaPlaylist.render(p.entries(), 2, 2, true);
    assertThat(done)
        .contains("#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-TARGETDURATION:2")
        .doesNotContain("EXT-X-START")
        .endsWith("seg_00001.ts\n#EXT-X-ENDLIST\n");
  }

  @Test
  void masterPlaylistCarriesAllFiveAttributes() {
    String m =
        MasterPlaylist.render(
            List.of(
                new MasterPlaylist.Variant(
                    "360p/index.m3u8", 900_000, 700_000, 360, 640, 30, "avc1.64001e,mp4a.40.2")));
    assertThat(m)
        .isEqualTo(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n"
                + "#EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,"
                + "RESOLUTION=360x640,FRAME-RATE=30.000,CODECS=\"avc1.64001e,mp4a.40.2\"\n"
                + "360p/index.m3u8\n");
    MasterPlaylist.Variant nominal =
        MasterPlaylist.Variant.nominal(
            new Rung("360p", 360, 640, 800, 1600, 96), 30, "avc1.64001e", "u");
    assertThat(nominal.bandwidth()).as("no audio in CODECS: video cap + 10%").isEqualTo(880_000);
  }
}
