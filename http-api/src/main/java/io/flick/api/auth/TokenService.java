package io.flick.api.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Signed, expiring session tokens (HS256 JWT); every node shares the secret. A token this node has
 * verified is remembered (by its exact text, until it expires or for {@link #REMEMBER} at most), so
 * a client's every request does not pay for decoding and the HMAC again; tokens are stateless (no
 * revocation), so remembering one answers exactly what verifying it again would.
 */
public final class TokenService {
  private static final String ISSUER = "flick";
  private static final Duration REMEMBER = Duration.ofMinutes(5);
  private static final int REMEMBERED = 100_000;

  private record Verified(Caller caller, Instant expiresAt) {}

  /** What a valid token says about its bearer. */
  public record Caller(String userId, String handle, String region) {}

  /** A token and when it stops working. */
  public record IssuedToken(String token, Instant expiresAt) {}

  /** Why a token was refused; the text is safe to show the client. */
  public static final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
      super(message);
    }
  }

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Duration ttl;
  private final Clock clock;
  private final Cache<String, Verified> verified =
      Caffeine.newBuilder().maximumSize(REMEMBERED).expireAfterWrite(REMEMBER).build();

  public TokenService(String secret, Duration ttl, Clock clock) {
    if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("the token secret must be at least 32 bytes");
    }
    this.algorithm = Algorithm.HMAC256(secret);
    this.ttl = ttl;
    this.clock = clock;
    this.verifier =
        ((JWTVerifier.BaseVerification) JWT.require(algorithm).withIssuer(ISSUER)).build(clock);
  }

  public IssuedToken issue(String userId, String handle) {
    return issue(userId, handle, "ZZ");
  }

  public IssuedToken issue(String userId, String handle, String region) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    String token =
        JWT.create()
            .withIssuer(ISSUER)
            .withSubject(userId)
            .withClaim("handle", handle)
            .withClaim("region", region)
            .withIssuedAt(now)
            .withExpiresAt(expiresAt)
            .sign(algorithm);
    return new IssuedToken(token, expiresAt);
  }

  public Caller verify(String token) {
    Verified known = verified.getIfPresent(token);
    if (known != null && clock.instant().isBefore(known.expiresAt())) {
      return known.caller();
    }
    try {
      DecodedJWT jwt = verifier.verify(token);
      String subject = jwt.getSubject();
      if (subject == null || subject.isEmpty()) {
        throw new InvalidTokenException("token has no subject");
      }
      String region = jwt.getClaim("region").asString();
      Caller caller =
          new Caller(subject, jwt.getClaim("handle").asString(), region == null ? "ZZ" : region);
      if (jwt.getExpiresAtAsInstant() != null) {
        verified.put(token, new Verified(caller, jwt.getExpiresAtAsInstant()));
      }
      return caller;
    } catch (TokenExpiredException e) {
      throw new InvalidTokenException("token expired; log in again");
    } catch (JWTVerificationException e) {
      throw new InvalidTokenException("token is not valid");
    }
  }
}
