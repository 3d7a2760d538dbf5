package dev.sealpost.envelope;

import dev.sealpost.internal.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The 256-bit secret in a consumer link's URL fragment ({@code .../v/{envelopeId}/{recipientId}#
 * {linkSecret}}). From it, HKDF-SHA256 derives two independent values: the {@link #token() link
 * token}, which the viewer sends to the server (the server stores only its hash), and the {@link
 * #linkShare() link share}, which never leaves the recipient's browser and is half of the input to
 * the {@link LinkKek}.
 *
 * <p>{@code toString()} is redacted; {@code equals} compares in constant time.
 *
 * <pre>{@code
 * LinkSecret secret = LinkSecret.generate();
 * String fragment = secret.toBase64Url();          // goes into the emailed link only
 * byte[] tokenHash = sha256(secret.token());      // what the server stores
 * }</pre>
 */
public final class LinkSecret {
  static final int LENGTH = 32;
  private static final byte[] TOKEN_INFO =
      "sealpost link token v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHARE_INFO =
      "sealpost link share v1".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] secret;

  private LinkSecret(byte[] secret) {
    this.secret = secret;
  }

  /** A fresh secret from {@link SecureRandom}. */
  public static LinkSecret generate() {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    return new LinkSecret(bytes);
  }

  /**
   * Reads a secret as it appears in a link fragment: base64url without padding, 32 bytes.
   *
   * @throws IllegalArgumentException if the text is not exactly that (the message never repeats it)
   */
  public static LinkSecret fromBase64Url(String encoded) {
    if (encoded == null || encoded.length() != 43 || !encoded.matches("[A-Za-z0-9_-]{43}")) {
      throw new IllegalArgumentException("a link secret is 43 base64url characters");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a link secret is 43 base64url characters");
    }
    // Reject non-canonical encodings (stray low bits in the last character).
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(encoded)) {
      throw new IllegalArgumentException("a link secret is 43 base64url characters");
    }
    return new LinkSecret(bytes);
  }

  /** The secret as it goes into the link fragment: base64url without padding. */
  public String toBase64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /**
   * {@code HKDF-SHA256(ikm=secret, salt=empty, info="sealpost link token v1", L=32)}: what the
   * viewer presents to the server. A fresh copy on each call.
   */
  public byte[] token() {
    return Hkdf.sha256(secret, new byte[0], TOKEN_INFO, 32);
  }

  /** {@link #token()} as base64url without padding, as it travels in API requests. */
  public String tokenBase64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token());
  }

  /**
   * {@code HKDF-SHA256(ikm=secret, salt=empty, info="sealpost link share v1", L=32)}: the half of
   * the link key that only the link holder has. A fresh copy on each call.
   */
  public byte[] linkShare() {
    return Hkdf.sha256(secret, new byte[0], SHARE_INFO, 32);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinkSecret && MessageDigest.isEqual(secret, ((LinkSecret) o).secret);
  }

  @Override
  public int hashCode() {
    return LinkSecret.class.hashCode();
  }

  @Override
  public String toString() {
    return "LinkSecret[redacted]";
  }
}
