package io.flick.api.media;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring media URLs. The signature covers a key <em>prefix</em> (a video's folder) and an
 * expiry and sits in the URL path, {@code /media/<expiry>/<signature>/<key>}, so the relative URIs
 * inside an HLS playlist (rung playlists, segments) resolve under the same signed prefix and stay
 * fetchable; a CDN in front can verify the same scheme.
 */
public final class MediaSigner {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** A request's path after /media/, taken apart. */
  public record SignedPath(long expiresEpochSecond, String signature, String prefix, String key) {}

  private final byte[] secret;
  private final Duration ttl;
  private final Clock clock;

  public MediaSigner(String secret, Duration ttl, Clock clock) {
    if (secret == null || secret.length() < 32) {
      throw new IllegalArgumentException("the media signing secret must be at least 32 characters");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * A URL path for {@code key}, valid for every key under {@code prefix} (which must end in '/')
   * until the TTL passes.
   */
  public String sign(String prefix, String key) {
    if (!prefix.endsWith("/") || !key.startsWith(prefix)) {
      throw new IllegalArgumentException("key " + key + " is not under prefix " + prefix);
    }
    long expires = clock.instant().plus(ttl).getEpochSecond();
    // the prefix is carried as its depth so that the verifier knows what was signed
    int depth = (int) prefix.chars().filter(c -> c == '/').count();
    return "/media/" + expires + "." + depth + "/" + mac(expires, prefix) + "/" + key;
  }

  public Instant expiryOf(String signedPath) {
    String rest = signedPath.substring("/media/".length());
    return Instant.ofEpochSecond(Long.parseLong(rest.substring(0, rest.indexOf('.'))));
  }

  /**
   * The object key when the path carries a valid, unexpired signature; empty otherwise (answer
   * 403). Path tricks must have been refused before (see {@link #isSafeKey}).
   */
  public Optional<String> verify(String expiryAndDepth, String signature, String key) {
    int dot = expiryAndDepth.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    long expires;
    int depth;
    try {
      expires = Long.parseLong(expiryAndDepth.substring(0, dot));
      depth = Integer.parseInt(expiryAndDepth.substring(dot + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (expires < clock.instant().getEpochSecond() || depth < 1) {
      return Optional.empty();
    }
    String[] parts = key.split("/", -1);
    if (parts.length <= depth) {
      return Optional.empty();
    }
    String prefix = String.join("/", java.util.Arrays.copyOf(parts, depth)) + "/";
    byte[] expected = mac(expires, prefix).getBytes(StandardCharsets.US_ASCII);
    boolean valid = MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    return valid ? Optional.of(key) : Optional.empty();
  }

  /** Seconds until a verified {@code <expiry>.<depth>} path element expires (0 when unparsable). */
  public long secondsLeft(String expiryAndDepth) {
    int dot = expiryAndDepth.indexOf('.');
    try {
      long expires = Long.parseLong(dot < 0 ? expiryAndDepth : expiryAndDepth.substring(0, dot));
      return Math.max(0, expires - clock.instant().getEpochSecond());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Object keys are plain relative paths: no '..', '.', empty segments, backslashes or controls.
   */
  public static boolean isSafeKey(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("%")) {
      return false;
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return key.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  private String mac(long expires, String prefix) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((expires + "\n" + prefix).getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
