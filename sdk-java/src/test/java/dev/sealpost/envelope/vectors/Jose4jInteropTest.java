package dev.sealpost.envelope.vectors;

import static dev.sealpost.envelope.vectors.TestVectorsTest.list;
import static dev.sealpost.envelope.vectors.TestVectorsTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.SealedEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.AesKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The format's promise that "any conformant JOSE implementation, given the right key, decrypts the
 * manifest and verifies its signature", checked with jose4j, which shares no code with Nimbus: for
 * every valid test vector, and for an envelope sealed right now by the SDK (RSA-OAEP-256 and
 * ECDH-ES+A256KW entries, flattened and General JSON).
 */
class Jose4jInteropTest {
  static RSAKey rsa;
  static ECKey ec;
  static ECKey signer;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("interop-rsa").keyUse(KeyUse.ENCRYPTION).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("interop-ec").keyUse(KeyUse.ENCRYPTION).generate();
    signer =
        new ECKeyGenerator(Curve.P_256)
            .keyID("interop-signer")
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.ES256)
            .generate();
  }

  static Stream<Arguments> validVectors() throws IOException {
    try (Stream<Path> files = Files.list(TestVectorsTest.DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .filter(p -> isValid(p))
          .map(p -> Arguments.of(Named.of(p.getFileName().toString(), p)))
          .collect(Collectors.toList())
          .stream();
    }
  }

  private static boolean isValid(Path p) {
    try {
      return "valid".equals(TestVectorsTest.parse(p).get("result"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> validReplyVectors() throws IOException {
    try (Stream<Path> files = Files.list(TestVectorsTest.REPLY_DIR)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .filter(p -> isValid(p))
          .map(p -> Arguments.of(Named.of(p.getFileName().toString(), p)))
          .collect(Collectors.toList())
          .stream();
    }
  }

  /**
   * A reply manifest JWE (FORMAT.md section 12) decrypts with jose4j to the reply manifest JSON,
   * and the server's receipt verifies with jose4j's ES256 and names the manifest's SHA-256.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("validReplyVectors")
  void validReplyVector_decryptsAndItsReceiptVerifiesWithJose4j(Path file) throws Exception {
    Map<String, Object> v = TestVectorsTest.parse(file);
    Map<String, Object> keys = map(v.get("keys"));
    Map<String, Object> recipient = map(keys.get("recipient"));
    Map<String, Object> expected = map(v.get("expected"));
    String jwe = (String) v.get("jwe");

    Map<String, Object> manifest =
        JSONObjectUtils.parse(
            utf8(Jose4jOpener.decryptDetailed(jwe, kid(recipient), key(recipient))[1]));
    assertThat(manifest.get("v")).isEqualTo(1L);
    assertThat(manifest.get("replyId")).isEqualTo(expected.get("replyId"));
    assertThat(manifest.get("envelopeId")).isEqualTo(expected.get("envelopeId"));
    assertThat(manifest.get("message")).isEqualTo(expected.get("message"));
    assertThat(list(manifest.get("attachments"))).hasSameSizeAs(list(expected.get("attachments")));

    String signerKid = (String) expected.get("signerKid");
    Jose4jOpener.Verified receipt =
        Jose4jOpener.verify((String) v.get("receipt"), trustedJwk(keys, signerKid));
    assertThat(receipt.typ).isEqualTo("sealpost-reply-receipt+jws");
    Map<String, Object> payload = JSONObjectUtils.parse(receipt.payload);
    assertThat(map(payload.get("manifest")).get("sha256"))
        .isEqualTo(
            HandJose.b64(
                TestVectorGenerator.sha256(jwe.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  @Test
  void freshReply_rsaOaep256AndEcdhEsEntries_openWithJose4j() throws Exception {
    String message = "Reply: Grüße, 保険, \" and \\.";
    dev.sealpost.envelope.SealedReply sealed =
        dev.sealpost.envelope.ReplySealer.builder()
            .envelopeId("e-1")
            .recipientId("r-1")
            .replyKeys(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))
            .build()
            .seal(message);
    for (String kid : List.of("interop-rsa", "interop-ec")) {
      Key key = kid.equals("interop-rsa") ? rsa.toPrivateKey() : ec.toPrivateKey();
      Map<String, Object> manifest =
          JSONObjectUtils.parse(utf8(Jose4jOpener.decryptDetailed(sealed.json(), kid, key)[1]));
      assertThat(manifest.get("replyId")).isEqualTo(sealed.replyId());
      assertThat(manifest.get("message")).isEqualTo(message);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void validVector_decryptsAndVerifiesWithJose4j(Path file) throws Exception {
    Map<String, Object> v = TestVectorsTest.parse(file);
    Map<String, Object> keys = map(v.get("keys"));
    Map<String, Object> recipient = map(keys.get("recipient"));
    Map<String, Object> expected = map(v.get("expected"));

    String jws = Jose4jOpener.decrypt((String) v.get("jwe"), kid(recipient), key(recipient));
    String signerKid = (String) expected.get("signerKid");
    Jose4jOpener.Verified verified = Jose4jOpener.verify(jws, trustedJwk(keys, signerKid));

    assertThat(verified.kid).isEqualTo(signerKid);
    assertThat(verified.typ).isEqualTo("sealpost-manifest+jws");
    Map<String, Object> manifest = JSONObjectUtils.parse(verified.payload);
    assertThat(manifest.get("v")).isEqualTo(1L);
    assertThat(manifest.get("envelopeId")).isEqualTo(expected.get("envelopeId"));
    assertThat(manifest.get("subject")).isEqualTo(expected.get("subject"));
    assertThat(manifest.get("message")).isEqualTo(expected.get("message"));
    assertThat(list(manifest.get("attachments"))).hasSameSizeAs(list(expected.get("attachments")));
  }

  @Test
  void freshEnvelope_rsaOaep256AndEcdhEsEntries_openWithJose4j() throws Exception {
    String message = "Interop: Grüße, 保険, and a quote \" and a backslash \\.";
    SealedEnvelope sealed =
        EnvelopeSealer.builder()
            .tenant("interop-tenant")
            .signer(ManifestSigner.fromJwk(signer))
            .build()
            .seal(
                "Interop",
                message,
                List.of(Recipient.partner(rsa.toPublicJWK()), Recipient.partner(ec.toPublicJWK())));
    String signerJwk = signer.toPublicJWK().toJSONString();

    for (String kid : List.of("interop-rsa", "interop-ec")) {
      Key key = kid.equals("interop-rsa") ? rsa.toPrivateKey() : ec.toPrivateKey();
      String flattened = sealed.flattenedFor(kid);
      assertThat(flattened)
          .doesNotContain(kid.equals("interop-rsa") ? "interop-ec" : "interop-rsa");
      for (String jwe : List.of(flattened, sealed.json())) {
        Jose4jOpener.Verified verified =
            Jose4jOpener.verify(Jose4jOpener.decrypt(jwe, kid, key), signerJwk);
        assertThat(verified.kid).isEqualTo("interop-signer");
        Map<String, Object> manifest = JSONObjectUtils.parse(verified.payload);
        assertThat(manifest.get("envelopeId")).isEqualTo(sealed.envelopeId());
        assertThat(manifest.get("message")).isEqualTo(message);
      }
    }
  }

  @Test
  void jose4j_rejectsATamperedCiphertextAndAForeignSigner() throws Exception {
    SealedEnvelope sealed =
        EnvelopeSealer.builder()
            .tenant("interop-tenant")
            .signer(ManifestSigner.fromJwk(signer))
            .build()
            .seal("Interop", "m", List.of(Recipient.partner(ec.toPublicJWK())));
    Map<String, Object> jwe = JSONObjectUtils.parse(sealed.flattenedFor("interop-ec"));
    byte[] ct = HandJose.unb64((String) jwe.get("ciphertext"));
    ct[0] ^= 1;
    jwe.put("ciphertext", HandJose.b64(ct));
    String tampered = JSONObjectUtils.toJSONString(jwe);
    assertThatThrownBy(() -> Jose4jOpener.decrypt(tampered, "interop-ec", ec.toPrivateKey()))
        .isInstanceOf(JoseException.class);

    String jws = Jose4jOpener.decrypt(sealed.json(), "interop-ec", ec.toPrivateKey());
    String otherSigner =
        new ECKeyGenerator(Curve.P_256)
            .keyID("interop-signer")
            .generate()
            .toPublicJWK()
            .toJSONString();
    assertThatThrownBy(() -> Jose4jOpener.verify(jws, otherSigner))
        .isInstanceOf(JoseException.class);
  }

  /** The reply manifest is UTF-8 JSON (an envelope's JWE plaintext is an ASCII JWS). */
  private static String utf8(byte[] b) {
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String kid(Map<String, Object> recipient) {
    switch ((String) recipient.get("kind")) {
      case "jwk":
        return (String) map(recipient.get("jwk")).get("kid");
      case "link":
        return (String) recipient.get("recipientId");
      default:
        return (String) recipient.get("keyId");
    }
  }

  /** The recipient's key for jose4j, derived without the SDK (the link KEK by plain HKDF). */
  private static Key key(Map<String, Object> recipient) throws JoseException {
    switch ((String) recipient.get("kind")) {
      case "jwk":
        return PublicJsonWebKey.Factory.newPublicJwk(map(recipient.get("jwk"))).getPrivateKey();
      case "link":
        {
          byte[] secret = HandJose.unb64((String) recipient.get("linkSecret"));
          byte[] linkShare =
              TestVectorGenerator.hkdf(secret, new byte[0], "sealpost link share v1");
          return new AesKey(
              TestVectorGenerator.hkdfKek(
                  HandJose.unb64((String) recipient.get("serverShare")),
                  linkShare,
                  (String) recipient.get("envelopeId")));
        }
      default:
        return new AesKey(HandJose.unb64((String) recipient.get("key")));
    }
  }

  private static String trustedJwk(Map<String, Object> keys, String kid) {
    for (Object o : list(map(keys.get("trustedKeys")).get("keys"))) {
      if (kid.equals(map(o).get("kid"))) {
        return JSONObjectUtils.toJSONString(map(o));
      }
    }
    throw new AssertionError("no trusted key " + kid);
  }
}
