package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.bytes;
import static dev.sealpost.envelope.Fixtures.flipBit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.internal.Hkdf;
import dev.sealpost.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkReissueTest {
  private static final byte[] CUSTODY_KEY = bytes(32, 11);
  private static final String CUSTODY_KID = "custody:1";
  private static final String RECIPIENT = "0b6d4c1e-5f2a-4e1b-9a7c-3d2e1f0a9b8c";

  private final EnvelopeOpener opener = TestKeys.opener();
  private final EnvelopeSealer sealer = TestKeys.sealer().build();
  private final String envelopeId = sealer.envelopeId();
  private final LinkSecret oldLink = LinkSecret.generate();
  private final byte[] oldShare = LinkKek.generateServerShare();
  private final LinkSecret newLink = LinkSecret.generate();
  private final byte[] newShare = LinkKek.generateServerShare();

  /** Partner EC, the consumer link, another consumer link and custody, as the server seals. */
  private final String sealed =
      sealer
          .seal(
              "Your documents",
              "Hello",
              List.of(
                  Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK()),
                  Recipient.link(RECIPIENT, kek(oldShare, oldLink)),
                  Recipient.link("other-consumer", kek(oldShare, LinkSecret.generate())),
                  Recipient.custody("1", CUSTODY_KEY)))
          .json();

  private LinkKek kek(byte[] serverShare, LinkSecret link) {
    return LinkKek.derive(serverShare, link.linkShare(), envelopeId);
  }

  private String rewrap(String json) {
    return LinkReissue.rewrap(json, CUSTODY_KID, CUSTODY_KEY, RECIPIENT, kek(newShare, newLink));
  }

  @Test
  void afterRewrap_theNewLinkOpens_andTheOldOneNoLonger() {
    String reissued = rewrap(sealed);

    RecipientKey fresh = RecipientKey.link(RECIPIENT, kek(newShare, newLink));
    assertThat(opener.open(reissued, fresh, envelopeId).manifest().message()).isEqualTo("Hello");
    assertThat(opener.open(EnvelopeFormat.flatten(reissued, RECIPIENT), fresh, envelopeId))
        .isNotNull();
    RecipientKey stale = RecipientKey.link(RECIPIENT, kek(oldShare, oldLink));
    assertThat(opener.open(sealed, stale, envelopeId)).isNotNull();
    assertThatThrownBy(() -> opener.open(reissued, stale, envelopeId))
        .isInstanceOf(IntegrityException.class);
    // The new link secret with the old server share, or the reverse, opens nothing either.
    assertThatThrownBy(
            () -> opener.open(reissued, RecipientKey.link(RECIPIENT, kek(oldShare, newLink))))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(
            () -> opener.open(reissued, RecipientKey.link(RECIPIENT, kek(newShare, oldLink))))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void rewrap_changesOnlyThatEntrysEncryptedKey() {
    String reissued = rewrap(sealed);

    String before = encryptedKey(sealed, RECIPIENT);
    String after = encryptedKey(reissued, RECIPIENT);
    assertThat(after).isNotEqualTo(before).hasSize(54); // 40 bytes
    // Every other byte of the document, including the entry's header, is as sealed.
    assertThat(reissued.replace(after, before)).isEqualTo(sealed);
    for (String kid : List.of("partner-ec-1", "other-consumer", CUSTODY_KID)) {
      assertThat(EnvelopeFormat.flatten(reissued, kid))
          .isEqualTo(EnvelopeFormat.flatten(sealed, kid));
    }
    assertThat(opener.open(reissued, RecipientKey.privateJwk(TestKeys.PARTNER_EC))).isNotNull();
    assertThat(opener.open(reissued, RecipientKey.custody("1", CUSTODY_KEY))).isNotNull();
  }

  @Test
  void rewrap_isDeterministic_andCanBeRepeated() {
    String once = rewrap(sealed);

    assertThat(rewrap(sealed)).isEqualTo(once);
    assertThat(rewrap(once)).isEqualTo(once);
  }

  /** The bytes the server wrote before the operation moved here (map edit, JCE AESWrap). */
  @Test
  void rewrap_writesTheSameDocumentAsTheServersFormerMapEdit() throws Exception {
    assertThat(rewrap(sealed)).isEqualTo(formerServerRewrap(sealed));
  }

  @Test
  void wrongCustodyKey_failsAsIntegrity() {
    assertThatThrownBy(
            () ->
                LinkReissue.rewrap(
                    sealed, CUSTODY_KID, bytes(32, 12), RECIPIENT, kek(newShare, newLink)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageNotContaining(Fixtures.b64(CUSTODY_KEY));
  }

  @ParameterizedTest
  @ValueSource(strings = {"custody encrypted_key", "iv", "ciphertext", "tag", "protected"})
  void flippedByte_failsAsIntegrity(String part) {
    Map<String, Object> jwe = Fixtures.parse(sealed);
    if (part.equals("custody encrypted_key")) {
      Map<String, Object> entry = entryOf(jwe, CUSTODY_KID);
      entry.put("encrypted_key", flipBit((String) entry.get("encrypted_key"), 7));
    } else if (part.equals("protected")) {
      // One more space in the decoded header: same meaning, another AAD.
      String header = new String(Fixtures.unb64((String) jwe.get("protected")));
      jwe.put("protected", Fixtures.b64(header.replace("\"enc\":", "\"enc\": ")));
    } else {
      jwe.put(part, flipBit((String) jwe.get(part), 3));
    }

    assertThatThrownBy(() -> rewrap(Fixtures.write(jwe))).isInstanceOf(IntegrityException.class);
  }

  @Test
  void missingOrMisfitEntries_failAsNoRecipient() {
    LinkKek kek = kek(newShare, newLink);
    assertThatThrownBy(() -> LinkReissue.rewrap(sealed, CUSTODY_KID, CUSTODY_KEY, "nobody", kek))
        .isInstanceOf(NoMatchingRecipientException.class);
    assertThatThrownBy(() -> LinkReissue.rewrap(sealed, "custody:2", CUSTODY_KEY, RECIPIENT, kek))
        .isInstanceOf(NoMatchingRecipientException.class);
    assertThatThrownBy(
            () -> LinkReissue.rewrap(sealed, CUSTODY_KID, CUSTODY_KEY, "partner-ec-1", kek))
        .isInstanceOf(NoMatchingRecipientException.class);
    String flattened = EnvelopeFormat.flatten(sealed, RECIPIENT);
    assertThatThrownBy(
            () -> LinkReissue.rewrap(flattened, CUSTODY_KID, CUSTODY_KEY, RECIPIENT, kek))
        .isInstanceOf(NoMatchingRecipientException.class);
  }

  @Test
  void badArguments_areRefusedBeforeParsing() {
    LinkKek kek = kek(newShare, newLink);
    assertThatThrownBy(() -> LinkReissue.rewrap(sealed, CUSTODY_KID, new byte[16], RECIPIENT, kek))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkReissue.rewrap(sealed, CUSTODY_KID, CUSTODY_KEY, CUSTODY_KID, kek))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkReissue.rewrap("{", CUSTODY_KID, CUSTODY_KEY, RECIPIENT, kek))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  // ---------------------------------------------------------------- helpers

  private static String encryptedKey(String json, String kid) {
    return (String) entryOf(Fixtures.parse(json), kid).get("encrypted_key");
  }

  /** The entry with this kid, replaced in {@code jwe} by a mutable copy. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> entryOf(Map<String, Object> jwe, String kid) {
    List<Object> recipients = new ArrayList<>((List<Object>) jwe.get("recipients"));
    jwe.put("recipients", recipients);
    for (int i = 0; i < recipients.size(); i++) {
      Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) recipients.get(i));
      if (kid.equals(((Map<String, Object>) entry.get("header")).get("kid"))) {
        recipients.set(i, entry);
        return entry;
      }
    }
    throw new AssertionError("no entry " + kid);
  }

  /** ReissueLink.rewrap as the api wrote it until the operation moved into the SDK. */
  private String formerServerRewrap(String generalJson) throws Exception {
    Map<String, Object> jwe = Json.parseObject(generalJson, 32 * 1024 * 1024, 5, "manifest JWE");
    Map<String, Object> custodyEntry = entryOf(jwe, CUSTODY_KID);
    Map<String, Object> target = entryOf(jwe, RECIPIENT);
    byte[] ikm = new byte[64];
    System.arraycopy(newShare, 0, ikm, 0, 32);
    System.arraycopy(newLink.linkShare(), 0, ikm, 32, 32);
    byte[] kek =
        Hkdf.sha256(
            ikm,
            envelopeId.getBytes(StandardCharsets.UTF_8),
            "sealpost link kek v1".getBytes(StandardCharsets.UTF_8),
            32);
    Cipher unwrap = Cipher.getInstance("AESWrap");
    unwrap.init(Cipher.UNWRAP_MODE, new SecretKeySpec(CUSTODY_KEY, "AES"));
    Key cek =
        unwrap.unwrap(
            Fixtures.unb64((String) custodyEntry.get("encrypted_key")), "AES", Cipher.SECRET_KEY);
    Cipher wrap = Cipher.getInstance("AESWrap");
    wrap.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
    target.put("encrypted_key", Fixtures.b64(wrap.wrap(cek)));
    return Json.write(jwe);
  }
}
