package io.flick.api.social;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The anonymous viewer's id: a random id, the day it was issued and an HMAC over both, in an
 * HttpOnly cookie. A cookie is honoured for {@link #VALID_DAYS} days and re-issued (rotated) once a
 * day has passed; one not signed by us, or expired, is ignored and replaced. A valid cookie is not
 * trusted blindly: anonymous views are also capped per address ({@link ViewGuard}).
 */
public final class ViewerCookie {
  public static final String NAME = "flick_viewer";
  static final int VALID_DAYS = 2;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;
  private final Clock clock;

  public ViewerCookie(String secret, Clock clock) {
    this.key = ("viewer-cookie:" + secret).getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /** The viewer id the cookie carries when it is ours and current. */
  public Optional<String> verify(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.split("\\.");
    if (parts.length != 3 || parts[0].length() != 22) {
      return Optional.empty();
    }
    long day;
    try {
      day = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    long today = today();
    if (day > today || today - day >= VALID_DAYS) {
      return Optional.empty();
    }
    byte[] expected = mac(parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    return Optional.of(parts[0]);
  }

  /** True when a verified cookie should be replaced by a new one (issued before today). */
  public boolean stale(String value) {
    String[] parts = value.split("\\.");
    return parts.length != 3 || !parts[1].equals(Long.toString(today()));
  }

  /** A fresh cookie value. */
  public String issue() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String body = B64.encodeToString(id) + "." + today();
    return body + "." + mac(body);
  }

  private long today() {
    return clock.millis() / 86_400_000L;
  }

  private String mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return B64.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
