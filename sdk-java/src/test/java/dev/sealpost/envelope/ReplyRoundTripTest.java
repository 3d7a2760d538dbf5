package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplyRoundTripTest {
  private static final String ENVELOPE = UUID.randomUUID().toString();
  private static final String RECIPIENT = UUID.randomUUID().toString();
  private final ReplyOpener opener = ReplyOpener.builder().trust(TestKeys.TRUSTED).build();

  private OpenedReply open(Replies.Upload u, JWK privateKey) {
    return opener.open(
        Replies.receipt(TestKeys.SIGNER, u),
        u.manifest(),
        RecipientKey.privateJwk(privateKey),
        ENVELOPE,
        u.sealed.replyId());
  }

  @Test
  void rsaReplyKey_roundTripsWithAttachments() {
    byte[] big = bytes(200_000, 1);
    byte[] empty = new byte[0];
    Replies.Upload u =
        Replies.seal(ENVELOPE, RECIPIENT, List.of(TestKeys.PARTNER_RSA.toPublicJWK()), big, empty);

    OpenedReply reply = open(u, TestKeys.PARTNER_RSA);

    assertThat(reply.manifest().message()).isEqualTo("Here is my answer.");
    assertThat(reply.manifest().envelopeId()).isEqualTo(ENVELOPE);
    assertThat(reply.manifest().recipientId()).isEqualTo(RECIPIENT);
    assertThat(reply.receipt().signerKeyId()).isEqualTo("tenant-a-sig-1");
    List<String> ids = u.sealed.attachmentIds();
    assertThat(ids).containsExactlyElementsOf(u.objects.keySet());
    assertThat(Replies.open(reply, ids.get(0), u.objects.get(ids.get(0)))).isEqualTo(big);
    assertThat(Replies.open(reply, ids.get(1), u.objects.get(ids.get(1)))).isEmpty();
    assertThat(entry(u.sealed.json(), 0)).containsEntry("alg", "RSA-OAEP-256");
  }

  @Test
  void ecReplyKey_roundTrips() {
    byte[] file = bytes(70_000, 2);
    Replies.Upload u =
        Replies.seal(ENVELOPE, RECIPIENT, List.of(TestKeys.PARTNER_EC.toPublicJWK()), file);

    OpenedReply reply = open(u, TestKeys.PARTNER_EC);

    String id = u.sealed.attachmentIds().get(0);
    assertThat(Replies.open(reply, id, u.objects.get(id))).isEqualTo(file);
    assertThat(entry(u.sealed.json(), 0))
        .containsEntry("alg", "ECDH-ES+A256KW")
        .containsEntry("kid", "partner-ec-1")
        .containsKey("epk");
  }

  @Test
  void generalJweWithTwoReplyKeys_opensWithEach() {
    byte[] file = bytes(1000, 3);
    Replies.Upload u =
        Replies.seal(
            ENVELOPE,
            RECIPIENT,
            List.of(TestKeys.PARTNER_RSA.toPublicJWK(), TestKeys.PARTNER_EC.toPublicJWK()),
            file);
    String id = u.sealed.attachmentIds().get(0);

    for (JWK key : List.<JWK>of(TestKeys.PARTNER_RSA, TestKeys.PARTNER_EC)) {
      OpenedReply reply = open(u, key);
      assertThat(Replies.open(reply, id, u.objects.get(id))).isEqualTo(file);
    }
    assertThat(u.sealed.keyIds()).containsExactly("partner-rsa-1", "partner-ec-1");
    Map<String, Object> jwe = Fixtures.parse(u.sealed.json());
    assertThat(new String(Fixtures.unb64((String) jwe.get("protected")), StandardCharsets.UTF_8))
        .isEqualTo("{\"cty\":\"sealpost-reply+json\",\"enc\":\"A256GCM\"}");
    assertThat((List<?>) jwe.get("recipients")).hasSize(2);
    // A key the reply was not sealed for finds no entry.
    assertThatThrownBy(() -> open(u, TestKeys.PARTNER_EC_2))
        .isInstanceOf(NoMatchingRecipientException.class);
  }

  @Test
  void wrongPrivateKeyUnderTheSameKid_isIntegrity() {
    Replies.Upload u =
        Replies.seal(ENVELOPE, RECIPIENT, List.of(TestKeys.PARTNER_EC.toPublicJWK()));
    assertThatThrownBy(() -> open(u, TestKeys.ec("partner-ec-1")))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theUploadPart_declaresTheReplyAndAttachmentIdsOnly(@TempDir Path dir) throws Exception {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(ENVELOPE)
            .recipientId(RECIPIENT)
            .replyKeysJson("{\"keys\":[" + TestKeys.PARTNER_EC.toPublicJWK().toJSONString() + "]}")
            .build();
    Path file = Files.write(dir.resolve("in.txt"), "claim form".getBytes(StandardCharsets.UTF_8));
    Path outDir = Files.createDirectory(dir.resolve("out"));
    String id = sealer.attach("in.txt", "text/plain", file, outDir);
    SealedReply sealed = sealer.seal("");
    sealed.writeTo(outDir);

    Map<String, Object> upload = Fixtures.parse(sealed.uploadJson());
    assertThat(upload).containsOnlyKeys("replyId", "attachments");
    assertThat(upload.get("replyId")).isEqualTo(sealer.replyId());
    assertThat((List<Object>) upload.get("attachments")).containsExactly(id);
    assertThat(Files.readString(outDir.resolve("reply.json"))).isEqualTo(sealed.uploadJson());
    assertThat(Files.readAllBytes(outDir.resolve("manifest.jwe")))
        .isEqualTo(sealed.manifestBytes());
    assertThat(Files.readAllBytes(outDir.resolve(id))).startsWith('S', 'P', 'A', '1');
    UUID.fromString(sealer.replyId());
    UUID.fromString(id);

    Replies.Upload u =
        new Replies.Upload(sealed, Map.of(id, Files.readAllBytes(outDir.resolve(id))));
    OpenedReply reply = open(u, TestKeys.PARTNER_EC);
    assertThat(Replies.open(reply, id, u.objects.get(id)))
        .isEqualTo("claim form".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sealer_refusesKeysOutsideThePartnerRules() {
    ReplySealer.Builder b = ReplySealer.builder().envelopeId(ENVELOPE).recipientId(RECIPIENT);
    assertThatThrownBy(() -> b.replyKeys(List.of()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replyKeys");
    assertThatThrownBy(
            () ->
                b.replyKeys(
                        List.of(
                            TestKeys.PARTNER_EC.toPublicJWK(), TestKeys.PARTNER_EC.toPublicJWK()))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share the kid");
    assertThatThrownBy(
            () ->
                b.replyKeys(
                        List.of(
                            new com.nimbusds.jose.jwk.ECKey.Builder(
                                    TestKeys.PARTNER_EC.toPublicJWK())
                                .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                                .build()))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signing key");
    assertThatThrownBy(
            () ->
                ReplySealer.builder()
                    .recipientId(RECIPIENT)
                    .replyKeys(List.of(TestKeys.PARTNER_EC.toPublicJWK()))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("envelopeId");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> entry(String generalJson, int index) {
    Map<String, Object> jwe = Json.parseObject(generalJson, 1 << 20, 5, "test");
    return (Map<String, Object>)
        ((Map<String, Object>) ((List<Object>) jwe.get("recipients")).get(index)).get("header");
  }
}
