package dev.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.Replies;
import dev.sealpost.envelope.ReplySealer;
import dev.sealpost.envelope.SealedReply;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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

  private HttpServer server;
  private final Map<String, byte[]> routes = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final String envelopeId = UUID.randomUUID().toString();
  private final String recipientId = UUID.randomUUID().toString();
  private final byte[] file = new byte[150_000];

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
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    routes.put(
        "/.well-known/jwks.json",
        new JWKSet(signer.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static ECKey es256(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256)
        .keyID(kid)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256)
        .generate();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    requested.add(path);
    byte[] body = routes.get(path);
    if (body == null) {
      body = "{\"type\":\"https://sealpost.dev/problems/not-found\",\"status\":404}".getBytes();
      ex.sendResponseHeaders(404, body.length);
    } else {
      ex.sendResponseHeaders(200, body.length);
    }
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private EnvelopeClient client() {
    return EnvelopeClient.builder()
        .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
        .apiKey("sp_test")
        .decryptionKeys(DecryptionKeyProvider.of(replyKey))
        .build();
  }

  /** Seals a reply, serves its parts and lists it with a receipt signed by {@code by}. */
  private SealedReply serve(ECKey by, byte[]... plaintexts) throws Exception {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(envelopeId)
            .recipientId(recipientId)
            .replyKeys(List.of(replyKey.toPublicJWK()))
            .build();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    for (byte[] p : plaintexts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      objects.put(
          sealer.attach("scan.pdf", "application/pdf", new ByteArrayInputStream(p), out),
          out.toByteArray());
    }
    SealedReply sealed = sealer.seal("Answer attached.");
    String base = "/v1/envelopes/" + envelopeId + "/replies/" + sealed.replyId();
    routes.put(base + "/manifest", sealed.manifestBytes());
    objects.forEach((id, bytes) -> routes.put(base + "/attachments/" + id, bytes));

    List<Object> listed = new ArrayList<>();
    objects.forEach((id, bytes) -> listed.add(Map.of("id", id, "size", bytes.length)));
    String receipt =
        Replies.receipt(
            by,
            TENANT,
            envelopeId,
            recipientId,
            sealed.replyId(),
            "2026-12-06T20:10:00Z",
            sealed.manifestBytes(),
            objects);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("replyId", sealed.replyId());
    entry.put("recipientId", recipientId);
    entry.put("received", "2026-12-06T20:10:00Z");
    entry.put("manifestSize", sealed.manifestBytes().length);
    entry.put("attachments", listed);
    entry.put("receipt", receipt);
    routes.put(
        "/v1/envelopes/" + envelopeId + "/replies",
        JSONObjectUtils.toJSONString(Map.of("replies", List.of(entry)))
            .getBytes(StandardCharsets.UTF_8));
    return sealed;
  }

  @Test
  void repliesAreListed_andOpenedAfterEveryCheck(@TempDir Path dir) throws Exception {
    SealedReply sealed = serve(signer, file, new byte[0]);
    try (EnvelopeClient client = client()) {
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
    String base = "/v1/envelopes/" + envelopeId + "/replies/" + sealed.replyId();
    String id = sealed.attachmentIds().get(0);
    byte[] object = routes.get(base + "/attachments/" + id).clone();
    object[object.length - 1] ^= 1;
    routes.put(base + "/attachments/" + id, object);
    try (EnvelopeClient client = client()) {
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
      routes.put(base + "/manifest", manifest);
      assertThatThrownBy(() -> client.openReply(client.replies(envelopeId).get(0)))
          .isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void aReceiptByAnotherTenantsKey_isUntrusted_evenAfterRefreshingTheJwks() throws Exception {
    ECKey other = es256("globex.1");
    routes.put(
        "/.well-known/jwks.json",
        new JWKSet(List.of(signer.toPublicJWK(), other.toPublicJWK()))
            .toString()
            .getBytes(StandardCharsets.UTF_8));
    serve(other);
    try (EnvelopeClient client = client()) {
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
    try (EnvelopeClient client =
        EnvelopeClient.builder()
            .endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
            .apiKey("sp_test")
            .decryptionKeys(DecryptionKeyProvider.of(otherKey))
            .build()) {
      assertThatThrownBy(() -> client.openReply(client.replies(envelopeId).get(0)))
          .isInstanceOf(NoMatchingRecipientException.class);
    }
  }
}
