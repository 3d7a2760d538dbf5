package dev.sealpost.envelope;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;

/** Keys generated once per JVM: RSA generation is slow on two cores. */
final class TestKeys {
  static final ECKey SIGNER = ec("tenant-a-sig-1");
  static final ECKey OTHER_SIGNER = ec("tenant-b-sig-1");
  static final RSAKey PARTNER_RSA = rsa("partner-rsa-1");
  static final ECKey PARTNER_EC = ec("partner-ec-1");
  static final ECKey PARTNER_EC_2 = ec("partner-ec-2");

  static final TrustedKeys TRUSTED = TrustedKeys.of(List.of(SIGNER.toPublicJWK()));

  private TestKeys() {}

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static EnvelopeSealer.Builder sealer() {
    return EnvelopeSealer.builder().tenant("tenant-a").signer(ManifestSigner.fromJwk(SIGNER));
  }

  static EnvelopeOpener opener() {
    return EnvelopeOpener.builder().trust(TRUSTED).build();
  }
}
