package io.flick.common;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Opaque ids: 16 random bytes, URL-safe base32 without padding (26 chars, lower case). */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Pattern VALID = Pattern.compile("[a-z2-7]{26}");

  private Ids() {}

  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    StringBuilder out = new StringBuilder(26);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  /** Whether {@code id} has the shape of an id this class makes; routes answer 404 early if not. */
  public static boolean isWellFormed(String id) {
    return id != null && VALID.matcher(id).matches();
  }
}
