package dev.sealpost.api.application;

import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.WrappedKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps a small secret (a link secret waiting to be mailed, a stored idempotent answer) only in
 * encrypted form: AES-256-GCM under a fresh KeyService data key bound to a {@link KeyContext}.
 * Stored as {@code sb1.<wrapped data key>.<b64url(nonce || ciphertext)>}. Deleting the string (or
 * the key service losing the master key) destroys the secret.
 */
public final class SecretBox implements SecretSealer {
  private static final String PREFIX = "sb1";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final KeyService keys;

  public SecretBox(KeyService keys) {
    this.keys = keys;
  }

  @Override
  public String seal(KeyContext context, byte[] plaintext) {
    try (DataKey key = keys.generateDataKey(context)) {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      byte[] ct = cipher(Cipher.ENCRYPT_MODE, key, nonce, context).doFinal(plaintext);
      byte[] out = new byte[12 + ct.length];
      System.arraycopy(nonce, 0, out, 0, 12);
      System.arraycopy(ct, 0, out, 12, ct.length);
      return PREFIX + "." + key.wrapped().value() + "." + B64.encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * @throws KeyUnavailableException when it does not open under this context
   */
  @Override
  public byte[] open(KeyContext context, String sealed) {
    String[] parts = sealed.split("\\.");
    if (parts.length != 3 || !parts[0].equals(PREFIX)) {
      throw new KeyUnavailableException("not a sealed secret");
    }
    try (DataKey key = keys.decryptDataKey(new WrappedKey(parts[1]), context)) {
      byte[] in = B64D.decode(parts[2]);
      if (in.length < 28) {
        throw new KeyUnavailableException("sealed secret too short");
      }
      return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(in, 12), context)
          .doFinal(in, 12, in.length - 12);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyUnavailableException("sealed secret does not open");
    }
  }

  private static Cipher cipher(int mode, DataKey key, byte[] nonce, KeyContext context)
      throws GeneralSecurityException {
    byte[] k = key.bytes();
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(context.associatedData());
      return c;
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }
}
