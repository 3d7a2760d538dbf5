package dev.sealpost.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The clear text of an API key ({@code sp_} + base64url of 32 random bytes). Shown once, then only
 * its SHA-256 is stored: with 256 bits of entropy a fast hash is enough, and lookup is by hash so
 * no timing-sensitive comparison happens on the secret.
 */
public final class ApiKeySecret {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String value;

  private ApiKeySecret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static ApiKeySecret generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return new ApiKeySecret("sp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  /** A key presented by a client or preset by the operator. */
  public static ApiKeySecret of(String value) {
    return new ApiKeySecret(value);
  }

  /** The clear text: only for the one answer that shows it. */
  public String reveal() {
    return value;
  }

  public String hash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeySecret[redacted]";
  }
}
