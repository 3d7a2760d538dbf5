package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import dev.sealpost.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Every step of "checking a reply" (FORMAT.md 12.6) failing on its own: each case is a correct
 * reply except for the one fault it names, and the control case opens.
 */
class ReplyTamperTest {
  private static final String ENVELOPE = UUID.randomUUID().toString();
  private static final String RECIPIENT = UUID.randomUUID().toString();
  private static final ECKey KEY = TestKeys.PARTNER_EC;
  private final ReplyOpener opener = ReplyOpener.builder().trust(TestKeys.TRUSTED).build();

  private final byte[] file = bytes(5000, 11);
  private final Replies.Upload upload =
      Replies.seal(ENVELOPE, RECIPIENT, List.of(KEY.toPublicJWK()), file, bytes(100, 12));

  private OpenedReply open(String receipt, byte[] manifest, String envelopeId, String replyId) {
    return opener.open(receipt, manifest, RecipientKey.privateJwk(KEY), envelopeId, replyId);
  }

  private OpenedReply open(String receipt, byte[] manifest) {
    return open(receipt, manifest, ENVELOPE, upload.sealed.replyId());
  }

  private String receipt(Map<String, Object> payload) {
    return Replies.sign(TestKeys.SIGNER, Replies.header("tenant-a-sig-1"), payload);
  }

  private String id(int i) {
    return upload.sealed.attachmentIds().get(i);
  }

  @Test
  void control_opens() {
    OpenedReply reply = open(Replies.receipt(TestKeys.SIGNER, upload), upload.manifest());
    assertThat(Replies.open(reply, id(0), upload.objects.get(id(0)))).isEqualTo(file);
  }

  // Step 1: the receipt.

  @Test
  void receiptFromAnUntrustedKey_isUntrustedSigner() {
    String receipt = Replies.receipt(TestKeys.OTHER_SIGNER, upload);
    assertThatThrownBy(() -> open(receipt, upload.manifest()))
        .isInstanceOf(UntrustedSignerException.class);
  }

  @Test
  void receiptSignedByAnotherKeyUnderATrustedKid_isIntegrity() {
    String receipt =
        Replies.sign(TestKeys.ec("tenant-a-sig-1"), Replies.header("tenant-a-sig-1"), payload());
    assertThatThrownBy(() -> open(receipt, upload.manifest()))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void receiptTypChanged_isUnsupported() {
    for (String typ : List.of("sealpost-manifest+jws", "JWT", "sealpost-reply-receipt+JWS")) {
      String header = "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\"" + typ + "\"}";
      String receipt = Replies.sign(TestKeys.SIGNER, header, payload());
      assertThatThrownBy(() -> open(receipt, upload.manifest()))
          .as(typ)
          .isInstanceOf(UnsupportedFormatException.class)
          .hasMessageContaining("typ");
    }
    String noTyp = "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\"}";
    assertThatThrownBy(
            () -> open(Replies.sign(TestKeys.SIGNER, noTyp, payload()), upload.manifest()))
        .isInstanceOf(UnsupportedFormatException.class);
  }

  @Test
  void receiptAlgNone_isUnsupported() {
    String input =
        Fixtures.b64(
                "{\"alg\":\"none\",\"kid\":\"tenant-a-sig-1\",\"typ\":\""
                    + ReplyReceipt.TYPE
                    + "\"}")
            + "."
            + Fixtures.b64(Json.write(payload()));
    assertThatThrownBy(() -> open(input + ".", upload.manifest()))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("ES256");
  }

  @Test
  void receiptHs256KeyedWithThePublicKey_isUnsupported() throws Exception {
    String input =
        Fixtures.b64(
                "{\"alg\":\"HS256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\""
                    + ReplyReceipt.TYPE
                    + "\"}")
            + "."
            + Fixtures.b64(Json.write(payload()));
    Mac mac = Mac.getInstance("HmacSHA256");
    byte[] secret = TestKeys.SIGNER.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    String jws = input + "." + Fixtures.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> open(jws, upload.manifest()))
        .isInstanceOf(UnsupportedFormatException.class);
  }

  @Test
  void receiptHeaderThatIsNotFlat_isMalformed_andAnExtraParameter_isUnsupported() {
    String nested =
        "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\""
            + ReplyReceipt.TYPE
            + "\",\"jwk\":"
            + TestKeys.OTHER_SIGNER.toPublicJWK().toJSONString()
            + "}";
    assertThatThrownBy(
            () -> open(Replies.sign(TestKeys.SIGNER, nested, payload()), upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class);
    String jku =
        "{\"alg\":\"ES256\",\"kid\":\"tenant-a-sig-1\",\"typ\":\""
            + ReplyReceipt.TYPE
            + "\",\"jku\":\"https://evil.example/jwks\"}";
    assertThatThrownBy(() -> open(Replies.sign(TestKeys.SIGNER, jku, payload()), upload.manifest()))
        .isInstanceOf(UnsupportedFormatException.class);
  }

  @Test
  void receiptForAnotherReplyOrEnvelope_isIntegrity() {
    String receipt = Replies.receipt(TestKeys.SIGNER, upload);
    String otherId = UUID.randomUUID().toString();
    assertThatThrownBy(() -> open(receipt, upload.manifest(), ENVELOPE, otherId))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> open(receipt, upload.manifest(), otherId, upload.sealed.replyId()))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void receiptPayloadVersion2_isUnsupported_andWithoutManifestDigest_isMalformed() {
    Map<String, Object> v2 = payload();
    v2.put("v", 2);
    assertThatThrownBy(() -> open(receipt(v2), upload.manifest()))
        .isInstanceOf(UnsupportedFormatException.class);
    Map<String, Object> noManifest = payload();
    noManifest.remove("manifest");
    assertThatThrownBy(() -> open(receipt(noManifest), upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @Test
  void hostileReceipts_areMalformed_beforeAnyKeyIsUsed() {
    String deepHeader = Fixtures.b64("{\"alg\":" + HandNesting.deep(10_000) + "}");
    assertThatThrownBy(() -> open(deepHeader + ".e30.AA", upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class);
    String huge = "a".repeat(300_000);
    assertThatThrownBy(() -> open(huge + "..", upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("larger than");
    assertThatThrownBy(() -> open("only.two", upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class);
    Map<String, Object> deepPayload = payload();
    deepPayload.put("extra", List.of(List.of(List.of(1))));
    assertThatThrownBy(() -> open(receipt(deepPayload), upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("nests deeper");
    Map<String, Object> twice = payload();
    List<Object> parts = new java.util.ArrayList<>((List<?>) twice.get("attachments"));
    parts.add(parts.get(0));
    twice.put("attachments", parts);
    assertThatThrownBy(() -> open(receipt(twice), upload.manifest()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("share an id");
  }

  /** Deeply nested JSON arrays. */
  private static final class HandNesting {
    static String deep(int n) {
      return "[".repeat(n) + "]".repeat(n);
    }
  }

  @Test
  void receiptSignerOfAnotherTenant_isUntrustedWhenRequired() {
    ECKey tenantA = TestKeys.ec("tenant-a.1");
    ECKey tenantB = TestKeys.ec("tenant-b.1");
    TrustedKeys serverJwks = TrustedKeys.of(List.of(tenantA.toPublicJWK(), tenantB.toPublicJWK()));
    ReplyOpener strict =
        ReplyOpener.builder().trust(serverJwks).requireSignerOfReceiptTenant().build();
    RecipientKey key = RecipientKey.privateJwk(KEY);
    String replyId = upload.sealed.replyId();

    strict.open(Replies.receipt(tenantA, upload), upload.manifest(), key, ENVELOPE, replyId);
    assertThatThrownBy(
            () ->
                strict.open(
                    Replies.receipt(tenantB, upload), upload.manifest(), key, ENVELOPE, replyId))
        .isInstanceOf(UntrustedSignerException.class)
        .hasMessageContaining("another tenant");
  }

  // Step 2: the manifest bytes.

  @Test
  void manifestByteChangedWithReceiptUnchanged_isIntegrity() {
    String receipt = Replies.receipt(TestKeys.SIGNER, upload);
    // A space after the opening brace: still the same JWE, which would decrypt; the digest fails.
    byte[] respaced = ("{ " + upload.sealed.json().substring(1)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> open(receipt, respaced))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("SHA-256");
    byte[] flipped = upload.manifest();
    flipped[flipped.length / 2] ^= 0x01;
    assertThatThrownBy(() -> open(receipt, flipped)).isInstanceOf(IntegrityException.class);
  }

  // Step 3: the JWE and the manifest against the receipt.

  @Test
  void envelopeManifestFedToTheReplyOpener_isUnsupported() {
    SealedEnvelope envelope =
        TestKeys.sealer().build().seal("s", "m", List.of(Recipient.partner(KEY.toPublicJWK())));
    byte[] bytes = envelope.json().getBytes(StandardCharsets.UTF_8);
    String receipt =
        receipt(Replies.payload(ENVELOPE, RECIPIENT, upload.sealed.replyId(), bytes, Map.of()));
    assertThatThrownBy(() -> open(receipt, bytes))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("sealpost-reply+json");
  }

  @Test
  void replyManifestFedToTheEnvelopeOpener_isUnsupported() {
    assertThatThrownBy(
            () -> TestKeys.opener().open(upload.sealed.json(), RecipientKey.privateJwk(KEY)))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("sealpost-manifest+jws");
  }

  @Test
  void replyJweWithAnA256kwEntry_isUnsupported() {
    LinkKek kek = LinkKek.derive(bytes(32, 1), bytes(32, 2), ENVELOPE);
    String json =
        Replies.encrypt(upload.sealed.manifest(), List.of(Recipient.link(RECIPIENT, kek)));
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    String receipt =
        receipt(
            Replies.payload(ENVELOPE, RECIPIENT, upload.sealed.replyId(), bytes, upload.objects));
    assertThatThrownBy(
            () ->
                opener.open(
                    receipt, bytes, RecipientKey.link(kek), ENVELOPE, upload.sealed.replyId()))
        .isInstanceOf(UnsupportedFormatException.class)
        .hasMessageContaining("A256KW");
  }

  @Test
  void manifestReplyIdDiffersFromTheReceipt_isIntegrity() {
    // The server signs a receipt for the bytes it got, under another reply id.
    String otherReply = UUID.randomUUID().toString();
    String receipt =
        receipt(
            Replies.payload(ENVELOPE, RECIPIENT, otherReply, upload.manifest(), upload.objects));
    assertThatThrownBy(() -> open(receipt, upload.manifest(), ENVELOPE, otherReply))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("reply manifest names another");
  }

  @Test
  void manifestEnvelopeOrRecipientDiffersFromTheReceipt_isIntegrity() {
    String other = UUID.randomUUID().toString();
    String replyId = upload.sealed.replyId();
    String otherEnvelope =
        receipt(Replies.payload(other, RECIPIENT, replyId, upload.manifest(), upload.objects));
    assertThatThrownBy(() -> open(otherEnvelope, upload.manifest(), other, replyId))
        .isInstanceOf(IntegrityException.class);
    String otherRecipient =
        receipt(Replies.payload(ENVELOPE, other, replyId, upload.manifest(), upload.objects));
    assertThatThrownBy(() -> open(otherRecipient, upload.manifest()))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void receiptWithAnExtraOrAMissingAttachmentId_isIntegrity() {
    Map<String, byte[]> extra = new LinkedHashMap<>(upload.objects);
    extra.put(UUID.randomUUID().toString(), bytes(40, 5));
    assertThatThrownBy(() -> open(receipt(payloadWith(extra)), upload.manifest()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("other attachments");
    Map<String, byte[]> missing = new LinkedHashMap<>(upload.objects);
    missing.remove(id(1));
    assertThatThrownBy(() -> open(receipt(payloadWith(missing)), upload.manifest()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("other attachments");
  }

  @Test
  void replyManifestVersion2_isUnsupported() {
    String json =
        "{\"v\":2,\"replyId\":\""
            + upload.sealed.replyId()
            + "\",\"envelopeId\":\""
            + ENVELOPE
            + "\",\"recipientId\":\""
            + RECIPIENT
            + "\",\"created\":\"2026-12-06T20:00:00Z\",\"message\":\"\",\"attachments\":[]}";
    byte[] bytes =
        Replies.encryptRaw(json, List.of(Recipient.partner(KEY.toPublicJWK())))
            .getBytes(StandardCharsets.UTF_8);
    String receipt =
        receipt(Replies.payload(ENVELOPE, RECIPIENT, upload.sealed.replyId(), bytes, Map.of()));
    assertThatThrownBy(() -> open(receipt, bytes)).isInstanceOf(UnsupportedFormatException.class);
  }

  // Step 4: the attachment objects.

  @Test
  void attachmentByteFlippedWithReceiptUnchanged_isIntegrity() {
    OpenedReply reply = open(Replies.receipt(TestKeys.SIGNER, upload), upload.manifest());
    byte[] flipped = upload.objects.get(id(0)).clone();
    flipped[100] ^= 0x01;
    assertThatThrownBy(() -> Replies.open(reply, id(0), flipped))
        .isInstanceOf(IntegrityException.class);
    byte[] truncated = java.util.Arrays.copyOf(upload.objects.get(id(0)), 200);
    assertThatThrownBy(() -> Replies.open(reply, id(0), truncated))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void attachmentSwappedBetweenTwoReplies_isIntegrity() {
    Replies.Upload other =
        Replies.seal(ENVELOPE, RECIPIENT, List.of(KEY.toPublicJWK()), file, bytes(100, 12));
    byte[] theirs = other.objects.get(other.sealed.attachmentIds().get(0));

    // With the honest receipt, the digest differs.
    OpenedReply reply = open(Replies.receipt(TestKeys.SIGNER, upload), upload.manifest());
    assertThatThrownBy(() -> Replies.open(reply, id(0), theirs))
        .isInstanceOf(IntegrityException.class);

    // Even a receipt signed over the swapped object does not help: the STREAM key and the AAD's
    // reply and attachment ids differ.
    Map<String, byte[]> swapped = new LinkedHashMap<>(upload.objects);
    swapped.put(id(0), theirs);
    OpenedReply lying = open(receipt(payloadWith(swapped)), upload.manifest());
    assertThatThrownBy(() -> Replies.open(lying, id(0), theirs))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void anEnvelopesAttachmentPresentedAsAReplyAttachment_isIntegrity() {
    // The same key, nonce prefix and attachment id, sealed with the envelope id in the AAD: only
    // the AAD differs from a correct reply attachment. The control sealed with the reply id opens.
    String replyId = UUID.randomUUID().toString();
    String attachmentId = UUID.randomUUID().toString();
    AttachmentSealer asEnvelope =
        new AttachmentSealer(ENVELOPE, attachmentId, "f.bin", "application/octet-stream", 64);
    byte[] object = Fixtures.seal(asEnvelope, file);
    AttachmentDescriptor d = asEnvelope.descriptor();
    byte[] control = sealWith(d, replyId, file);

    ReplyManifest manifest =
        new ReplyManifest(replyId, ENVELOPE, RECIPIENT, Instant.now(), "m", List.of(d));
    byte[] bytes =
        Replies.encrypt(manifest, List.of(Recipient.partner(KEY.toPublicJWK())))
            .getBytes(StandardCharsets.UTF_8);

    OpenedReply ok =
        open(
            receipt(
                Replies.payload(
                    ENVELOPE, RECIPIENT, replyId, bytes, Map.of(attachmentId, control))),
            bytes,
            ENVELOPE,
            replyId);
    assertThat(Replies.open(ok, attachmentId, control)).isEqualTo(file);
    OpenedReply reply =
        open(
            receipt(
                Replies.payload(ENVELOPE, RECIPIENT, replyId, bytes, Map.of(attachmentId, object))),
            bytes,
            ENVELOPE,
            replyId);
    assertThatThrownBy(() -> Replies.open(reply, attachmentId, object))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void anAttachmentIdTheReplyDoesNotList_isIntegrity() {
    OpenedReply reply = open(Replies.receipt(TestKeys.SIGNER, upload), upload.manifest());
    assertThatThrownBy(
            () -> Replies.open(reply, UUID.randomUUID().toString(), upload.objects.get(id(0))))
        .isInstanceOf(IntegrityException.class);
  }

  private Map<String, Object> payload() {
    return Replies.payload(upload);
  }

  private Map<String, Object> payloadWith(Map<String, byte[]> objects) {
    return Replies.payload(
        ENVELOPE, RECIPIENT, upload.sealed.replyId(), upload.manifest(), objects);
  }

  /** Seals {@code plaintext} with a descriptor's key and nonce prefix and {@code contextId}. */
  private static byte[] sealWith(AttachmentDescriptor d, String contextId, byte[] plaintext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc =
        new AttachmentStreams.EncryptingStream(
            out,
            d.key(),
            d.noncePrefix(),
            d.chunkSize(),
            AttachmentStreams.associatedData(d.chunkSize(), contextId, d.id()),
            (size, sha) -> {})) {
      enc.write(plaintext);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
