package io.flick.user;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What makes a handle well-formed and a password acceptable; each rule says what is wrong. */
public final class AccountRules {
  private static final Pattern HANDLE = Pattern.compile("[a-z0-9][a-z0-9_.]{2,23}");
  private static final Pattern REGION = Pattern.compile("[A-Z]{2}");
  public static final int MIN_PASSWORD_LENGTH = 10;
  public static final int MAX_PASSWORD_LENGTH = 128;
  // the most common leaked passwords of the allowed length; a real deployment adds a breach list
  private static final Set<String> COMMON =
      Set.of(
          "1234567890",
          "0123456789",
          "qwertyuiop",
          "password12",
          "password123",
          "1q2w3e4r5t",
          "iloveyou12",
          "abcdefghij",
          "1111111111",
          "0000000000",
          "letmein123",
          "qwerty1234",
          "passw0rd12",
          "welcome123",
          "football12",
          "123456789a",
          "a123456789");

  private AccountRules() {}

  /** Handles are case-insensitive: the canonical form is lower case. */
  public static String canonicalHandle(String handle) {
    return handle == null ? "" : handle.strip().toLowerCase(Locale.ROOT);
  }

  public static Optional<String> handleProblem(String handle) {
    if (handle == null || handle.isBlank()) {
      return Optional.of("handle is required");
    }
    if (!HANDLE.matcher(canonicalHandle(handle)).matches()) {
      return Optional.of(
          "handle must be 3 to 24 characters of letters, digits, '_' or '.', starting with a"
              + " letter or digit");
    }
    return Optional.empty();
  }

  public static Optional<String> passwordProblem(String password, String handle) {
    if (password == null || password.isEmpty()) {
      return Optional.of("password is required");
    }
    if (password.length() < MIN_PASSWORD_LENGTH) {
      return Optional.of("password must be at least " + MIN_PASSWORD_LENGTH + " characters");
    }
    if (password.length() > MAX_PASSWORD_LENGTH) {
      return Optional.of("password must be at most " + MAX_PASSWORD_LENGTH + " characters");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (COMMON.contains(lower)
        || lower.chars().distinct().count() < 4
        || (!canonicalHandle(handle).isEmpty() && lower.contains(canonicalHandle(handle)))) {
      return Optional.of(
          "password is too easy to guess: use a longer phrase not based on the handle");
    }
    return Optional.empty();
  }

  /** The most characters (code points) a display name may have, as on the large platforms. */
  public static final int MAX_DISPLAY_NAME = 30;

  /**
   * A display name as kept: stripped, inner runs of white space made one space; null (no name) when
   * that leaves nothing.
   */
  public static String canonicalDisplayName(String name) {
    if (name == null) {
      return null;
    }
    String canonical = name.strip().replaceAll("\\s+", " ");
    return canonical.isEmpty() ? null : canonical;
  }

  /** Any text up to {@link #MAX_DISPLAY_NAME} characters, without control or format characters. */
  public static Optional<String> displayNameProblem(String name) {
    String canonical = canonicalDisplayName(name);
    if (canonical == null) {
      return Optional.empty(); // clears it
    }
    if (canonical.codePointCount(0, canonical.length()) > MAX_DISPLAY_NAME) {
      return Optional.of("displayName must be at most " + MAX_DISPLAY_NAME + " characters");
    }
    boolean unprintable =
        canonical
            .codePoints()
            .anyMatch(
                c -> {
                  int type = Character.getType(c);
                  return type == Character.CONTROL
                      || type == Character.FORMAT
                      || type == Character.UNASSIGNED
                      || type == Character.PRIVATE_USE
                      || type == Character.SURROGATE;
                });
    if (unprintable) {
      return Optional.of("displayName must not hold control, format or unassigned characters");
    }
    return Optional.empty();
  }

  /** Region is an ISO 3166 alpha-2 code; missing means "unknown" (ZZ). */
  public static Optional<String> regionProblem(String region) {
    if (region == null || region.isEmpty() || REGION.matcher(region).matches()) {
      return Optional.empty();
    }
    return Optional.of("region must be an ISO 3166 alpha-2 code such as US or DE");
  }

  public static String canonicalRegion(String region) {
    return region == null || region.isEmpty() ? "ZZ" : region;
  }
}
