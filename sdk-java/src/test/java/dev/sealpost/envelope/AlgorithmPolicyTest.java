package dev.sealpost.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.SealpostException;
import dev.sealpost.exception.UnsupportedFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allow-list: only what format v1 names is accepted, and hostile shapes are cheap to refuse.
 */
class AlgorithmPolicyTest {
  private static final byte[] KEY = Fixtures.bytes(32, 5);
  private static final String VALID =
      TestKeys.sealer().build().seal("s", "m", List.of(Recipient.custody("1", KEY))).json();
  private final EnvelopeOpener opener = TestKeys.opener();

  private static String withProtected(String headerJson) {
    return edit(jwe -> jwe.put("protected", Fixtures.b64(headerJson)));
  }

  private static String withRecipientHeader(Consumer<Map<String, Object>> change) {
    return edit(jwe -> change.accept(Fixtures.header(Fixtures.firstRecipient(jwe))));
  }

  private static String edit(Consumer<Map<String, Object>> change) {
    Map<String, Object> jwe = Fixtures.parse(VALID);
    change.accept(jwe);
    return Fixtures.write(jwe);
  }

  private void assertUnsupported(String json) {
    assertThatThrownBy(() -> opener.open(json, RecipientKey.custody("1", KEY)))
        .isInstanceOf(UnsupportedFormatException.class);
  }

  private void assertMalformed(String json) {
    assertThatThrownBy(() -> opener.open(json, RecipientKey.custody("1", KEY)))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "none",
        "RSA1_5",
        "RSA-OAEP",
        "PBES2-HS256+A128KW",
        "PBES2-HS512+A256KW",
        "dir",
        "A128KW",
        "A256GCMKW",
        "ECDH-ES",
        "ECDH-ES+A128KW",
        "HS256"
      })
  void disallowedKeyManagementAlgorithm_isUnsupported(String alg) {
    assertUnsupported(withRecipientHeader(h -> h.put("alg", alg)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"A128GCM", "A192GCM", "A128CBC-HS256", "A256CBC-HS512", "XC20P"})
  void disallowedContentEncryption_isUnsupported(String enc) {
    assertUnsupported(withProtected("{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"" + enc + "\"}"));
  }

  @Test
  void encOutsideTheProtectedHeader_isRejected() {
    String json =
        edit(
            jwe -> {
              jwe.put("protected", Fixtures.b64("{\"cty\":\"sealpost-manifest+jws\"}"));
              Fixtures.header(Fixtures.firstRecipient(jwe)).put("enc", "A256GCM");
            });
    assertUnsupported(json);
  }

  @Test
  void compressionInTheProtectedHeader_isUnsupported() {
    assertUnsupported(
        withProtected("{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"zip\":\"DEF\"}"));
  }

  @Test
  void compressionInTheRecipientHeader_isUnsupported() {
    assertUnsupported(withRecipientHeader(h -> h.put("zip", "DEF")));
  }

  @Test
  void criticalHeaderParameters_areRefused() {
    // In the protected header crit is an array, and protected headers are flat: malformed.
    assertMalformed(
        withProtected(
            "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"crit\":[\"exp\"],\"exp\":1}"));
    assertUnsupported(withRecipientHeader(h -> h.put("crit", List.of("kid"))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"jku", "jwk", "x5u", "x5c", "apu", "apv", "p2s", "p2c", "b64", "iv", "tag"})
  void headerParameterOutsideTheAllowList_isUnsupported(String name) {
    assertUnsupported(withRecipientHeader(h -> h.put(name, "AAAA")));
  }

  @Test
  void passwordBasedEntryWithHugeIterationCount_isRefusedBeforeAnyWork() {
    String json =
        withRecipientHeader(
            h -> {
              h.put("alg", "PBES2-HS512+A256KW");
              h.put("p2s", Fixtures.b64(Fixtures.bytes(16, 1)));
              h.put("p2c", Integer.MAX_VALUE);
            });
    long start = System.nanoTime();
    assertUnsupported(json);
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }

  @Test
  void wrongContentType_isUnsupported() {
    assertUnsupported(withProtected("{\"cty\":\"JWT\",\"enc\":\"A256GCM\"}"));
    assertUnsupported(withProtected("{\"enc\":\"A256GCM\"}"));
  }

  @Test
  void sharedUnprotectedHeaderAndAad_areUnsupported() {
    assertUnsupported(edit(jwe -> jwe.put("unprotected", Map.of("x", "y"))));
    assertUnsupported(edit(jwe -> jwe.put("aad", Fixtures.b64("extra"))));
  }

  @Test
  void headerParameterInBothHeaders_isMalformed() {
    assertMalformed(
        withProtected(
            "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"kid\":\"custody:1\"}"));
  }

  @Test
  void ephemeralKeyOnAKeyWrapEntry_isMalformed() {
    assertMalformed(
        withRecipientHeader(h -> h.put("epk", TestKeys.PARTNER_EC.toPublicJWK().toJSONObject())));
  }

  @Test
  void entryWithoutKid_isMalformed() {
    assertMalformed(withRecipientHeader(h -> h.remove("kid")));
  }

  @Test
  void headerNestedTenThousandDeep_isRejectedBySizeBeforeParsing() {
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String json =
        withProtected("{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"x\":" + deep + "}");
    long start = System.nanoTime();
    assertThatThrownBy(() -> opener.open(json, RecipientKey.custody("1", KEY)))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("larger than 4096 bytes");
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }

  @Test
  void smallHeaderNestedTooDeep_isRejectedBeforeParsing() {
    String deep = "[".repeat(100) + "]".repeat(100);
    assertMalformed(
        withProtected(
            "{\"cty\":\"sealpost-manifest+jws\",\"enc\":\"A256GCM\",\"x\":" + deep + "}"));
  }

  @Test
  void documentNestedTenThousandDeep_isRejectedBeforeParsing() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String json = VALID.substring(0, VALID.length() - 1) + ",\"x\":" + deep + "}";
    long start = System.nanoTime();
    assertMalformed(json);
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }

  @Test
  void documentOverThirtyTwoMebibytes_isRejectedBeforeParsing() {
    String json = "{\"pad\":\"" + "A".repeat(32 * 1024 * 1024) + "\"}";
    assertThatThrownBy(() -> opener.open(json, RecipientKey.custody("1", KEY)))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void moreThanSixteenRecipients_isMalformed() {
    String json =
        edit(
            jwe -> {
              List<Object> recipients = new ArrayList<>((List<?>) jwe.get("recipients"));
              for (int i = 0; i < 16; i++) {
                Map<String, Object> copy = new LinkedHashMap<>();
                copy.put("header", Map.of("alg", "A256KW", "kid", "k" + i));
                copy.put("encrypted_key", Fixtures.b64(Fixtures.bytes(40, i)));
                recipients.add(copy);
              }
              jwe.put("recipients", recipients);
            });
    assertMalformed(json);
  }

  // Real JWEs made by Nimbus with what the format forbids: refused, not just malformed copies.

  @Test
  void realRsa1_5Envelope_isUnsupported() throws Exception {
    JWEObject jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA1_5, EncryptionMethod.A256GCM)
                .contentType("sealpost-manifest+jws")
                .keyID("partner-rsa-1")
                .build(),
            new Payload("x"));
    jwe.encrypt(new RSAEncrypter(TestKeys.PARTNER_RSA.toRSAPublicKey()));
    String json = new JWEObjectJSON(jwe).serializeFlattened();

    assertThatThrownBy(() -> opener.open(json, RecipientKey.privateJwk(TestKeys.PARTNER_RSA)))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("RSA1_5");
  }

  @Test
  void realDirectEncryptionEnvelope_isUnsupported() throws Exception {
    JWEObject jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .contentType("sealpost-manifest+jws")
                .keyID("custody:1")
                .build(),
            new Payload("x"));
    jwe.encrypt(new DirectEncrypter(KEY));
    String json = new JWEObjectJSON(jwe).serializeFlattened();

    assertThatThrownBy(() -> opener.open(json, RecipientKey.custody("1", KEY)))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("dir");
  }

  @Test
  void realCompressedEnvelope_isUnsupported() throws Exception {
    JWEObject jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .contentType("sealpost-manifest+jws")
                .keyID("partner-rsa-1")
                .compressionAlgorithm(CompressionAlgorithm.DEF)
                .build(),
            new Payload("x".repeat(1000)));
    jwe.encrypt(new RSAEncrypter(TestKeys.PARTNER_RSA.toRSAPublicKey()));
    String json = new JWEObjectJSON(jwe).serializeFlattened();

    assertThatThrownBy(() -> opener.open(json, RecipientKey.privateJwk(TestKeys.PARTNER_RSA)))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("zip");
  }

  @Test
  void realCompactStyleEnvelopeWithAlgInTheProtectedHeader_opens() throws Exception {
    // Another tool may put alg and kid in the protected header of a flattened JWE: still valid.
    String jws =
        Forge.jws(
            Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
    JWEObject jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .contentType("sealpost-manifest+jws")
                .keyID("partner-rsa-1")
                .build(),
            new Payload(jws));
    jwe.encrypt(new RSAEncrypter(TestKeys.PARTNER_RSA.toRSAPublicKey()));
    String json = new JWEObjectJSON(jwe).serializeFlattened();

    assertThat(
            opener
                .open(json, RecipientKey.privateJwk(TestKeys.PARTNER_RSA))
                .manifest()
                .envelopeId())
        .isEqualTo("e-1");
  }

  @Test
  void ephemeralKeyInTheProtectedHeader_isMalformed() throws Exception {
    // Protected headers are flat objects (FORMAT.md): epk belongs in the per-recipient header.
    JWEObject jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                .contentType("sealpost-manifest+jws")
                .keyID("partner-ec-1")
                .build(),
            new Payload("x"));
    jwe.encrypt(new ECDHEncrypter(TestKeys.PARTNER_EC.toECPublicKey()));
    String json = new JWEObjectJSON(jwe).serializeFlattened();

    assertThatThrownBy(() -> opener.open(json, RecipientKey.privateJwk(TestKeys.PARTNER_EC)))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  // The JWS inside.

  @ParameterizedTest
  @ValueSource(strings = {"none", "HS256", "RS256", "ES384", "ES256K", "EdDSA"})
  void manifestSignedWithAnotherAlgorithm_isUnsupported(String alg) {
    String header =
        "{\"alg\":\"" + alg + "\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"sealpost-manifest+jws\"}";
    String jws = Forge.jws(header, Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
    String unsigned = alg.equals("none") ? jws.substring(0, jws.lastIndexOf('.') + 1) : jws;

    assertThatThrownBy(() -> opener.open(Forge.jweAround(unsigned), Forge.custodyKey()))
        .isInstanceOf(UnsupportedFormatException.class);
  }

  @Test
  void jwsWithCriticalOrUnencodedPayloadParameters_isRefused() {
    for (String header :
        Set.of(
            "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"sealpost-manifest+jws\",\"crit\":[\"exp\"],\"exp\":1}",
            "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"sealpost-manifest+jws\",\"b64\":false,\"crit\":[\"b64\"]}")) {
      String jws = Forge.jws(header, Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
      assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
          .as(header)
          .isInstanceOf(MalformedEnvelopeException.class);
    }
    for (String header :
        Set.of(
            "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"sealpost-manifest+jws\",\"b64\":false}",
            "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"sealpost-manifest+jws\",\"jku\":\"https://evil.example/jwks\"}")) {
      String jws = Forge.jws(header, Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
      assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
          .as(header)
          .isInstanceOf(UnsupportedFormatException.class);
    }
  }

  @Test
  void jwsHeaderNestedTenThousandDeep_isRejectedBySize() {
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String header = "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"x\":" + deep + "}";
    String jws = Forge.jws(header, Fixtures.write(Forge.manifest()), TestKeys.SIGNER);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("larger than 4096 bytes");
  }

  @Test
  void everyRefusal_isASealpostException() {
    assertThat(UnsupportedFormatException.class).isAssignableTo(SealpostException.class);
    assertThat(MalformedEnvelopeException.class).isAssignableTo(SealpostException.class);
  }
}
