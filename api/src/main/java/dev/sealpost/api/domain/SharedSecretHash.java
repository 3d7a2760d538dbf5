package dev.sealpost.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The slow hash of a SHARED_SECRET (a low-entropy secret a sender tells the recipient out of band):
 * PBKDF2-HMAC-SHA256 (JCE), 600,000 iterations (OWASP 2023), a 16-byte random salt, 32-byte output.
 * Stored as {@code pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>}, so the cost can grow
 * later and old hashes still verify.
 */
public final class SharedSecretHash {
  public static final int ITERATIONS = 600_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private SharedSecretHash() {}

  public static String hash(String secret) {
    return hash(secret, ITERATIONS);
  }

  static String hash(String secret, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] h = pbkdf2(secret, salt, iterations);
    return PREFIX + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(h);
  }

  /** Constant-time comparison; false for a malformed stored value. */
  public static boolean verify(String secret, String stored) {
    if (secret == null || stored == null) {
      return false;
    }
    String[] p = stored.split("\\$");
    if (p.length != 4 || !p[0].equals(PREFIX)) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(p[1]);
      if (iterations < 1 || iterations > 10_000_000) {
        return false;
      }
      byte[] expected = B64D.decode(p[3]);
      return MessageDigest.isEqual(expected, pbkdf2(secret, B64D.decode(p[2]), iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
    // Normalise nothing but the encoding: the recipient types what the sender typed.
    char[] chars =
        new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    } finally {
      spec.clearPassword();
    }
  }
}
