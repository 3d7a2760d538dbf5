package dev.sealpost.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 exactly as RFC 5869 (extract, then expand) over the JCE's HmacSHA256. Nothing beyond
 * the RFC.
 */
public final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LEN = 32;

  private Hkdf() {}

  /**
   * {@code HKDF-Expand(HKDF-Extract(salt, ikm), info, length)}.
   *
   * @param ikm input keying material
   * @param salt the salt; empty means a string of 32 zero bytes (RFC 5869 section 2.2)
   * @param info context, may be empty
   * @param length output length in bytes, at most 255 * 32
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_LEN) {
      throw new IllegalArgumentException("HKDF output length out of range");
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      byte[] saltOrZeros = salt.length == 0 ? new byte[HASH_LEN] : salt;
      mac.init(new SecretKeySpec(saltOrZeros, HMAC));
      byte[] prk = mac.doFinal(ikm);
      try {
        return expand(mac, prk, info, length);
      } finally {
        Arrays.fill(prk, (byte) 0);
      }
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HMAC key rejected", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] expand(Mac mac, byte[] prk, byte[] info, int length)
      throws InvalidKeyException {
    mac.init(new SecretKeySpec(prk, HMAC));
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int written = 0;
    for (int i = 1; written < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - written);
      System.arraycopy(t, 0, out, written, n);
      written += n;
    }
    Arrays.fill(t, (byte) 0);
    return out;
  }
}
