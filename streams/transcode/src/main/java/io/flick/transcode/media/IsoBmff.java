package io.flick.transcode.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Walks the top-level boxes of an MP4/MOV file, only to explain why ffprobe could not open it:
 * "this is an MP4 whose moov atom is missing (upload cut off)" reads better than "not a video".
 * ffprobe says "moov atom not found" for random bytes named .mp4 too, so its message alone cannot
 * tell the two apart.
 */
final class IsoBmff {

  enum Shape {
    /** Does not start like an ISO base media file. */
    NOT_ISO,
    /** Boxes walk cleanly to the end and a moov box is present. */
    COMPLETE,
    /** Starts like an MP4/MOV, but the moov box is missing or a box runs past the end. */
    INCOMPLETE
  }

  private static final Set<String> FIRST_BOX_TYPES =
      Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "styp", "uuid", "pdin");

  private IsoBmff() {}

  static Shape shape(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      boolean first = true;
      boolean moov = false;
      ByteBuffer header = ByteBuffer.allocate(16);
      while (pos + 8 <= size) {
        header.clear();
        ch.read(header, pos);
        header.flip();
        if (header.remaining() < 8) {
          break;
        }
        long len = Integer.toUnsignedLong(header.getInt(0));
        String type = fourCc(header, 4);
        if (first && (type == null || !FIRST_BOX_TYPES.contains(type))) {
          return Shape.NOT_ISO;
        }
        first = false;
        if (type == null) {
          return Shape.INCOMPLETE;
        }
        if (len == 1) {
          if (header.remaining() < 16) {
            return Shape.INCOMPLETE;
          }
          len = header.getLong(8);
        } else if (len == 0) {
          len = size - pos;
        }
        if (len < 8) {
          return Shape.INCOMPLETE;
        }
        if ("moov".equals(type)) {
          moov = true;
        }
        if (pos + len > size) {
          return Shape.INCOMPLETE;
        }
        pos += len;
      }
      if (first) {
        return Shape.NOT_ISO;
      }
      return moov ? Shape.COMPLETE : Shape.INCOMPLETE;
    } catch (IOException e) {
      return Shape.NOT_ISO;
    }
  }

  private static String fourCc(ByteBuffer b, int at) {
    char[] c = new char[4];
    for (int i = 0; i < 4; i++) {
      int v = b.get(at + i) & 0xff;
      if (v < 0x20 || v > 0x7e) {
        return null;
      }
      c[i] = (char) v;
    }
    return new String(c);
  }
}
