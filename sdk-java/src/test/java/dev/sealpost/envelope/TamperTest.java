package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.flipBit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.SealpostException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every part of the manifest JWE and JWS, altered: opening must fail, with the right type. */
class TamperTest {
  private static final String CANARY = "CANARY-message-7f3a";
  private static final byte[] CUSTODY_KEY = Fixtures.bytes(32, 77);
  private static final SealedEnvelope SEALED =
      TestKeys.sealer()
          .build()
          .seal(
              "s",
              CANARY,
              List.of(
                  Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()),
                  Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()),
                  Recipient.custody("1", CUSTODY_KEY)));
  private final EnvelopeOpener opener = TestKeys.opener();

  private static RecipientKey key(String kind) {
    switch (kind) {
      case "rsa":
        return RecipientKey.privateJwk(TestKeys.PARTNER_RSA);
      case "ec":
        return RecipientKey.privateJwk(TestKeys.PARTNER_EC);
      default:
        return RecipientKey.custody("1", CUSTODY_KEY);
    }
  }

  private static int index(String kind) {
    return kind.equals("rsa") ? 0 : kind.equals("ec") ? 1 : 2;
  }

  /** The sealed JWE with {@code change} applied to its parsed form. */
  private static String tampered(Consumer<Map<String, Object>> change) {
    Map<String, Object> jwe = Fixtures.parse(SEALED.json());
    change.accept(jwe);
    return Fixtures.write(jwe);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> entry(Map<String, Object> jwe, String kind) {
    List<Object> recipients = (List<Object>) jwe.get("recipients");
    Map<String, Object> e =
        new java.util.LinkedHashMap<>((Map<String, Object>) recipients.get(index(kind)));
    recipients.set(index(kind), e);
    return e;
  }

  private void assertIntegrityFailure(String json, RecipientKey key) {
    assertThatThrownBy(() -> opener.open(json, key))
        .isInstanceOf(IntegrityException.class)
        .satisfies(TamperTest::leaksNothing);
  }

  static void leaksNothing(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      assertThat(m).doesNotContain(CANARY).doesNotContain(Fixtures.b64(CUSTODY_KEY));
    }
  }

  @Test
  void untouched_opens() {
    for (String kind : List.of("rsa", "ec", "custody")) {
      assertThat(opener.open(SEALED.json(), key(kind)).manifest().message()).isEqualTo(CANARY);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa", "ec", "custody"})
  void flippedByteInEncryptedKey_failsIntegrity(String kind) {
    String json =
        tampered(
            jwe -> {
              Map<String, Object> e = entry(jwe, kind);
              e.put("encrypted_key", flipBit((String) e.get("encrypted_key"), 5));
            });
    assertIntegrityFailure(json, key(kind));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa", "ec", "custody"})
  void flippedByteInIv_failsIntegrity(String kind) {
    assertIntegrityFailure(
        tampered(jwe -> jwe.put("iv", flipBit((String) jwe.get("iv"), 0))), key(kind));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, -1})
  void flippedByteInCiphertext_failsIntegrity(int at) {
    assertIntegrityFailure(
        tampered(jwe -> jwe.put("ciphertext", flipBit((String) jwe.get("ciphertext"), at))),
        key("ec"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 15})
  void flippedByteInTag_failsIntegrity(int at) {
    assertIntegrityFailure(
        tampered(jwe -> jwe.put("tag", flipBit((String) jwe.get("tag"), at))), key("custody"));
  }

  @Test
  void truncatedCiphertext_failsIntegrity() {
    assertIntegrityFailure(
        tampered(
            jwe -> {
              byte[] ct = Fixtures.unb64((String) jwe.get("ciphertext"));
              jwe.put("ciphertext", Fixtures.b64(java.util.Arrays.copyOf(ct, ct.length - 3)));
            }),
        key("rsa"));
  }

  @Test
  void protectedHeaderWithSameMeaningButOtherBytes_failsIntegrity() {
    // The protected header is the AAD: any byte change breaks the tag, even a harmless one.
    String json =
        tampered(
            jwe ->
                jwe.put(
                    "protected",
                    Fixtures.b64("{\"enc\":\"A256GCM\",\"cty\":\"sealpost-manifest+jws\"}")));
    assertIntegrityFailure(json, key("custody"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 12, 20, 30, 40})
  void flippedBitInProtectedHeader_isRejected(int at) {
    String json = tampered(jwe -> jwe.put("protected", flipBit((String) jwe.get("protected"), at)));
    assertThatThrownBy(() -> opener.open(json, key("custody")))
        .isInstanceOf(SealpostException.class)
        .satisfies(TamperTest::leaksNothing);
  }

  @Test
  void ephemeralKeyReplacedByAnotherPoint_failsIntegrity() throws Exception {
    ECKey other = new ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate().toPublicJWK();
    String json =
        tampered(jwe -> Fixtures.header(entry(jwe, "ec")).put("epk", other.toJSONObject()));
    assertIntegrityFailure(json, key("ec"));
  }

  @Test
  void ephemeralKeyOffTheCurve_isRejectedBeforeAnyKeyAgreement() {
    String json =
        tampered(
            jwe -> {
              Map<String, Object> header = Fixtures.header(entry(jwe, "ec"));
              @SuppressWarnings("unchecked")
              Map<String, Object> epk =
                  new java.util.LinkedHashMap<>((Map<String, Object>) header.get("epk"));
              epk.put("y", flipBit((String) epk.get("y"), -1));
              header.put("epk", epk);
            });
    assertThatThrownBy(() -> opener.open(json, key("ec")))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("epk");
  }

  @Test
  void kidChangedInRecipientHeader_findsNoEntry() {
    String json = tampered(jwe -> Fixtures.header(entry(jwe, "ec")).put("kid", "someone-else"));
    assertThatThrownBy(() -> opener.open(json, key("ec")))
        .isInstanceOf(NoMatchingRecipientException.class);
  }

  @Test
  void nonCanonicalBase64_isRejected() {
    // The tag is 16 bytes: 22 characters whose last carries 4 unused bits.
    String json =
        tampered(
            jwe -> {
              String tag = (String) jwe.get("tag");
              char last = tag.charAt(tag.length() - 1);
              String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
              char sameBitsPlusOne = alphabet.charAt(alphabet.indexOf(last) | 1);
              jwe.put("tag", tag.substring(0, tag.length() - 1) + sameBitsPlusOne);
            });
    assertThatThrownBy(() -> opener.open(json, key("custody")))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @Test
  void swappedCiphertextFromAnotherEnvelope_failsIntegrity() {
    SealedEnvelope other =
        TestKeys.sealer().build().seal("s", "other", List.of(Recipient.custody("1", CUSTODY_KEY)));
    String otherCt = (String) Fixtures.parse(other.json()).get("ciphertext");
    assertIntegrityFailure(tampered(jwe -> jwe.put("ciphertext", otherCt)), key("custody"));
  }

  // The JWS inside: an attacker can wrap any content for a recipient, so the signature must hold.

  @Test
  void untrustedSigner_isRejected() {
    SealedEnvelope sealed =
        EnvelopeSealer.builder()
            .tenant("tenant-b")
            .signer(ManifestSigner.fromJwk(TestKeys.OTHER_SIGNER))
            .build()
            .seal("s", CANARY, List.of(Recipient.custody("1", CUSTODY_KEY)));

    assertThatThrownBy(() -> opener.open(sealed.json(), key("custody")))
        .isInstanceOf(UntrustedSignerException.class)
        .hasMessageContaining("tenant-b-sig-1")
        .satisfies(TamperTest::leaksNothing);
  }

  @Test
  void signerOfAnotherTenant_isRejectedWhenTheOpenerBindsSignersToTenants() throws Exception {
    ECKey tenantA = TestKeys.ec("tenant-a.1");
    ECKey tenantB = TestKeys.ec("tenant-b.1");
    TrustedKeys serverJwks = TrustedKeys.of(List.of(tenantA.toPublicJWK(), tenantB.toPublicJWK()));
    EnvelopeOpener bound =
        EnvelopeOpener.builder().trust(serverJwks).requireSignerOfManifestTenant().build();
    // Tenant b seals a manifest that claims to come from tenant a.
    SealedEnvelope impersonation =
        EnvelopeSealer.builder()
            .tenant("tenant-a")
            .signer(ManifestSigner.fromJwk(tenantB))
            .build()
            .seal("s", "m", List.of(Recipient.custody("1", CUSTODY_KEY)));
    SealedEnvelope genuine =
        EnvelopeSealer.builder()
            .tenant("tenant-a")
            .signer(ManifestSigner.fromJwk(tenantA))
            .build()
            .seal("s", "m", List.of(Recipient.custody("1", CUSTODY_KEY)));

    assertThatThrownBy(() -> bound.open(impersonation.json(), key("custody")))
        .isInstanceOf(UntrustedSignerException.class)
        .hasMessageContaining("tenant-b.1");
    assertThat(bound.open(genuine.json(), key("custody")).signerKeyId()).isEqualTo("tenant-a.1");
    assertThat(EnvelopeOpener.isTenantKeyId("tenant-a.12", "tenant-a")).isTrue();
    assertThat(EnvelopeOpener.isTenantKeyId("tenant-a.", "tenant-a")).isFalse();
    assertThat(EnvelopeOpener.isTenantKeyId("tenant-a.1.2", "tenant-a")).isFalse();
    assertThat(EnvelopeOpener.isTenantKeyId("tenant-ab.1", "tenant-a")).isFalse();
  }

  @Test
  void signatureByAnotherKeyUnderATrustedKid_failsIntegrity() {
    ECKey impostor = new ECKey.Builder(TestKeys.OTHER_SIGNER).keyID("tenant-a-sig-1").build();
    SealedEnvelope sealed =
        EnvelopeSealer.builder()
            .tenant("tenant-a")
            .signer(ManifestSigner.fromJwk(impostor))
            .build()
            .seal("s", CANARY, List.of(Recipient.custody("1", CUSTODY_KEY)));

    assertIntegrityFailure(sealed.json(), key("custody"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 32, 63})
  void flippedByteInJwsSignature_failsIntegrity(int at) {
    String jws =
        Forge.jws(
            Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
    String[] parts = jws.split("\\.");
    String tamperedJws = parts[0] + "." + parts[1] + "." + flipBit(parts[2], at);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(tamperedJws), Forge.custodyKey()))
        .isInstanceOf(IntegrityException.class)
        .satisfies(TamperTest::leaksNothing);
  }

  @Test
  void forgedJweWithValidJws_opens() {
    // The control for the JWS tests: the forging helper itself makes openable envelopes.
    String jws =
        Forge.jws(
            Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(Forge.manifest()), TestKeys.SIGNER);

    assertThat(opener.open(Forge.jweAround(jws), Forge.custodyKey()).manifest().message())
        .isEqualTo(CANARY);
  }

  @Test
  void flippedByteInJwsPayload_failsIntegrity() {
    String jws =
        Forge.jws(
            Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
    String[] parts = jws.split("\\.");
    String tamperedJws = parts[0] + "." + flipBit(parts[1], 30) + "." + parts[2];

    assertThatThrownBy(() -> opener.open(Forge.jweAround(tamperedJws), Forge.custodyKey()))
        .isInstanceOf(IntegrityException.class)
        .satisfies(TamperTest::leaksNothing);
  }

  @Test
  void jwsSignatureInDerInsteadOfRawForm_failsIntegrity() {
    String jws =
        Forge.jws(
            Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(Forge.manifest()), TestKeys.SIGNER);
    String[] parts = jws.split("\\.");
    byte[] longer = new byte[72];
    System.arraycopy(Fixtures.unb64(parts[2]), 0, longer, 0, 64);
    String tamperedJws = parts[0] + "." + parts[1] + "." + Fixtures.b64(longer);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(tamperedJws), Forge.custodyKey()))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void jweContentThatIsNotAJws_isMalformed() {
    assertThatThrownBy(() -> opener.open(Forge.jweAround("not a jws"), Forge.custodyKey()))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @Test
  void signedManifestOfAnotherVersion_isUnsupported() {
    Map<String, Object> manifest = Forge.manifest();
    manifest.put("v", 2);
    String jws =
        Forge.jws(Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(manifest), TestKeys.SIGNER);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("version");
  }

  @Test
  void signedManifestWithBadFields_isMalformedAndLeaksNothing() {
    Map<String, Object> manifest = Forge.manifest();
    manifest.put("created", CANARY);
    String jws =
        Forge.jws(Forge.jwsHeader("tenant-a-sig-1"), Fixtures.write(manifest), TestKeys.SIGNER);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .satisfies(TamperTest::leaksNothing);
  }

  @Test
  void signedManifestThatIsNotJson_isMalformedAndLeaksNothing() {
    String jws =
        Forge.jws(Forge.jwsHeader("tenant-a-sig-1"), "{\"message\":\"" + CANARY, TestKeys.SIGNER);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .satisfies(TamperTest::leaksNothing);
  }

  @Test
  void jwsHeaderNamingAnotherType_isUnsupported() {
    String header = "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"JWT\"}";
    String jws = Forge.jws(header, Fixtures.write(Forge.manifest()), TestKeys.SIGNER);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(UnsupportedFormatException.class);
  }

  @Test
  void jwsHeaderWithoutKid_isMalformed() {
    String header = "{\"alg\":\"ES256\",\"typ\":\"sealpost-manifest+jws\"}";
    String jws = Forge.jws(header, Fixtures.write(Forge.manifest()), TestKeys.SIGNER);

    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @Test
  void noise_isMalformed() {
    for (String noise : List.of("", "[]", "{}", "null", "\"x\"", "{\"protected\":1}", "{{{{")) {
      assertThatThrownBy(() -> opener.open(noise, key("custody")))
          .as(noise)
          .isInstanceOf(MalformedEnvelopeException.class);
    }
  }

  @Test
  void utf8InsideJws_isRejected() {
    String jws = "\u00e9." + "a.b";
    assertThatThrownBy(() -> opener.open(Forge.jweAround(jws), Forge.custodyKey()))
        .isInstanceOf(SealpostException.class);
    assertThat(jws.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
  }
}
