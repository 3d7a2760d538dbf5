package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MultiDecrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.NoMatchingRecipientException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeRoundTripTest {
  private static final byte[] CUSTODY_KEY = bytes(32, 7);
  private final EnvelopeOpener opener = TestKeys.opener();

  private static SealedEnvelope sealFor(Recipient... recipients) {
    return TestKeys.sealer().build().seal("Your documents", "Hello", List.of(recipients));
  }

  @Test
  void rsaOaep256Partner_roundTrips() {
    SealedEnvelope sealed = sealFor(Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()));

    OpenedEnvelope opened =
        opener.open(sealed.json(), RecipientKey.privateJwk(TestKeys.PARTNER_RSA));

    assertThat(opened.manifest().message()).isEqualTo("Hello");
    assertThat(opened.signerKeyId()).isEqualTo("tenant-a-sig-1");
    assertThat(entryHeader(sealed.json(), 0)).containsEntry("alg", "RSA-OAEP-256");
  }

  @Test
  void ecdhEsP256Partner_roundTrips() {
    SealedEnvelope sealed = sealFor(Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()));

    OpenedEnvelope opened =
        opener.open(sealed.json(), RecipientKey.privateJwk(TestKeys.PARTNER_EC));

    assertThat(opened.manifest().subject()).isEqualTo("Your documents");
    assertThat(entryHeader(sealed.json(), 0))
        .containsEntry("alg", "ECDH-ES+A256KW")
        .containsEntry("kid", "partner-ec-1")
        .containsKey("epk");
  }

  @Test
  void consumerLink_roundTripsThroughTheHkdfChain() {
    String envelopeId = UUID.randomUUID().toString();
    LinkSecret secret = LinkSecret.generate();
    byte[] serverShare = LinkKek.generateServerShare();
    LinkKek sealingKek = LinkKek.derive(serverShare, secret.linkShare(), envelopeId);
    SealedEnvelope sealed =
        TestKeys.sealer()
            .envelopeId(envelopeId)
            .build()
            .seal("s", "for the link holder", List.of(Recipient.link("recipient-1", sealingKek)));

    // The viewer side: only the fragment text and the released server share.
    LinkSecret fromFragment = LinkSecret.fromBase64Url(secret.toBase64Url());
    LinkKek openingKek = LinkKek.derive(serverShare, fromFragment.linkShare(), envelopeId);
    OpenedEnvelope opened = opener.open(sealed.json(), RecipientKey.link(openingKek), envelopeId);

    assertThat(opened.manifest().message()).isEqualTo("for the link holder");
    assertThat(entryHeader(sealed.json(), 0))
        .containsEntry("alg", "A256KW")
        .containsEntry("kid", "recipient-1");
  }

  @Test
  void consumerLink_withKekOfAnotherEnvelopeId_fails() {
    LinkSecret secret = LinkSecret.generate();
    byte[] serverShare = LinkKek.generateServerShare();
    EnvelopeSealer sealer = TestKeys.sealer().build();
    SealedEnvelope sealed =
        sealer.seal(
            "s",
            "m",
            List.of(
                Recipient.link(
                    "r1", LinkKek.derive(serverShare, secret.linkShare(), sealer.envelopeId()))));

    LinkKek wrong = LinkKek.derive(serverShare, secret.linkShare(), "another-envelope");

    assertThatThrownBy(() -> opener.open(sealed.json(), RecipientKey.link("r1", wrong)))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void custody_roundTrips() {
    SealedEnvelope sealed = sealFor(Recipient.custody("3", CUSTODY_KEY));

    OpenedEnvelope opened = opener.open(sealed.json(), RecipientKey.custody("3", CUSTODY_KEY));

    assertThat(opened.manifest().message()).isEqualTo("Hello");
    assertThat(sealed.recipientKeyIds()).containsExactly("custody:3");
  }

  @Test
  void severalRecipients_eachOpensWithItsOwnKey() {
    LinkKek kek = LinkKek.derive(bytes(32, 1), bytes(32, 2), "e-1");
    SealedEnvelope sealed =
        TestKeys.sealer()
            .envelopeId("e-1")
            .build()
            .seal(
                "s",
                "shared message",
                List.of(
                    Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()),
                    Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()),
                    Recipient.link("consumer-1", kek),
                    Recipient.custody("1", CUSTODY_KEY)));

    List<RecipientKey> keys =
        List.of(
            RecipientKey.privateJwk(TestKeys.PARTNER_RSA),
            RecipientKey.privateJwk(TestKeys.PARTNER_EC),
            RecipientKey.link(kek),
            RecipientKey.link("consumer-1", kek),
            RecipientKey.custody("1", CUSTODY_KEY));
    for (RecipientKey key : keys) {
      assertThat(opener.open(sealed.json(), key, "e-1").manifest().message())
          .as(key.toString())
          .isEqualTo("shared message");
    }
    assertThat(sealed.recipientKeyIds())
        .containsExactly("partner-rsa-1", "partner-ec-1", "consumer-1", "custody:1");
  }

  @Test
  void keyOfAnotherPartner_findsNoEntry() {
    SealedEnvelope sealed = sealFor(Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()));

    assertThatThrownBy(
            () -> opener.open(sealed.json(), RecipientKey.privateJwk(TestKeys.PARTNER_EC_2)))
        .isInstanceOf(NoMatchingRecipientException.class)
        .hasMessageContaining("partner-ec-2");
  }

  @Test
  void wrongKeyUnderTheRightKid_failsIntegrity() {
    SealedEnvelope sealed = sealFor(Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()));
    ECKey impostor = new ECKey.Builder(TestKeys.PARTNER_EC_2).keyID("partner-ec-1").build();

    assertThatThrownBy(() -> opener.open(sealed.json(), RecipientKey.privateJwk(impostor)))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void wrongRsaKeyWithoutKid_failsIntegrity() {
    SealedEnvelope sealed = sealFor(Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()));
    RSAKey other = new RSAKey.Builder(TestKeys.rsa("x")).keyID(null).build();

    assertThatThrownBy(() -> opener.open(sealed.json(), RecipientKey.privateJwk(other)))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void wrongCustodyKey_failsIntegrity() {
    SealedEnvelope sealed = sealFor(Recipient.custody("1", CUSTODY_KEY));

    assertThatThrownBy(() -> opener.open(sealed.json(), RecipientKey.custody("1", bytes(32, 99))))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void keyOfTheWrongKindForTheKid_findsNoEntry() {
    SealedEnvelope sealed = sealFor(Recipient.custody("1", CUSTODY_KEY));
    ECKey sameKidOtherKind = new ECKey.Builder(TestKeys.PARTNER_EC).keyID("custody:1").build();

    assertThatThrownBy(() -> opener.open(sealed.json(), RecipientKey.privateJwk(sameKidOtherKind)))
        .isInstanceOf(NoMatchingRecipientException.class);
  }

  @Test
  void unexpectedEnvelopeId_failsIntegrity() {
    SealedEnvelope sealed =
        TestKeys.sealer()
            .envelopeId("envelope-a")
            .build()
            .seal("s", "m", List.of(Recipient.custody("1", CUSTODY_KEY)));

    assertThatThrownBy(
            () -> opener.open(sealed.json(), RecipientKey.custody("1", CUSTODY_KEY), "envelope-b"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("envelope-b");
  }

  @Test
  void manifest_carriesEveryField() {
    Instant created = Instant.parse("2026-11-29T10:15:30.987Z");
    Instant expires = Instant.parse("2026-12-06T10:15:30Z");
    EnvelopeSealer sealer =
        TestKeys.sealer()
            .envelopeId("env-1")
            .createdAt(created)
            .expiresAt(expires)
            .chunkSize(1024)
            .build();
    AttachmentSealer a = sealer.attachment("report.pdf", "application/pdf");
    byte[] plaintext = bytes(5000, 3);
    Fixtures.seal(a, plaintext);
    SealedEnvelope sealed = sealer.seal("Subject", "Message", List.of(custody()));

    Manifest m = opener.open(sealed.json(), custodyKey()).manifest();

    assertThat(m.version()).isEqualTo(1);
    assertThat(m.envelopeId()).isEqualTo("env-1");
    assertThat(m.tenant()).isEqualTo("tenant-a");
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-29T10:15:30Z"));
    assertThat(m.expiresAt()).contains(expires);
    AttachmentDescriptor d = m.attachments().get(0);
    assertThat(d.id()).isEqualTo(a.id());
    assertThat(d.name()).isEqualTo("report.pdf");
    assertThat(d.mediaType()).isEqualTo("application/pdf");
    assertThat(d.size()).isEqualTo(5000);
    assertThat(d.chunkSize()).isEqualTo(1024);
    assertThat(d.sha256()).isEqualTo(sha256(plaintext));
    assertThat(m.attachment(a.id())).containsSame(d);
    assertThat(m.attachment("nope")).isEmpty();
  }

  @Test
  void expiry_isOptional() {
    Manifest m = opener.open(sealFor(custody()).json(), custodyKey()).manifest();

    assertThat(m.expiresAt()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void zeroToManyAttachments_roundTrip(int count) {
    EnvelopeSealer sealer = TestKeys.sealer().chunkSize(64).build();
    List<byte[]> plaintexts = new ArrayList<>();
    List<byte[]> ciphertexts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AttachmentSealer a = sealer.attachment("file-" + i + ".bin", "application/octet-stream");
      byte[] plaintext = bytes(100 * i, i);
      plaintexts.add(plaintext);
      ciphertexts.add(Fixtures.seal(a, plaintext));
      ids.add(a.id());
    }
    SealedEnvelope sealed = sealer.seal("s", "m", List.of(custody()));

    OpenedEnvelope opened = opener.open(sealed.json(), custodyKey());

    assertThat(opened.manifest().attachments()).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(opened.manifest().attachments().get(i).name()).isEqualTo("file-" + i + ".bin");
      assertThat(Fixtures.open(opened, ids.get(i), ciphertexts.get(i)))
          .isEqualTo(plaintexts.get(i));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 64, 65, 128, 129, 1000})
  void attachmentSizesAroundChunkBoundaries_roundTrip(int size) {
    EnvelopeSealer sealer = TestKeys.sealer().chunkSize(64).build();
    AttachmentSealer a = sealer.attachment("a", "application/octet-stream");
    byte[] plaintext = bytes(size, size);
    byte[] ciphertext = Fixtures.seal(a, plaintext);
    OpenedEnvelope opened =
        opener.open(sealer.seal("s", "m", List.of(custody())).json(), custodyKey());

    assertThat(Fixtures.open(opened, a.id(), ciphertext)).isEqualTo(plaintext);
    long chunks = size == 0 ? 1 : (size + 63) / 64;
    assertThat(ciphertext).hasSize(8 + size + (int) chunks * 16);
  }

  @Test
  void defaultChunkSize_overheadIsUnderOneThousandth() {
    EnvelopeSealer sealer = TestKeys.sealer().build();
    AttachmentSealer a = sealer.attachment("big.bin", "application/octet-stream");
    byte[] plaintext = bytes(3 * 1024 * 1024 + 5, 11);

    byte[] ciphertext = Fixtures.seal(a, plaintext);

    assertThat((double) (ciphertext.length - plaintext.length) / plaintext.length)
        .isLessThan(0.001);
    OpenedEnvelope opened =
        opener.open(sealer.seal("s", "m", List.of(custody())).json(), custodyKey());
    assertThat(Fixtures.open(opened, a.id(), ciphertext)).isEqualTo(plaintext);
  }

  @Test
  void attachmentWrittenByteByByteThroughTheEncryptingStream_roundTrips() throws Exception {
    EnvelopeSealer sealer = TestKeys.sealer().chunkSize(16).build();
    AttachmentSealer a = sealer.attachment("a", "text/plain");
    byte[] plaintext = "byte by byte through several chunks".getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream out = a.encryptingStream(sink)) {
      for (byte b : plaintext) {
        out.write(b);
      }
    }
    OpenedEnvelope opened =
        opener.open(sealer.seal("s", "m", List.of(custody())).json(), custodyKey());

    assertThat(Fixtures.open(opened, a.id(), sink.toByteArray())).isEqualTo(plaintext);
  }

  @Test
  void emptyMessage_roundTrips() {
    SealedEnvelope sealed = TestKeys.sealer().build().seal("", "", List.of(custody()));

    Manifest m = opener.open(sealed.json(), custodyKey()).manifest();

    assertThat(m.subject()).isEmpty();
    assertThat(m.message()).isEmpty();
  }

  @Test
  void multiMegabyteMessage_roundTrips() {
    StringBuilder b = new StringBuilder();
    while (b.length() < 3 * 1024 * 1024) {
      b.append("Policy line ").append(b.length()).append(" \u00e9\u4e2d\n");
    }
    String message = b.toString();
    SealedEnvelope sealed = TestKeys.sealer().build().seal("s", message, List.of(custody()));

    assertThat(opener.open(sealed.json(), custodyKey()).manifest().message()).isEqualTo(message);
  }

  @Test
  void nonAsciiText_roundTrips() {
    EnvelopeSealer sealer = TestKeys.sealer().tenant("assurance-\u00e9t\u00e9").build();
    AttachmentSealer a =
        sealer.attachment(
            "\u0645\u0644\u0641 \u00e9t\u00e9 \u4fdd\u9669 \ud83d\udcc4.pdf", "application/pdf");
    byte[] plaintext = "\u00e7a marche \ud83d\udc4d".getBytes(StandardCharsets.UTF_8);
    byte[] ciphertext = Fixtures.seal(a, plaintext);
    SealedEnvelope sealed =
        sealer.seal(
            "Vos documents \u00e0 signer",
            "Gr\u00fc\u00dfe \u2013 \u4f60\u597d \"quoted\" \\ </script>",
            List.of(custody()));

    OpenedEnvelope opened = opener.open(sealed.json(), custodyKey());

    Manifest m = opened.manifest();
    assertThat(m.tenant()).isEqualTo("assurance-\u00e9t\u00e9");
    assertThat(m.subject()).isEqualTo("Vos documents \u00e0 signer");
    assertThat(m.message())
        .isEqualTo("Gr\u00fc\u00dfe \u2013 \u4f60\u597d \"quoted\" \\ </script>");
    assertThat(m.attachments().get(0).name())
        .isEqualTo("\u0645\u0644\u0641 \u00e9t\u00e9 \u4fdd\u9669 \ud83d\udcc4.pdf");
    assertThat(Fixtures.open(opened, a.id(), ciphertext)).isEqualTo(plaintext);
  }

  @Test
  void flattenedEntry_opensWithItsKeyAndCarriesNoOtherEncryptedKey() {
    SealedEnvelope sealed =
        sealFor(
            Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()),
            Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()),
            custody());
    Map<String, Object> general = Fixtures.parse(sealed.json());
    List<String> otherKeys = new ArrayList<>();
    for (Object o : (List<?>) general.get("recipients")) {
      Map<?, ?> entry = (Map<?, ?>) o;
      if (!"partner-ec-1".equals(((Map<?, ?>) entry.get("header")).get("kid"))) {
        otherKeys.add((String) entry.get("encrypted_key"));
      }
    }

    String flat = sealed.flattenedFor("partner-ec-1");

    assertThat(flat)
        .doesNotContain("recipients")
        .doesNotContain("partner-rsa-1")
        .doesNotContain("custody:");
    for (String other : otherKeys) {
      assertThat(flat).doesNotContain(other);
    }
    assertThat(Fixtures.parse(flat))
        .containsOnlyKeys("protected", "header", "encrypted_key", "iv", "ciphertext", "tag");
    assertThat(opener.open(flat, RecipientKey.privateJwk(TestKeys.PARTNER_EC)).manifest().message())
        .isEqualTo("Hello");
    assertThat(EnvelopeFormat.flatten(sealed.json(), "partner-ec-1")).isEqualTo(flat);
    assertThat(EnvelopeFormat.flatten(flat, "partner-ec-1")).isEqualTo(flat);
    assertThatThrownBy(() -> opener.open(flat, RecipientKey.privateJwk(TestKeys.PARTNER_RSA)))
        .isInstanceOf(NoMatchingRecipientException.class);
    assertThatThrownBy(() -> EnvelopeFormat.flatten(sealed.json(), "nobody"))
        .isInstanceOf(NoMatchingRecipientException.class);
  }

  @Test
  void nimbusOnItsOwn_decryptsAndVerifiesWhatWeSeal() throws Exception {
    LinkKek kek = LinkKek.derive(bytes(32, 1), bytes(32, 2), "e");
    SealedEnvelope multi =
        sealFor(
            Recipient.partner(TestKeys.PARTNER_RSA.toPublicJWK()),
            Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()),
            Recipient.link("c", kek));

    // Nimbus 10.10 reads a JSON JWE's per-recipient header only when there are several recipients:
    // with one (General or flattened) it looks for alg in the protected header alone. So it is
    // checked against the several-recipient form; our opener reads every form.
    for (com.nimbusds.jose.jwk.JWK key :
        List.<com.nimbusds.jose.jwk.JWK>of(TestKeys.PARTNER_RSA, TestKeys.PARTNER_EC)) {
      JWEObjectJSON jwe = JWEObjectJSON.parse(multi.json());
      jwe.decrypt(new MultiDecrypter(key));
      JWSObject jws = JWSObject.parse(jwe.getPayload().toString());
      assertThat(jws.verify(new ECDSAVerifier(TestKeys.SIGNER.toPublicJWK()))).isTrue();
      assertThat(jws.getHeader().getKeyID()).isEqualTo("tenant-a-sig-1");
      assertThat(jws.getHeader().getType().getType()).isEqualTo("sealpost-manifest+jws");
      assertThat(jws.getPayload().toJSONObject()).containsEntry("message", "Hello");
    }
  }

  @Test
  void protectedHeader_carriesEncAndCtyOnly() {
    Map<String, Object> jwe = Fixtures.parse(sealFor(custody()).json());

    String header =
        new String(Fixtures.unb64((String) jwe.get("protected")), StandardCharsets.UTF_8);

    assertThat(Fixtures.parse(header))
        .containsOnly(Map.entry("enc", "A256GCM"), Map.entry("cty", "sealpost-manifest+jws"));
  }

  @Test
  void sealer_refusesIncompleteAttachmentsDuplicateKidsAndReuse() throws Exception {
    EnvelopeSealer sealer = TestKeys.sealer().build();
    AttachmentSealer a = sealer.attachment("a", "text/plain");
    java.io.OutputStream unfinished = a.encryptingStream(new java.io.ByteArrayOutputStream());
    unfinished.write(1);

    assertThatThrownBy(() -> sealer.seal("s", "m", List.of(custody())))
        .isInstanceOf(IllegalStateException.class);
    unfinished.close();
    assertThatThrownBy(() -> a.encryptingStream(new java.io.ByteArrayOutputStream()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sealer.seal("s", "m", List.of(custody(), custody())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sealer.seal("s", "m", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    sealer.seal("s", "m", List.of(custody()));
    assertThatThrownBy(() -> sealer.seal("s", "m", List.of(custody())))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void builder_namesWhatIsMissing() {
    assertThatThrownBy(
            () -> EnvelopeSealer.builder().signer(ManifestSigner.fromJwk(TestKeys.SIGNER)).build())
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> EnvelopeSealer.builder().tenant("t").build())
        .hasMessageContaining("signer");
    assertThatThrownBy(() -> EnvelopeOpener.builder().build()).hasMessageContaining("trust");
  }

  static Recipient custody() {
    return Recipient.custody("1", CUSTODY_KEY);
  }

  static RecipientKey custodyKey() {
    return RecipientKey.custody("1", CUSTODY_KEY);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> entryHeader(String json, int index) {
    Map<String, Object> jwe = Fixtures.parse(json);
    Map<?, ?> entry = (Map<?, ?>) ((List<?>) jwe.get("recipients")).get(index);
    return (Map<String, Object>) entry.get("header");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
