package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealEnvelopeTest {
  @Test
  void partnerKey_isTheFirstEncryptionKeyWithAKid_publicOnly() throws Exception {
    ECKey sig = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID("sig").generate();
    ECKey enc = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).keyID("enc-1").generate();
    String jwks =
        new JWKSet(List.of(sig, enc)).toString(false); // private parts included on purpose
    JWK chosen = EnvelopeIntake.encryptionKey(jwks).orElseThrow();
    assertThat(chosen.getKeyID()).isEqualTo("enc-1");
    assertThat(chosen.isPrivate()).isFalse();
  }

  @Test
  void singleJwk_andGarbage() throws Exception {
    ECKey enc = new ECKeyGenerator(Curve.P_256).keyID("solo").generate();
    assertThat(EnvelopeIntake.encryptionKey(enc.toPublicJWK().toJSONString()))
        .map(JWK::getKeyID)
        .contains("solo");
    assertThat(EnvelopeIntake.encryptionKey("not json")).isEmpty();
    assertThat(EnvelopeIntake.encryptionKey("{\"keys\":[]}")).isEmpty();
  }
}
