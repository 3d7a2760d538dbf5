package dev.sealpost.envelope;

import dev.sealpost.internal.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key-encryption key of a consumer link recipient entry ({@code A256KW}):
 *
 * <pre>
 * kek = HKDF-SHA256(ikm = serverShare || linkShare, salt = UTF-8(envelopeId),
 *                   info = "sealpost link kek v1", L = 32)
 * </pre>
 *
 * <p>Neither share alone reveals anything about the KEK: the server (even with its database, bucket
 * and KMS) lacks the link share, and the email lacks the server share, which is released only after
 * the second factor. The envelope id as salt binds the KEK to one envelope.
 *
 * <p>{@code toString()} is redacted; {@code equals} compares in constant time.
 *
 * <pre>{@code
 * byte[] serverShare = LinkKek.generateServerShare();          // stored only KMS-encrypted
 * LinkKek kek = LinkKek.derive(serverShare, secret.linkShare(), envelopeId);
 * Recipient r = Recipient.link(recipientId, kek);
 * }</pre>
 */
public final class LinkKek {
  private static final byte[] INFO = "sealpost link kek v1".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  private LinkKek(byte[] key) {
    this.key = key;
  }

  /**
   * Derives the KEK for one envelope.
   *
   * @param serverShare 32 bytes, kept by the server
   * @param linkShare 32 bytes, {@link LinkSecret#linkShare()}
   * @param envelopeId the envelope's id, exactly as in its manifest
   * @throws IllegalArgumentException if a share is not 32 bytes or the id is empty
   */
  public static LinkKek derive(byte[] serverShare, byte[] linkShare, String envelopeId) {
    if (serverShare == null || serverShare.length != 32) {
      throw new IllegalArgumentException("the server share must be 32 bytes");
    }
    if (linkShare == null || linkShare.length != 32) {
      throw new IllegalArgumentException("the link share must be 32 bytes");
    }
    if (envelopeId == null || envelopeId.isEmpty()) {
      throw new IllegalArgumentException("the envelope id is required");
    }
    byte[] ikm = new byte[64];
    System.arraycopy(serverShare, 0, ikm, 0, 32);
    System.arraycopy(linkShare, 0, ikm, 32, 32);
    try {
      return new LinkKek(Hkdf.sha256(ikm, envelopeId.getBytes(StandardCharsets.UTF_8), INFO, 32));
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** 32 fresh random bytes from {@link SecureRandom}, for a new envelope's server share. */
  public static byte[] generateServerShare() {
    byte[] share = new byte[32];
    RANDOM.nextBytes(share);
    return share;
  }

  /** A copy of the key, for the SDK's own use. */
  byte[] keyBytes() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinkKek && MessageDigest.isEqual(key, ((LinkKek) o).key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(LinkKek.class);
  }

  @Override
  public String toString() {
    return "LinkKek[redacted]";
  }
}
