package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: exit codes, files written, one-line failures. */
class SealpostCliTest {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  @TempDir static Path keys;
  @TempDir Path work;

  static Path rsaPrivate;
  static Path rsaPublic;
  static Path ecPrivate;
  static Path ecPublic;
  static Path senderPrivate;
  static Path senderPublic;
  static Path strangerPublic;

  @BeforeAll
  static void generateKeys() {
    rsaPrivate = keys.resolve("rsa.jwk");
    rsaPublic = keys.resolve("rsa.pub.jwk");
    ecPrivate = keys.resolve("ec.jwk");
    ecPublic = keys.resolve("ec.pub.jwk");
    senderPrivate = keys.resolve("sender.jwk");
    senderPublic = keys.resolve("sender.pub.jwk");
    strangerPublic = keys.resolve("stranger.pub.jwk");
    ok(
        "keys",
        "generate",
        "--use",
        "enc",
        "--private-out",
        s(rsaPrivate),
        "--public-out",
        s(rsaPublic));
    ok(
        "keys",
        "generate",
        "--use",
        "enc",
        "--alg",
        "ECDH-ES+A256KW",
        "--private-out",
        s(ecPrivate),
        "--public-out",
        s(ecPublic));
    ok(
        "keys",
        "generate",
        "--use",
        "sig",
        "--private-out",
        s(senderPrivate),
        "--public-out",
        s(senderPublic));
    ok(
        "keys",
        "generate",
        "--use",
        "sig",
        "--private-out",
        s(keys.resolve("stranger.jwk")),
        "--public-out",
        s(strangerPublic));
  }

  @Test
  void keysGenerate_writesPrivateKeyOwnerOnlyAndPublicKeyWithoutSecrets() throws Exception {
    for (Path p : List.of(rsaPrivate, ecPrivate, senderPrivate)) {
      assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(OWNER_ONLY);
      assertThat(JWK.parse(Files.readString(p)).isPrivate()).isTrue();
    }
    JWK rsa = JWK.parse(Files.readString(rsaPublic));
    assertThat(rsa.isPrivate()).isFalse();
    assertThat(rsa.size()).isEqualTo(3072);
    assertThat(rsa.getAlgorithm().getName()).isEqualTo("RSA-OAEP-256");
    assertThat(rsa.getKeyID()).isEqualTo(JWK.parse(Files.readString(rsaPrivate)).getKeyID());
    assertThat(JWK.parse(Files.readString(ecPublic)).getAlgorithm().getName())
        .isEqualTo("ECDH-ES+A256KW");
    JWK sig = JWK.parse(Files.readString(senderPublic));
    assertThat(sig.getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(sig.getKeyID()).isNotEqualTo(JWK.parse(Files.readString(strangerPublic)).getKeyID());
  }

  @Test
  void keysGenerate_neverOverwritesAnExistingFile() throws Exception {
    Path existing = work.resolve("a.jwk");
    Files.writeString(existing, "keep me");
    CliRunner.Result r =
        CliRunner.run(
            "keys",
            "generate",
            "--use",
            "sig",
            "--private-out",
            s(existing),
            "--public-out",
            s(work.resolve("a.pub.jwk")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(r.errLines()).hasSize(1).first().asString().contains("already exists");
    assertThat(Files.readString(existing)).isEqualTo("keep me");
    assertThat(work.resolve("a.pub.jwk")).doesNotExist();
  }

  @Test
  void keysGenerate_signingKeyWithEncryptionAlg_isAUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "keys",
            "generate",
            "--use",
            "sig",
            "--alg",
            "RSA-OAEP-256",
            "--private-out",
            s(work.resolve("k")),
            "--public-out",
            s(work.resolve("k.pub")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(work.resolve("k")).doesNotExist();
  }

  @Test
  void sealThenOpen_roundTripsForEachRecipientWithNonAsciiNames() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    String message = "Bonjour Zoë,\nvotre police n° 123 est jointe. 保険証券\n";
    Path messageFile = Files.writeString(in.resolve("m.txt"), message);
    List<Path> files = new ArrayList<>();
    files.add(write(in.resolve("Reçu d'été.pdf"), random(200_000, 1)));
    files.add(write(in.resolve("保険証券.txt"), "契約内容".getBytes(StandardCharsets.UTF_8)));
    files.add(write(in.resolve("empty.bin"), new byte[0]));
    files.add(
        write(
            Files.createDirectories(in.resolve("other")).resolve("Reçu d'été.pdf"),
            random(65_536, 2)));
    files.add(write(in.resolve("message.txt"), "not the message".getBytes(StandardCharsets.UTF_8)));

    Path env = work.resolve("env");
    List<String> args =
        new ArrayList<>(
            List.of(
                "seal",
                "--to",
                s(rsaPublic),
                "--to",
                s(ecPublic),
                "--sign-key",
                s(senderPrivate),
                "--subject",
                "Vos documents",
                "--message-file",
                s(messageFile),
                "--tenant",
                "acme",
                "--out",
                s(env)));
    for (Path f : files) {
      args.add("--attach");
      args.add(s(f));
    }
    CliRunner.Result sealed = CliRunner.run(args.toArray(String[]::new));
    assertThat(sealed.exitCode()).as(sealed.err()).isZero();
    assertThat(env.resolve("manifest.jwe")).isRegularFile();
    try (Stream<Path> stored = Files.list(env.resolve("attachments"))) {
      assertThat(stored.count()).isEqualTo(files.size());
    }

    for (Path key : List.of(rsaPrivate, ecPrivate)) {
      Path out = work.resolve("out-" + key.getFileName());
      CliRunner.Result opened =
          CliRunner.run(
              "open", s(env), "--key", s(key), "--trust", s(senderPublic), "--out", s(out));
      assertThat(opened.exitCode()).as(opened.err()).isZero();
      assertThat(opened.err()).isEmpty();
      assertThat(Files.readString(out.resolve("message.txt"))).isEqualTo(message);
      assertThat(Files.readAllBytes(out.resolve("Reçu d'été.pdf")))
          .isEqualTo(Files.readAllBytes(files.get(0)));
      assertThat(Files.readAllBytes(out.resolve("保険証券.txt")))
          .isEqualTo(Files.readAllBytes(files.get(1)));
      assertThat(out.resolve("empty.bin")).isEmptyFile();
      assertThat(Files.readAllBytes(out.resolve("Reçu d'été (2).pdf")))
          .isEqualTo(Files.readAllBytes(files.get(3)));
      assertThat(Files.readString(out.resolve("message (2).txt"))).isEqualTo("not the message");
      assertThat(Files.getPosixFilePermissions(out.resolve("message.txt"))).isEqualTo(OWNER_ONLY);
      try (Stream<Path> written = Files.list(out)) {
        assertThat(written.count()).isEqualTo(1 + files.size());
      }
    }
  }

  @Test
  void open_withJwksFromLocalhost_verifiesTheSigner() throws Exception {
    Path env = sealOne(random(1000, 3));
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] jwks =
        ("{\"keys\":[" + Files.readString(senderPublic).strip() + "]}")
            .getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/.well-known/jwks.json",
        exchange -> {
          exchange.sendResponseHeaders(200, jwks.length);
          exchange.getResponseBody().write(jwks);
          exchange.close();
        });
    server.start();
    try {
      String base = "http://localhost:" + server.getAddress().getPort();
      String url = base + "/.well-known/jwks.json";
      CliRunner.Result r =
          CliRunner.run(
              "open",
              s(env),
              "--key",
              s(ecPrivate),
              "--jwks",
              url,
              "--out",
              s(work.resolve("out")));
      assertThat(r.exitCode()).as(r.err()).isZero();
      CliRunner.Result missing =
          CliRunner.run(
              "open",
              s(env),
              "--key",
              s(ecPrivate),
              "--jwks",
              base + "/missing",
              "--out",
              s(work.resolve("out2")));
      assertThat(missing.exitCode()).isEqualTo(ExitCodes.IO);
      assertThat(missing.errLines()).hasSize(1).first().asString().contains("HTTP 404");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void open_jwksOverPlainHttpToAnotherHost_isRefused() throws Exception {
    Path env = sealOne(random(10, 4));
    CliRunner.Result r =
        CliRunner.run(
            "open",
            s(env),
            "--key",
            s(ecPrivate),
            "--jwks",
            "http://example.com/jwks.json",
            "--out",
            s(work.resolve("out")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1).first().asString().contains("https");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void open_flippedAttachmentByte_failsAndLeavesNoPlaintext() throws Exception {
    Path env = sealOne(random(300_000, 5));
    Path stored = onlyAttachment(env);
    try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
      f.seek(150_000);
      int b = f.read();
      f.seek(150_000);
      f.write(b ^ 0x01);
    }
    Path out = work.resolve("out");
    CliRunner.Result r =
        CliRunner.run(
            "open", s(env), "--key", s(ecPrivate), "--trust", s(senderPublic), "--out", s(out));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void open_truncatedAttachment_failsAndLeavesNoPlaintextInAnExistingOut() throws Exception {
    Path env = sealOne(random(200_000, 6));
    Path stored = onlyAttachment(env);
    try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
      f.setLength(8 + 65_536 + 16); // the header and exactly one full chunk
    }
    Path out = Files.createDirectories(work.resolve("out"));
    CliRunner.Result r =
        CliRunner.run(
            "open", s(env), "--key", s(rsaPrivate), "--trust", s(senderPublic), "--out", s(out));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.INTEGRITY);
    assertThat(out).isEmptyDirectory();
  }

  @Test
  void open_untrustedSigner_failsWithItsOwnExitCode() throws Exception {
    Path env = sealOne(random(100, 7));
    Path out = work.resolve("out");
    CliRunner.Result r =
        CliRunner.run(
            "open", s(env), "--key", s(ecPrivate), "--trust", s(strangerPublic), "--out", s(out));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.UNTRUSTED_SIGNER);
    assertThat(r.errLines()).hasSize(1);
    assertThat(out).doesNotExist();
  }

  @Test
  void open_withAKeyThatIsNotARecipient_fails() throws Exception {
    Path stranger = work.resolve("other.jwk");
    ok(
        "keys",
        "generate",
        "--use",
        "enc",
        "--alg",
        "ECDH-ES+A256KW",
        "--private-out",
        s(stranger),
        "--public-out",
        s(work.resolve("other.pub.jwk")));
    Path env = sealOne(random(100, 8));
    CliRunner.Result r =
        CliRunner.run(
            "open",
            s(env),
            "--key",
            s(stranger),
            "--trust",
            s(senderPublic),
            "--out",
            s(work.resolve("out")));
    assertThat(r.exitCode()).isNotZero().isNotEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1);
  }

  @Test
  void open_intoANonEmptyDirectory_isRefused() throws Exception {
    Path env = sealOne(random(100, 9));
    Path out = Files.createDirectories(work.resolve("out"));
    Files.writeString(out.resolve("message.txt"), "mine");
    CliRunner.Result r =
        CliRunner.run(
            "open", s(env), "--key", s(ecPrivate), "--trust", s(senderPublic), "--out", s(out));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(Files.readString(out.resolve("message.txt"))).isEqualTo("mine");
  }

  @Test
  void seal_missingMessageFile_printsOneClearLine() {
    Path missing = work.resolve("nope.txt");
    CliRunner.Result r =
        CliRunner.run(
            "seal",
            "--to",
            s(ecPublic),
            "--sign-key",
            s(senderPrivate),
            "--subject",
            "S",
            "--message-file",
            s(missing),
            "--out",
            s(work.resolve("env")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(r.errLines())
        .containsExactly("sealpost seal: no such file or directory: " + missing);
    assertThat(work.resolve("env")).doesNotExist();
  }

  @Test
  void seal_missingAttachment_failsBeforeWritingAnything() throws Exception {
    Path m = Files.writeString(work.resolve("m.txt"), "hi");
    CliRunner.Result r =
        CliRunner.run(
            "seal",
            "--to",
            s(ecPublic),
            "--sign-key",
            s(senderPrivate),
            "--subject",
            "S",
            "--message-file",
            s(m),
            "--attach",
            s(work.resolve("gone.pdf")),
            "--out",
            s(work.resolve("env")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(r.errLines()).hasSize(1).first().asString().contains("gone.pdf");
    assertThat(work.resolve("env")).doesNotExist();
  }

  @Test
  void seal_withAPublicKeyAsSigningKey_isAUsageError() throws Exception {
    Path m = Files.writeString(work.resolve("m.txt"), "hi");
    CliRunner.Result r =
        CliRunner.run(
            "seal",
            "--to",
            s(ecPublic),
            "--sign-key",
            s(senderPublic),
            "--subject",
            "S",
            "--message-file",
            s(m),
            "--out",
            s(work.resolve("env")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).hasSize(1).first().asString().contains("private");
  }

  @Test
  void missingRequiredOption_isOneUsageLine() {
    CliRunner.Result r = CliRunner.run("seal", "--to", s(ecPublic));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("sealpost seal: Missing required option");
  }

  @Test
  void verbose_addsTheStackTrace() {
    CliRunner.Result r =
        CliRunner.run(
            "seal",
            "--verbose",
            "--to",
            s(ecPublic),
            "--sign-key",
            s(senderPrivate),
            "--subject",
            "S",
            "--message-file",
            s(work.resolve("nope")),
            "--out",
            s(work.resolve("env")));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IO);
    assertThat(r.err()).contains("NoSuchFileException", "\tat ");
  }

  @Test
  void help_exitsZero() {
    CliRunner.Result r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("keys", "seal", "open", "Exit codes");
  }

  private Path sealOne(byte[] content) throws IOException {
    Path m = Files.writeString(work.resolve("m-" + System.nanoTime() + ".txt"), "message");
    Path a = write(work.resolve("a-" + System.nanoTime() + ".bin"), content);
    Path env = work.resolve("env-" + System.nanoTime());
    ok(
        "seal",
        "--to",
        s(ecPublic),
        "--to",
        s(rsaPublic),
        "--sign-key",
        s(senderPrivate),
        "--subject",
        "S",
        "--message-file",
        s(m),
        "--attach",
        s(a),
        "--out",
        s(env));
    return env;
  }

  private static Path onlyAttachment(Path env) throws IOException {
    try (Stream<Path> files = Files.list(env.resolve("attachments"))) {
      return files.findFirst().orElseThrow();
    }
  }

  private static void ok(String... args) {
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + " -> " + r.err()).isZero();
  }

  private static Path write(Path p, byte[] content) throws IOException {
    return Files.write(p, content);
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String s(Path p) {
    return p.toString();
  }
}
