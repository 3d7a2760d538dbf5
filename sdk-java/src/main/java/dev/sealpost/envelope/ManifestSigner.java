package dev.sealpost.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.exception.SealpostException;

/**
 * Signs manifests with ES256 (ECDSA on P-256 with SHA-256). The signature is what lets a recipient
 * know who sealed an envelope and that nothing in it was changed.
 *
 * <p>Implement it to keep the private key elsewhere (the server's KMS adapter does: the signing key
 * never leaves KMS); use {@link #fromJwk(ECKey)} when the private key is at hand.
 *
 * <pre>{@code
 * ManifestSigner signer = ManifestSigner.fromJwk(ECKey.parse(privateJwkJson));
 * }</pre>
 */
public interface ManifestSigner {

  /** The {@code kid} of the public key that verifies this signer's signatures. */
  String keyId();

  /**
   * Signs with ES256.
   *
   * @param signingInput the JWS signing input (ASCII bytes of {@code header.payload})
   * @return the 64-byte JOSE signature {@code R || S} (not DER)
   */
  byte[] sign(byte[] signingInput);

  /**
   * A signer over a private P-256 JWK that carries a {@code kid}.
   *
   * @throws IllegalArgumentException if the key is not a private P-256 key with a {@code kid}
   */
  static ManifestSigner fromJwk(ECKey privateKey) {
    if (!Curve.P_256.equals(privateKey.getCurve())) {
      throw new IllegalArgumentException("the signing key must be on curve P-256");
    }
    if (!privateKey.isPrivate()) {
      throw new IllegalArgumentException("the signing key must include its private part");
    }
    String kid = privateKey.getKeyID();
    if (kid == null || kid.isEmpty()) {
      throw new IllegalArgumentException("the signing key must have a kid");
    }
    final ECDSASigner ecdsa;
    try {
      ecdsa = new ECDSASigner(privateKey);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the signing key cannot be used for ES256");
    }
    final JWSHeader header = new JWSHeader(JWSAlgorithm.ES256);
    return new ManifestSigner() {
      @Override
      public String keyId() {
        return kid;
      }

      @Override
      public byte[] sign(byte[] signingInput) {
        try {
          Base64URL signature = ecdsa.sign(header, signingInput);
          return signature.decode();
        } catch (JOSEException e) {
          throw new SealpostException("ES256 signing failed", e);
        }
      }

      @Override
      public String toString() {
        return "ManifestSigner[kid=" + kid + ", key=redacted]";
      }
    };
  }
}
