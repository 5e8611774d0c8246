package io.flick.transcode.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 6381 CODECS strings from what the encoder actually wrote: the H.264 profile, constraint flags
 * and level are read from the sequence parameter set at the start of an MPEG-TS segment.
 */
final class Codecs {

  /** AAC-LC, what ffmpeg's native {@code aac} encoder produces. */
  static final String AAC_LC = "mp4a.40.2";

  private static final int TS_PACKET = 188;
  private static final int ES_BYTES_WANTED = 4096;

  private Codecs() {}

  /** e.g. {@code avc1.64001f,mp4a.40.2}; without the audio part when {@code audio} is false. */
  static Optional<String> forSegment(Path tsSegment, boolean audio) throws IOException {
    return avc1(tsSegment).map(v -> audio ? v + "," + AAC_LC : v);
  }

  static Optional<String> avc1(Path tsSegment) throws IOException {
    byte[] es = firstVideoElementaryBytes(tsSegment);
    for (int i = 0; i + 6 < es.length; i++) {
      if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1) {
        int nal = es[i + 3] & 0xff;
        if ((nal & 0x80) == 0 && (nal & 0x1f) == 7) {
          int profile = es[i + 4] & 0xff;
          int constraints = es[i + 5] & 0xff;
          int level = es[i + 6] & 0xff;
          return Optional.of(
              String.format(Locale.ROOT, "avc1.%02x%02x%02x", profile, constraints, level));
        }
      }
    }
    return Optional.empty();
  }

  /** The start of the first H.264 PES stream's payload, PES headers removed. */
  private static byte[] firstVideoElementaryBytes(Path tsSegment) throws IOException {
    ByteArrayOutputStream es = new ByteArrayOutputStream();
    int videoPid = -1;
    byte[] pkt = new byte[TS_PACKET];
    try (InputStream in = Files.newInputStream(tsSegment)) {
      while (es.size() < ES_BYTES_WANTED && in.readNBytes(pkt, 0, TS_PACKET) == TS_PACKET) {
        if ((pkt[0] & 0xff) != 0x47) {
          break;
        }
        int pid = ((pkt[1] & 0x1f) << 8) | (pkt[2] & 0xff);
        boolean unitStart = (pkt[1] & 0x40) != 0;
        int adaptation = (pkt[3] >> 4) & 0x3;
        if (adaptation == 0 || adaptation == 2) {
          continue;
        }
        int p = 4;
        if (adaptation == 3) {
          p += 1 + (pkt[4] & 0xff);
        }
        if (p >= TS_PACKET) {
          continue;
        }
        if (unitStart
            && p + 9 <= TS_PACKET
            && pkt[p] == 0
            && pkt[p + 1] == 0
            && pkt[p + 2] == 1
            && (pkt[p + 3] & 0xf0) == 0xe0) {
          if (videoPid == -1) {
            videoPid = pid;
          }
          if (pid == videoPid) {
            p += 9 + (pkt[p + 8] & 0xff);
          }
        }
        if (pid == videoPid && videoPid != -1 && p < TS_PACKET) {
          es.write(pkt, p, TS_PACKET - p);
        }
      }
    }
    return es.toByteArray();
  }
}
