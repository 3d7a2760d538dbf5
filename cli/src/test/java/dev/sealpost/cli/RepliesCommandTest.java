package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.client.ReplyServer;
import dev.sealpost.envelope.SealedReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
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
  private ReplyServer server;
  private final String envelopeId = UUID.randomUUID().toString();
  private final String recipientId = UUID.randomUUID().toString();
  private final byte[] scan = new byte[100_000];
  private int replies;
  private Path privateKey;
  private JWK publicKey;

  @BeforeEach
  void start() throws Exception {
    if (signer == null) {
      signer = es256("acme.1");
    }
    new Random(9).nextBytes(scan);
    server = ReplyServer.start(TENANT, envelopeId, recipientId);
    server.jwks(signer);
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
    server.close();
  }

  private static ECKey es256(String kid) throws Exception {
    return new ECKeyGenerator(Curve.P_256)
        .keyID(kid)
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256)
        .generate();
  }

  private String[] withServer(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server");
    all.add(server.endpoint().toString());
    all.add("--api-key");
    all.add(API_KEY);
    return all.toArray(String[]::new);
  }

  /** {@code sealpost replies fetch <envelope> [args...] --out <out>} against the server. */
  private CliRunner.Result fetch(Path out, String... args) {
    List<String> all = new ArrayList<>(List.of("replies", "fetch", envelopeId));
    all.addAll(List.of(args));
    all.add("--out");
    all.add(out.toString());
    return CliRunner.run(withServer(all.toArray(String[]::new)));
  }

  /**
   * Seals a reply ("Reply N") to the generated key and serves it, its receipt signed by {@code by},
   * with an attachment {@code name} when {@code name} is given.
   */
  private SealedReply reply(ECKey by, String name, byte[] plaintext) {
    String message = "Reply " + replies++;
    return name == null
        ? server.reply(by, publicKey, message, "unused")
        : server.reply(by, publicKey, message, name, plaintext);
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
        .startsWith(a.replyId() + "\t" + recipientId + "\t" + ReplyServer.RECEIVED + "\t1\t");
    assertThat(lines.get(1)).startsWith(b.replyId() + "\t" + recipientId + "\t");
    assertThat(lines.get(1)).endsWith("\t0\t" + b.manifestBytes().length);
  }

  @Test
  void fetch_writesEveryReplyIntoItsOwnDirectory_withTheKeyFromKeysGenerate() throws Exception {
    SealedReply a = reply(signer, "../../scan.pdf", scan);
    SealedReply b = reply(signer, null, null);
    Path out = dir.resolve("out");

    CliRunner.Result r = fetch(out, "--key", privateKey.toString());

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
    server
        .routes()
        .put(
            "/v1/envelopes/" + envelopeId + "/replies",
            "{\"replies\":[]}".getBytes(StandardCharsets.UTF_8));
    Path out = dir.resolve("out");

    CliRunner.Result r = fetch(out, "--key", privateKey.toString());

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

    CliRunner.Result r = fetch(out, b.replyId(), "--key", privateKey.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(names(out)).containsExactly(b.replyId());
  }

  @Test
  void aTamperedReply_exits2_leavesNothingOfIt_andTheOthersAreWritten() throws Exception {
    SealedReply bad = reply(signer, "scan.pdf", scan);
    SealedReply good = reply(signer, "ok.pdf", new byte[100]);
    String path = server.path(bad.replyId(), "attachments/" + bad.attachmentIds().get(0));
    byte[] object = server.routes().get(path).clone();
    object[5000] ^= 1;
    server.routes().put(path, object);
    Path out = dir.resolve("out");

    CliRunner.Result r = fetch(out, "--key", privateKey.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(r.err()).contains("reply " + bad.replyId()).contains("integrity check failed");
    assertThat(names(out)).containsExactly(good.replyId());
  }

  @Test
  void aReceiptByAKeyOutsideJwks_exits3_andWritesNothing() throws Exception {
    ECKey other = es256("acme.2");
    server.jwks(signer, other);
    reply(other, "scan.pdf", scan);
    Path jwks = dir.resolve("pinned.jwks");
    Files.writeString(jwks, new JWKSet(signer.toPublicJWK()).toString());
    Path out = dir.resolve("out");

    CliRunner.Result r = fetch(out, "--key", privateKey.toString(), "--jwks", jwks.toString());

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNTRUSTED_SIGNER);
    assertThat(out).doesNotExist();
    // With the server's JWKS (both keys) the same reply is accepted.
    CliRunner.Result ok = fetch(out, "--key", privateKey.toString());
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

    CliRunner.Result r = fetch(out, "--key", otherKey.toString());
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
    assertThat(fetch(out).exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRunner.run(withServer("replies")).exitCode()).isEqualTo(ExitCodes.USAGE);
    CliRunner.Result unknown =
        fetch(out, UUID.randomUUID().toString(), "--key", privateKey.toString());
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(unknown.err()).contains("has no reply");
  }
}
