package dev.sealpost.api.infrastructure.keys;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for small values (keys) under a master key. Picks its own random 96-bit nonce:
 * callers never pass one. Output: nonce (12) || ciphertext || tag (16).
 */
final class AesGcm {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private AesGcm() {}

  static byte[] encrypt(byte[] key, byte[] plaintext, byte[] associatedData) {
    try {
      byte[] nonce = new byte[NONCE];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData);
      byte[] ct = c.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Throws {@link GeneralSecurityException} when the tag does not check out. */
  static byte[] decrypt(byte[] key, byte[] sealed, byte[] associatedData)
      throws GeneralSecurityException {
    if (sealed.length < NONCE + TAG_BITS / 8) {
      throw new GeneralSecurityException("too short");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
    c.updateAAD(associatedData);
    return c.doFinal(sealed, NONCE, sealed.length - NONCE);
  }
}
