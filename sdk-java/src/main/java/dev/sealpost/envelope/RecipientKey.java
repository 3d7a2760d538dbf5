package dev.sealpost.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Optional;

/**
 * The key a recipient opens an envelope with: the private half of a {@link Recipient}.
 *
 * <ul>
 *   <li>{@link #privateJwk(JWK)}: a partner's private RSA (2048 bits or more) or EC P-256 key.
 *   <li>{@link #link(LinkKek)} / {@link #link(String, LinkKek)}: a consumer link's KEK.
 *   <li>{@link #custody(String, byte[])}: the tenant's custody data key.
 * </ul>
 *
 * <p>If the key has a {@code kid}, only the entry with that {@code kid} is tried; otherwise every
 * entry whose algorithm fits the key. Immutable; {@code toString()} never shows key material.
 */
public final class RecipientKey {
  private final String keyId;
  private final JWEAlgorithm algorithm;
  private final JWEDecrypter decrypter;

  private RecipientKey(String keyId, JWEAlgorithm algorithm, JWEDecrypter decrypter) {
    this.keyId = keyId;
    this.algorithm = algorithm;
    this.decrypter = decrypter;
  }

  /**
   * A partner's private key: RSA of 2048 bits or more (entries {@code RSA-OAEP-256}) or EC P-256
   * (entries {@code ECDH-ES+A256KW}). Its {@code kid}, if any, selects the entry.
   *
   * @throws IllegalArgumentException for any other key or a public-only key
   */
  public static RecipientKey privateJwk(JWK privateKey) {
    if (!privateKey.isPrivate()) {
      throw new IllegalArgumentException("the recipient key must include its private part");
    }
    String kid = emptyToNull(privateKey.getKeyID());
    try {
      if (privateKey instanceof RSAKey) {
        RSAKey rsa = (RSAKey) privateKey;
        if (rsa.size() < 2048) {
          throw new IllegalArgumentException("the recipient key is RSA below 2048 bits");
        }
        return new RecipientKey(kid, JWEAlgorithm.RSA_OAEP_256, new RSADecrypter(rsa));
      }
      if (privateKey instanceof ECKey) {
        ECKey ec = (ECKey) privateKey;
        if (!Curve.P_256.equals(ec.getCurve())) {
          throw new IllegalArgumentException("the recipient key is EC but not on P-256");
        }
        return new RecipientKey(kid, JWEAlgorithm.ECDH_ES_A256KW, new ECDHDecrypter(ec));
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the recipient key cannot be used for decryption");
    }
    throw new IllegalArgumentException("the recipient key is neither RSA nor EC P-256");
  }

  /** A consumer link's KEK; every {@code A256KW} entry is tried. */
  public static RecipientKey link(LinkKek kek) {
    return aes(null, kek.keyBytes());
  }

  /** A consumer link's KEK for the entry whose {@code kid} is {@code recipientId}. */
  public static RecipientKey link(String recipientId, LinkKek kek) {
    if (recipientId == null || recipientId.isEmpty()) {
      throw new IllegalArgumentException("the recipient id is required");
    }
    return aes(recipientId, kek.keyBytes());
  }

  /**
   * The tenant's custody data key, for the entry {@code "custody:" + keyVersion}.
   *
   * @param key32 the 32-byte data key (copied)
   */
  public static RecipientKey custody(String keyVersion, byte[] key32) {
    return aes(Recipient.custodyKeyId(keyVersion), key32);
  }

  /** An {@code A256KW} key for the entry {@code kid} (any entry of that alg if null). */
  static RecipientKey aes(String kid, byte[] key32) {
    if (key32 == null || key32.length != 32) {
      throw new IllegalArgumentException("an A256KW key is 32 bytes");
    }
    try {
      return new RecipientKey(kid, JWEAlgorithm.A256KW, new AESDecrypter(key32.clone()));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("an A256KW key is 32 bytes");
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The {@code kid} that selects this key's entry, if the key has one. */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  JWEAlgorithm algorithm() {
    return algorithm;
  }

  JWEDecrypter decrypter() {
    return decrypter;
  }

  @Override
  public String toString() {
    return "RecipientKey[" + algorithm + ", kid=" + keyId + ", key=redacted]";
  }
}
