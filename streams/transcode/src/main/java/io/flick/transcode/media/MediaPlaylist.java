package io.flick.transcode.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the media playlists ffmpeg's hls muxer writes, and writes Flick's own. */
final class MediaPlaylist {

  record Entry(String uri, double durationSeconds) {}

  record Parsed(List<Entry> entries, boolean ended) {}

  private MediaPlaylist() {}

  static Parsed parse(String text) {
    List<Entry> entries = new ArrayList<>();
    boolean ended = false;
    double pending = -1;
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#EXTINF:")) {
        String v = line.substring("#EXTINF:".length());
        int comma = v.indexOf(',');
        pending = Double.parseDouble(comma >= 0 ? v.substring(0, comma) : v);
      } else if (line.equals("#EXT-X-ENDLIST")) {
        ended = true;
      } else if (!line.startsWith("#") && pending >= 0) {
        entries.add(new Entry(line, pending));
        pending = -1;
      }
    }
    return new Parsed(List.copyOf(entries), ended);
  }

  /**
   * A playlist of the first {@code count} entries. VOD with ENDLIST when {@code complete}, EVENT
   * (may grow; with EXT-X-START at 0 so players begin at the beginning) otherwise. TARGETDURATION
   * is fixed at the segment length (a valid EVENT playlist must not change it) unless a segment is
   * longer.
   */
  static String render(List<Entry> entries, int count, double segmentSeconds, boolean complete) {
    long target = (long) Math.ceil(segmentSeconds - 1e-6);
    for (int i = 0; i < count; i++) {
      target = Math.max(target, Math.round(entries.get(i).durationSeconds()));
    }
    StringBuilder sb = new StringBuilder();
    sb.append("#EXTM3U\n");
    sb.append("#EXT-X-VERSION:3\n");
    sb.append("#EXT-X-TARGETDURATION:").append(target).append('\n');
    sb.append("#EXT-X-MEDIA-SEQUENCE:0\n");
    sb.append("#EXT-X-PLAYLIST-TYPE:").append(complete ? "VOD" : "EVENT").append('\n');
    sb.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (!complete) {
      // players treat a growing playlist as live and would join near its end; start at the start
      sb.append("#EXT-X-START:TIME-OFFSET=0\n");
    }
    for (int i = 0; i < count; i++) {
      Entry e = entries.get(i);
      sb.append(
          String.format(Locale.ROOT, "#EXTINF:%.6f,%n", e.durationSeconds()).replace("\r", ""));
      sb.append(e.uri()).append('\n');
    }
    if (complete) {
      sb.append("#EXT-X-ENDLIST\n");
    }
    return sb.toString();
  }
}
