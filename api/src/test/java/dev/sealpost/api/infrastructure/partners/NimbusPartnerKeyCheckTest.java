package dev.sealpost.api.infrastructure.partners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerJwks;
import dev.sealpost.api.domain.PrivateKeyPostedException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NimbusPartnerKeyCheckTest {
  private final NimbusPartnerKeyCheck check = new NimbusPartnerKeyCheck();

  private static String set(boolean publicOnly, JWK... keys) {
    List<String> parts = new ArrayList<>();
    for (JWK k : keys) {
      parts.add(publicOnly ? k.toPublicJWK().toJSONString() : k.toJSONString());
    }
    return "{\"keys\":[" + String.join(",", parts) + "]}";
  }

  private static ECKey ec(String kid, KeyUse use) throws Exception {
    return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(use).generate();
  }

  @Test
  void firstUsableKey_isCurrent_andSigningKeysAreSkipped() throws Exception {
    ECKey sig = ec("sig", KeyUse.SIGNATURE);
    ECKey newer = ec("2026", KeyUse.ENCRYPTION);
    ECKey older = ec("2025", null);
    PartnerJwks j = check.check("jwks", set(true, sig, newer, older));
    assertThat(j.currentKid()).isEqualTo("2026");
    assertThat(JWK.parse(j.currentKeyJson()).isPrivate()).isFalse();
    assertThat(j.json()).contains("\"2025\"").doesNotContain("\"sig\"");
  }

  @Test
  void privateParts_refuseTheWholeSet() throws Exception {
    assertThatThrownBy(() -> check.check("jwks", set(false, ec("k", KeyUse.ENCRYPTION))))
        .isInstanceOf(PrivateKeyPostedException.class);
    OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).keyID("oct").generate();
    assertThatThrownBy(() -> check.check("jwks", set(false, oct)))
        .isInstanceOf(PrivateKeyPostedException.class);
  }

  @Test
  void weakOrWrongKeys_areNotUsable() throws Exception {
    RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").generate();
    assertThatThrownBy(() -> check.check("jwks", set(true, small)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("2048");
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
    assertThatThrownBy(() -> check.check("jwks", set(true, p384))).hasMessageContaining("P-256");
    RSAKey rsa15 =
        new RSAKeyGenerator(2048).keyID("old-alg").algorithm(JWEAlgorithm.RSA1_5).generate();
    assertThatThrownBy(() -> check.check("jwks", set(true, rsa15)))
        .hasMessageContaining("RSA-OAEP-256");
    ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();
    assertThatThrownBy(() -> check.check("jwks", set(true, noKid))).hasMessageContaining("kid");
  }

  @Test
  void rsa2048WithOaep256_isUsable() throws Exception {
    RSAKey rsa =
        new RSAKeyGenerator(2048)
            .keyID("rsa")
            .keyUse(KeyUse.ENCRYPTION)
            .algorithm(JWEAlgorithm.RSA_OAEP_256)
            .generate();
    assertThat(check.check("jwks", set(true, rsa)).currentKid()).isEqualTo("rsa");
  }

  @Test
  void malformedDocuments_areInvalid() throws Exception {
    for (String bad :
        List.of("[]", "not json", "{\"keys\":[]}", "{\"keys\":[1]}", "{\"keys\":{}}")) {
      assertThatThrownBy(() -> check.check("jwks", bad)).isInstanceOf(InvalidInputException.class);
    }
    ECKey a = ec("same", KeyUse.ENCRYPTION);
    ECKey b = ec("same", KeyUse.ENCRYPTION);
    assertThatThrownBy(() -> check.check("jwks", set(true, a, b))).hasMessageContaining("share");
  }
}
