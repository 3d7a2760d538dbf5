package dev.sealpost.api.infrastructure.keys;

import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.WrappedKey;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@link SecretSealer} on the one AES-256-GCM helper ({@link AesGcm}): a fresh {@link KeyService}
 * data key per secret, the {@link KeyContext} as associated data. Stored as {@code sb1.<wrapped
 * data key>.<b64url(nonce || ciphertext || tag)>}, the format the server has always written, so
 * secrets sealed before this class existed still open.
 */
public final class AesGcmSecretSealer implements SecretSealer {
  private static final String PREFIX = "sb1";
  private static final int MIN_SEALED = 12 + 16;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final KeyService keys;

  public AesGcmSecretSealer(KeyService keys) {
    this.keys = keys;
  }

  @Override
  public String seal(KeyContext context, byte[] plaintext) {
    try (DataKey key = keys.generateDataKey(context)) {
      byte[] k = key.bytes();
      try {
        byte[] sealed = AesGcm.encrypt(k, plaintext, context.associatedData());
        return PREFIX + "." + key.wrapped().value() + "." + B64.encodeToString(sealed);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    }
  }

  @Override
  public byte[] open(KeyContext context, String sealed) {
    String[] parts = sealed.split("\\.");
    if (parts.length != 3 || !parts[0].equals(PREFIX)) {
      throw new KeyUnavailableException("not a sealed secret");
    }
    try (DataKey key = keys.decryptDataKey(new WrappedKey(parts[1]), context)) {
      byte[] in = B64D.decode(parts[2]);
      if (in.length < MIN_SEALED) {
        throw new KeyUnavailableException("sealed secret too short");
      }
      byte[] k = key.bytes();
      try {
        return AesGcm.decrypt(k, in, context.associatedData());
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyUnavailableException("sealed secret does not open");
    }
  }
}
