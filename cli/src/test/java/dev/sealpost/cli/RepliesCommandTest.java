package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.envelope.Replies;
import dev.sealpost.envelope.ReplySealer;
import dev.sealpost.envelope.SealedReply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sealpost replies list|fetch} wired to a local HTTP server that answers as REPLY-WIRE
 * "Sender side" says (stubbed, as for the other server commands; the api's integration tests run
 * the CLI against the real server). The reply keys come from {@code sealpost keys generate --use
 * enc}, the replies from the SDK's ReplySealer (as the viewer seals them), real crypto throughout.
 */
class RepliesCommandTest {
  private static final String API_KEY = "sp_" + "r".repeat(43);
  private static final String TENANT = "acme";
  private static ECKey signer;

  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, byte[]> routes = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> listed = new ArrayList<>();
  private final String envelopeId = UUID.randomUUID().toString();
  private final String recipientId = UUID.randomUUID().toString();
  private final byte[] scan = new byte[100_000];
  private Path privateKey;
  private JWK publicKey;

  @BeforeEach
  void start() throws Exception {
    if (signer == null) {
      signer = es256("acme.1");
    }
    new Random(9).nextBytes(scan);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    serveJwks(signer);
    privateKey = dir.resolve("reply.jwk");
    Path pub = dir.resolve("reply.pub.jwk");
    CliRunner.Result r =
        CliRunner.run(
            "keys",
            "generate",
            "--use",
            "enc",
            "--alg",
            "ECDH-ES+A256KW",
            "--private-out",
            privateKey.toString(),
            "--public-out",
            pub.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    publicKey = JWK.parse(Files.readString(pub));
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

  private void serveJwks(ECKey... keys) {
    List<JWK> pub = new ArrayList<>();
    for (ECKey k : keys) {
      pub.add(k.toPublicJWK());
    }
    routes.put(
        "/.well-known/jwks.json", new JWKSet(pub).toString().getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = routes.get(ex.getRequestURI().getPath());
    int status = 200;
    if (body == null) {
      status = 404;
      body =
          ("{\"type\":\"https://sealpost.dev/problems/not-found\",\"title\":\"Not found\","
                  + "\"status\":404,\"detail\":\"no such envelope\"}")
              .getBytes(StandardCharsets.UTF_8);
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private String[] withServer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server");
    all.add("http://127.0.0.1:" + server.getAddress().getPort());
    all.add("--api-key");
    all.add(API_KEY);
    return all.toArray(String[]::new);
  }

  /** Seals a reply to the generated key and serves it, its receipt signed by {@code by}. */
  private SealedReply reply(ECKey by, String name, byte[] plaintext) throws Exception {
    ReplySealer sealer =
        ReplySealer.builder()
            .envelopeId(envelopeId)
            .recipientId(recipientId)
            .replyKeys(List.of(publicKey))
            .build();
    Map<String, byte[]> objects = new LinkedHashMap<>();
    if (name != null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      objects.put(
          sealer.attach(name, "application/pdf", new ByteArrayInputStream(plaintext), out),
          out.toByteArray());
    }
    SealedReply sealed = sealer.seal("Reply " + listed.size());
    String base = "/v1/envelopes/" + envelopeId + "/replies/" + sealed.replyId();
    routes.put(base + "/manifest", sealed.manifestBytes());
    objects.forEach((id, bytes) -> routes.put(base + "/attachments/" + id, bytes));

    List<Object> atts = new ArrayList<>();
    objects.forEach((id, bytes) -> atts.add(Map.of("id", id, "size", bytes.length)));
    String receipt =
        Replies.receipt(
            by,
            TENANT,
            envelopeId,
            recipientId,
            sealed.replyId(),
            "2026-12-06T20:30:00Z",
            sealed.manifestBytes(),
            objects);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("replyId", sealed.replyId());
    entry.put("recipientId", recipientId);
    entry.put("received", "2026-12-06T20:30:00Z");
    entry.put("manifestSize", sealed.manifestBytes().length);
    entry.put("attachments", atts);
    entry.put("receipt", receipt);
    listed.add(entry);
    routes.put(
        "/v1/envelopes/" + envelopeId + "/replies",
        JSONObjectUtils.toJSONString(Map.of("replies", listed)).getBytes(StandardCharsets.UTF_8));
    return sealed;
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void list_printsOneLinePerReply() throws Exception {
    SealedReply a = reply(signer, "scan.pdf", scan);
    SealedReply b = reply(signer, null, null);

    CliRunner.Result r = CliRunner.run(withServer("replies", "list", envelopeId));

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith(a.replyId() + "\t" + recipientId + "\t2026-12-06T20:30:00Z\t1\t");
    assertThat(lines.get(1)).startsWith(b.replyId() + "\t" + recipientId + "\t");
    assertThat(lines.get(1)).endsWith("\t0\t" + b.manifestBytes().length);
  }

  @Test
  void fetch_writesEveryReplyIntoItsOwnDirectory_withTheKeyFromKeysGenerate() throws Exception {
    SealedReply a = reply(signer, "../../scan.pdf", scan);
    SealedReply b = reply(signer, null, null);
    Path out = dir.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                "--key",
                privateKey.toString(),
                "--out",
                out.toString()));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(names(out)).containsExactlyInAnyOrder(a.replyId(), b.replyId());
    assertThat(names(out.resolve(a.replyId())))
        .containsExactlyInAnyOrder("message.txt", "_.._scan.pdf"); // the replier's name, sanitised
    assertThat(Files.readAllBytes(out.resolve(a.replyId()).resolve("_.._scan.pdf")))
        .isEqualTo(scan);
    assertThat(Files.readString(out.resolve(a.replyId()).resolve("message.txt")))
        .isEqualTo("Reply 0");
    assertThat(names(out.resolve(b.replyId()))).containsExactly("message.txt");
    assertThat(r.out())
        .contains("fetched reply " + a.replyId() + " to envelope " + envelopeId)
        .contains("receipt signed by acme.1");
  }

  @Test
  void fetch_withoutReplies_saysSo_andCreatesNothing() {
    routes.put(
        "/v1/envelopes/" + envelopeId + "/replies",
        "{\"replies\":[]}".getBytes(StandardCharsets.UTF_8));
    Path out = dir.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                "--key",
                privateKey.toString(),
                "--out",
                out.toString()));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("has no replies");
    assertThat(out).doesNotExist();
    CliRunner.Result unknown =
        CliRunner.run(withServer("replies", "list", UUID.randomUUID().toString()));
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(unknown.err()).contains("the server refused");
  }

  @Test
  void fetch_ofNamedReplies_writesOnlyThose() throws Exception {
    reply(signer, "scan.pdf", scan);
    SealedReply b = reply(signer, "other.pdf", new byte[10]);
    Path out = dir.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                b.replyId(),
                "--key",
                privateKey.toString(),
                "--out",
                out.toString()));

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(names(out)).containsExactly(b.replyId());
  }

  @Test
  void aTamperedReply_exits2_leavesNothingOfIt_andTheOthersAreWritten() throws Exception {
    SealedReply bad = reply(signer, "scan.pdf", scan);
    SealedReply good = reply(signer, "ok.pdf", new byte[100]);
    String path =
        "/v1/envelopes/"
            + envelopeId
            + "/replies/"
            + bad.replyId()
            + "/attachments/"
            + bad.attachmentIds().get(0);
    byte[] object = routes.get(path).clone();
    object[5000] ^= 1;
    routes.put(path, object);
    Path out = dir.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                "--key",
                privateKey.toString(),
                "--out",
                out.toString()));

    assertThat(r.exitCode()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(r.err()).contains("reply " + bad.replyId()).contains("integrity check failed");
    assertThat(names(out)).containsExactly(good.replyId());
  }

  @Test
  void aReceiptByAKeyOutsideJwks_exits3_andWritesNothing() throws Exception {
    ECKey other = es256("acme.2");
    serveJwks(signer, other);
    reply(other, "scan.pdf", scan);
    Path jwks = dir.resolve("pinned.jwks");
    Files.writeString(jwks, new JWKSet(signer.toPublicJWK()).toString());
    Path out = dir.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                "--key",
                privateKey.toString(),
                "--jwks",
                jwks.toString(),
                "--out",
                out.toString()));

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNTRUSTED_SIGNER);
    assertThat(out).doesNotExist();
    // With the server's JWKS (both keys) the same reply is accepted.
    CliRunner.Result ok =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                "--key",
                privateKey.toString(),
                "--out",
                out.toString()));
    assertThat(ok.exitCode()).as(ok.err()).isZero();
  }

  @Test
  void anotherKey_exits6_andUsageErrorsExit1() throws Exception {
    reply(signer, "scan.pdf", scan);
    Path otherKey = dir.resolve("other.jwk");
    CliRunner.Result gen =
        CliRunner.run(
            "keys",
            "generate",
            "--use",
            "enc",
            "--alg",
            "ECDH-ES+A256KW",
            "--private-out",
            otherKey.toString(),
            "--public-out",
            dir.resolve("other.pub.jwk").toString());
    assertThat(gen.exitCode()).isZero();
    Path out = dir.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                "--key",
                otherKey.toString(),
                "--out",
                out.toString()));
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.NO_MATCHING_KEY);
    assertThat(out).doesNotExist();

    assertThat(
            CliRunner.run(
                    withServer(
                        "replies",
                        "fetch",
                        "../x",
                        "--key",
                        privateKey.toString(),
                        "--out",
                        out.toString()))
                .exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(
            CliRunner.run(withServer("replies", "fetch", envelopeId, "--out", out.toString()))
                .exitCode())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(CliRunner.run(withServer("replies")).exitCode()).isEqualTo(ExitCodes.USAGE);
    CliRunner.Result unknown =
        CliRunner.run(
            withServer(
                "replies",
                "fetch",
                envelopeId,
                UUID.randomUUID().toString(),
                "--key",
                privateKey.toString(),
                "--out",
                out.toString()));
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(unknown.err()).contains("has no reply");
  }
}
