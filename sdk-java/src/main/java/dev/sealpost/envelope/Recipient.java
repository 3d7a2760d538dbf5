package dev.sealpost.envelope;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * Who an envelope is sealed for: one entry in the JWE's {@code recipients}, wrapping the envelope's
 * content key. Three kinds, each with a fixed algorithm (callers never choose one):
 *
 * <ul>
 *   <li>{@link #partner(JWK)}: a business partner's public key, {@code RSA-OAEP-256} (RSA, 2048
 *       bits or more) or {@code ECDH-ES+A256KW} (P-256); the entry's {@code kid} is the JWK's.
 *   <li>{@link #link(String, LinkKek)}: a consumer link, {@code A256KW} under the {@link LinkKek};
 *       the {@code kid} is the recipient id.
 *   <li>{@link #custody(String, byte[])}: the sending tenant's own read-back copy, {@code A256KW}
 *       under a KMS data key; the {@code kid} is {@code custody:<keyVersion>}.
 * </ul>
 *
 * <p>Immutable; {@code toString()} never shows key material.
 */
public final class Recipient {
  static final String CUSTODY_PREFIX = "custody:";

  private final String keyId;
  private final String kind;
  private final JWK encryptionKey;

  private Recipient(String keyId, String kind, JWK encryptionKey) {
    this.keyId = keyId;
    this.kind = kind;
    this.encryptionKey = encryptionKey;
  }

  /**
   * A partner's public key: RSA of 2048 bits or more (sealed with {@code RSA-OAEP-256}) or EC P-256
   * (sealed with {@code ECDH-ES+A256KW}). The key must carry a {@code kid}; if it names an {@code
   * alg} or a {@code use}, they must fit. Private parts, if present, are dropped.
   *
   * @throws IllegalArgumentException for any other key
   */
  public static Recipient partner(JWK publicKey) {
    String kid = publicKey.getKeyID();
    requireKid(kid);
    if (KeyUse.SIGNATURE.equals(publicKey.getKeyUse())) {
      throw new IllegalArgumentException("partner key " + kid + " is a signing key (use=sig)");
    }
    if (publicKey instanceof RSAKey) {
      RSAKey rsa = (RSAKey) publicKey;
      if (rsa.size() < 2048) {
        throw new IllegalArgumentException("partner key " + kid + " is RSA below 2048 bits");
      }
      requireAlg(publicKey, JWEAlgorithm.RSA_OAEP_256);
      RSAKey pub =
          new RSAKey.Builder(rsa.toPublicJWK())
              .algorithm(JWEAlgorithm.RSA_OAEP_256)
              .keyUse(null)
              .keyOperations(null)
              .build();
      return new Recipient(kid, "partner", pub);
    }
    if (publicKey instanceof ECKey) {
      ECKey ec = (ECKey) publicKey;
      if (!Curve.P_256.equals(ec.getCurve())) {
        throw new IllegalArgumentException("partner key " + kid + " is EC but not on P-256");
      }
      requireAlg(publicKey, JWEAlgorithm.ECDH_ES_A256KW);
      ECKey pub =
          new ECKey.Builder(ec.toPublicJWK())
              .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
              .keyUse(null)
              .keyOperations(null)
              .build();
      return new Recipient(kid, "partner", pub);
    }
    throw new IllegalArgumentException("partner key " + kid + " is neither RSA nor EC P-256");
  }

  /**
   * A consumer reached by link; the entry's {@code kid} is {@code recipientId}.
   *
   * @param kek derived with the same envelope id as the sealer's
   */
  public static Recipient link(String recipientId, LinkKek kek) {
    requireKid(recipientId);
    if (recipientId.startsWith(CUSTODY_PREFIX)) {
      throw new IllegalArgumentException("a link recipient id must not start with custody:");
    }
    return new Recipient(recipientId, "link", aesKey(recipientId, kek.keyBytes()));
  }

  /**
   * The sending tenant's custody copy under a 256-bit data key; the entry's {@code kid} is {@code
   * "custody:" + keyVersion}.
   *
   * @param keyVersion the data key's version, without the {@code custody:} prefix
   * @param key32 the 32-byte data key (copied)
   */
  public static Recipient custody(String keyVersion, byte[] key32) {
    String kid = custodyKeyId(keyVersion);
    return new Recipient(kid, "custody", aesKey(kid, key32));
  }

  static String custodyKeyId(String keyVersion) {
    if (keyVersion == null || keyVersion.isEmpty() || keyVersion.length() > 200) {
      throw new IllegalArgumentException("the custody key version must be 1 to 200 characters");
    }
    if (keyVersion.startsWith(CUSTODY_PREFIX)) {
      throw new IllegalArgumentException("pass the key version without the custody: prefix");
    }
    return CUSTODY_PREFIX + keyVersion;
  }

  private static OctetSequenceKey aesKey(String kid, byte[] key32) {
    if (key32 == null || key32.length != 32) {
      throw new IllegalArgumentException("an A256KW key is 32 bytes");
    }
    return new OctetSequenceKey.Builder(Base64URL.encode(key32))
        .algorithm(JWEAlgorithm.A256KW)
        .keyID(kid)
        .build();
  }

  private static void requireKid(String kid) {
    if (kid == null || kid.isEmpty() || kid.length() > Limits.MAX_ID_CHARS) {
      throw new IllegalArgumentException("a recipient needs a kid of 1 to 255 characters");
    }
  }

  private static void requireAlg(JWK key, JWEAlgorithm expected) {
    if (key.getAlgorithm() != null && !expected.getName().equals(key.getAlgorithm().getName())) {
      throw new IllegalArgumentException(
          "partner key "
              + key.getKeyID()
              + " names alg "
              + key.getAlgorithm()
              + ", not "
              + expected);
    }
  }

  /** The {@code kid} of this recipient's entry. */
  public String keyId() {
    return keyId;
  }

  /** The JWK handed to Nimbus: carries {@code alg} and {@code kid}. */
  JWK encryptionKey() {
    return encryptionKey;
  }

  @Override
  public String toString() {
    return "Recipient[" + kind + ", kid=" + keyId + "]";
  }
}
