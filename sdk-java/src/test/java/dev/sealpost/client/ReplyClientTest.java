package dev.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.SealedReply;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EnvelopeClient#replies} and {@link EnvelopeClient#openReply} against a local JDK HTTP
 * server serving what the Sealpost server serves (REPLY-WIRE "Sender side"): the list with
 * receipts, the manifest bytes, the attachment objects and the JWKS. Real crypto throughout.
 */
class ReplyClientTest {
  private static final String TENANT = "acme";
  private static ECKey signer;
  private static ECKey replyKey;

  private final String envelopeId = UUID.randomUUID().toString();
  private final String recipientId = UUID.randomUUID().toString();
  private final byte[] file = new byte[150_000];
  private ReplyServer server;

  @BeforeEach
  void start() throws Exception {
    if (signer == null) {
      signer = es256("acme.1");
      replyKey =
          new ECKeyGenerator(Curve.P_256)
              .keyID("acme-reply-1")
              .keyUse(KeyUse.ENCRYPTION)
              .generate();
    }
    new Random(5).nextBytes(file);
    server = ReplyServer.start(TENANT, envelopeId, recipientId);
    server.jwks(signer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ECKey es256(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256)
        .keyID(kid)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256)
        .generate();
  }

  private EnvelopeClient client(ECKey key) {
    return EnvelopeClient.builder()
        .endpoint(server.endpoint())
        .apiKey("sp_test")
        .decryptionKeys(DecryptionKeyProvider.of(key))
        .build();
  }

  /** Seals a reply to the reply key and serves it, its receipt signed by {@code by}. */
  private SealedReply serve(ECKey by, byte[]... plaintexts) {
    return server.reply(by, replyKey.toPublicJWK(), "Answer attached.", "scan.pdf", plaintexts);
  }

  @Test
  void repliesAreListed_andOpenedAfterEveryCheck(@TempDir Path dir) throws Exception {
    SealedReply sealed = serve(signer, file, new byte[0]);
    try (EnvelopeClient client = client(replyKey)) {
      List<ReplyInfo> list = client.replies(envelopeId);
      assertThat(list).hasSize(1);
      ReplyInfo info = list.get(0);
      assertThat(info.replyId()).isEqualTo(sealed.replyId());
      assertThat(info.recipientId()).isEqualTo(recipientId);
      assertThat(info.manifestSize()).isEqualTo(sealed.manifestBytes().length);
      assertThat(info.attachments()).hasSize(2);

      ReceivedReply reply = client.openReply(info);
      assertThat(reply.message()).isEqualTo("Answer attached.");
      assertThat(reply.receipt().signerKeyId()).isEqualTo("acme.1");
      assertThat(reply.receipt().tenant()).isEqualTo(TENANT);
      String id = sealed.attachmentIds().get(0);
      Path target = dir.resolve("scan.pdf");
      assertThat(reply.saveAttachment(id, target)).isEqualTo(file.length);
      assertThat(Files.readAllBytes(target)).isEqualTo(file);
      try (InputStream in = reply.openAttachment(sealed.attachmentIds().get(1))) {
        assertThat(in.readAllBytes()).isEmpty();
      }
      assertThat(client.openReply(envelopeId, sealed.replyId()).replyId())
          .isEqualTo(sealed.replyId());
    }
  }

  @Test
  void aManifestChangedOnTheServer_isIntegrity_andAChangedAttachmentIsNeverSaved(@TempDir Path dir)
      throws Exception {
    SealedReply sealed = serve(signer, file);
    String id = sealed.attachmentIds().get(0);
    String objectPath = server.path(sealed.replyId(), "attachments/" + id);
    byte[] object = server.routes().get(objectPath).clone();
    object[object.length - 1] ^= 1;
    server.routes().put(objectPath, object);
    try (EnvelopeClient client = client(replyKey)) {
      ReceivedReply reply = client.openReply(client.replies(envelopeId).get(0));
      Path target = dir.resolve("scan.pdf");
      assertThatThrownBy(() -> reply.saveAttachment(id, target))
          .isInstanceOf(IntegrityException.class);
      assertThat(target).doesNotExist();
      try (var files = Files.list(dir)) {
        assertThat(files).isEmpty();
      }

      byte[] manifest = sealed.manifestBytes();
      manifest[manifest.length / 2] ^= 1;
      server.routes().put(server.path(sealed.replyId(), "manifest"), manifest);
      assertThatThrownBy(() -> client.openReply(client.replies(envelopeId).get(0)))
          .isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void aReceiptByAnotherTenantsKey_isUntrusted_evenAfterRefreshingTheJwks() throws Exception {
    ECKey other = es256("globex.1");
    server.jwks(signer, other);
    serve(other);
    try (EnvelopeClient client = client(replyKey)) {
      assertThatThrownBy(() -> client.openReply(client.replies(envelopeId).get(0)))
          .isInstanceOf(UntrustedSignerException.class)
          .hasMessageContaining("another tenant");
    }
  }

  @Test
  void aReplyForAnotherReplyKey_isNoMatchingRecipient() throws Exception {
    serve(signer);
    ECKey otherKey =
        new ECKeyGenerator(Curve.P_256).keyID("acme-reply-2").keyUse(KeyUse.ENCRYPTION).generate();
    try (EnvelopeClient client = client(otherKey)) {
      assertThatThrownBy(() -> client.openReply(client.replies(envelopeId).get(0)))
          .isInstanceOf(NoMatchingRecipientException.class);
    }
  }
}
