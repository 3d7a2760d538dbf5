package dev.sealpost.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.sealpost.internal.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysAndSecretsTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void hkdf_matchesRfc5869TestCase1() {
    byte[] okm =
        Hkdf.sha256(
            hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            hex("000102030405060708090a0b0c"),
            hex("f0f1f2f3f4f5f6f7f8f9"),
            42);
    assertThat(okm)
        .isEqualTo(
            hex(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
  }

  @Test
  void hkdf_matchesRfc5869TestCase3WithEmptySaltAndInfo() {
    byte[] okm =
        Hkdf.sha256(
            hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[0], new byte[0], 42);
    assertThat(okm)
        .isEqualTo(
            hex(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
  }

  @Test
  void linkSecret_derivesTokenAndShareAsTheWireDetailsSay() {
    LinkSecret secret = LinkSecret.fromBase64Url("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
    byte[] raw = new byte[32];
    for (int i = 0; i < 32; i++) {
      raw[i] = (byte) i;
    }

    assertThat(secret.token())
        .isEqualTo(Hkdf.sha256(raw, new byte[0], utf8("sealpost link token v1"), 32));
    assertThat(secret.linkShare())
        .isEqualTo(Hkdf.sha256(raw, new byte[0], utf8("sealpost link share v1"), 32));
    assertThat(secret.token()).isNotEqualTo(secret.linkShare());
    assertThat(secret.tokenBase64Url()).isEqualTo(Fixtures.b64(secret.token()));
    assertThat(secret.toBase64Url()).isEqualTo("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
  }

  @Test
  void linkKek_isHkdfOfBothSharesSaltedWithTheEnvelopeId() {
    byte[] server = Fixtures.bytes(32, 1);
    byte[] link = Fixtures.bytes(32, 2);
    byte[] ikm = new byte[64];
    System.arraycopy(server, 0, ikm, 0, 32);
    System.arraycopy(link, 0, ikm, 32, 32);

    LinkKek kek = LinkKek.derive(server, link, "env-\u00e9");

    assertThat(kek.keyBytes())
        .isEqualTo(Hkdf.sha256(ikm, utf8("env-\u00e9"), utf8("sealpost link kek v1"), 32));
    assertThat(kek).isEqualTo(LinkKek.derive(server, link, "env-\u00e9"));
    assertThat(kek).isNotEqualTo(LinkKek.derive(server, link, "env-2"));
    assertThat(kek).isNotEqualTo(LinkKek.derive(link, server, "env-\u00e9"));
  }

  @Test
  void secrets_areRedactedInToString() {
    LinkSecret secret = LinkSecret.generate();
    LinkKek kek = LinkKek.derive(Fixtures.bytes(32, 1), secret.linkShare(), "e");

    assertThat(secret.toString()).contains("redacted").doesNotContain(secret.toBase64Url());
    assertThat(kek.toString()).contains("redacted");
    assertThat(RecipientKey.link(kek).toString()).contains("redacted");
    assertThat(Recipient.custody("1", Fixtures.bytes(32, 3)).toString())
        .doesNotContain(Fixtures.b64(Fixtures.bytes(32, 3)));
    assertThat(ManifestSigner.fromJwk(TestKeys.SIGNER).toString())
        .contains("redacted")
        .doesNotContain(TestKeys.SIGNER.getD().toString());
  }

  @Test
  void linkSecret_rejectsAnythingButItsCanonicalForm() {
    assertThat(LinkSecret.generate()).isNotEqualTo(LinkSecret.generate());
    String good = LinkSecret.generate().toBase64Url();
    assertThat(LinkSecret.fromBase64Url(good)).isEqualTo(LinkSecret.fromBase64Url(good));
    for (String bad :
        new String[] {
          "", good + "A", good.substring(1), good + "=", good.replace(good.charAt(0), '+')
        }) {
      assertThatThrownBy(() -> LinkSecret.fromBase64Url(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(good));
    }
    // 43 characters carry 258 bits: the last character's two low bits must be zero.
    String nonCanonical = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9";
    assertThatThrownBy(() -> LinkSecret.fromBase64Url(nonCanonical))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void linkKek_rejectsSharesOfTheWrongLength() {
    assertThatThrownBy(() -> LinkKek.derive(new byte[31], new byte[32], "e"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkKek.derive(new byte[32], new byte[33], "e"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkKek.derive(new byte[32], new byte[32], ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LinkKek.generateServerShare())
        .hasSize(32)
        .isNotEqualTo(LinkKek.generateServerShare());
  }

  @Test
  void partnerKeys_outsideThePolicy_areRefused() throws Exception {
    RSAKey rsa1024 = new RSAKeyGenerator(1024, true).keyID("small").generate();
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
    ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();
    ECKey sigKey = new ECKeyGenerator(Curve.P_256).keyID("s").keyUse(KeyUse.SIGNATURE).generate();
    ECKey wrongAlg =
        new ECKeyGenerator(Curve.P_256).keyID("w").algorithm(JWEAlgorithm.ECDH_ES).generate();

    for (com.nimbusds.jose.jwk.JWK bad : List.of(rsa1024, p384, noKid, sigKey, wrongAlg)) {
      assertThatThrownBy(() -> Recipient.partner(bad.toPublicJWK()))
          .as(bad.getKeyID())
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> RecipientKey.privateJwk(rsa1024))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecipientKey.privateJwk(TestKeys.PARTNER_EC.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recipient.custody("custody:1", new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Recipient.custody("1", new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void partnerKey_withPrivatePartsIsSealedToItsPublicHalfOnly() {
    Recipient r = Recipient.partner(TestKeys.PARTNER_EC);

    assertThat(r.encryptionKey().isPrivate()).isFalse();
    assertThat(r.encryptionKey().getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
  }

  @Test
  void trustedKeys_keepOnlyPublicEs256KeysWithKids() throws Exception {
    ECKey enc = new ECKeyGenerator(Curve.P_256).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate();
    RSAKey rsa = TestKeys.PARTNER_RSA;
    TrustedKeys trusted = TrustedKeys.of(new JWKSet(List.of(TestKeys.SIGNER, enc, rsa)));

    assertThat(trusted.keyIds()).containsExactly("tenant-a-sig-1");
    assertThat(trusted.find("tenant-a-sig-1").orElseThrow().isPrivate()).isFalse();
    assertThat(trusted.find("enc")).isEmpty();
    String jwks = new JWKSet(List.of(TestKeys.SIGNER.toPublicJWK())).toString();
    assertThat(TrustedKeys.fromJwksJson(jwks).keyIds()).containsExactly("tenant-a-sig-1");
    assertThat(TrustedKeys.fromJwksJson(TestKeys.SIGNER.toPublicJWK().toJSONString()).keyIds())
        .containsExactly("tenant-a-sig-1");
    assertThatThrownBy(() -> TrustedKeys.fromJwksJson("nonsense"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> TrustedKeys.of(List.of(TestKeys.SIGNER, TestKeys.SIGNER.toPublicJWK())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manifestSigner_requiresAPrivateP256KeyWithKidAndReturnsRawSignatures() throws Exception {
    assertThatThrownBy(() -> ManifestSigner.fromJwk(TestKeys.SIGNER.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ManifestSigner.fromJwk(new ECKeyGenerator(Curve.P_256).generate()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ManifestSigner.fromJwk(TestKeys.SIGNER).sign(utf8("x.y"))).hasSize(64);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
