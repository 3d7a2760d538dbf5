package dev.sealpost.envelope.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's output opens outside Nimbus: jose4j (through the SDK's test {@link Jose4jOpener})
 * decrypts and verifies a manifest that {@code sealpost seal} wrote.
 */
class CliJose4jInteropTest {
  /**
   * The "done when", literally: {@code sealpost keys generate} and {@code sealpost seal}
   * write key files and {@code manifest.jwe}; jose4j, given only a recipient's private JWK file,
   * decrypts it, and verifies the signature with the signer's public JWK file.
   */
  @Test
  void cliManifestJwe_decryptsAndVerifiesWithJose4j(@TempDir Path dir) throws Exception {
    cli(
        "keys",
        "generate",
        "--use",
        "enc",
        "--alg",
        "RSA-OAEP-256",
        "--rsa-bits",
        "2048",
        "--private-out",
        dir.resolve("rsa.jwk").toString(),
        "--public-out",
        dir.resolve("rsa.pub.jwk").toString());
    cli(
        "keys",
        "generate",
        "--use",
        "enc",
        "--alg",
        "ECDH-ES+A256KW",
        "--private-out",
        dir.resolve("ec.jwk").toString(),
        "--public-out",
        dir.resolve("ec.pub.jwk").toString());
    cli(
        "keys",
        "generate",
        "--use",
        "sig",
        "--private-out",
        dir.resolve("t.jwk").toString(),
        "--public-out",
        dir.resolve("t.pub.jwk").toString());
    Files.writeString(dir.resolve("m.txt"), "Policy 4711: the data that must not travel in clear.");
    cli(
        "seal",
        "--to",
        dir.resolve("rsa.pub.jwk").toString(),
        "--to",
        dir.resolve("ec.pub.jwk").toString(),
        "--sign-key",
        dir.resolve("t.jwk").toString(),
        "--subject",
        "Interop",
        "--message-file",
        dir.resolve("m.txt").toString(),
        "--out",
        dir.resolve("env").toString());

    String manifestJwe = Files.readString(dir.resolve("env/manifest.jwe"));
    String signerPublicJwk = Files.readString(dir.resolve("t.pub.jwk"));
    String signerKid = (String) JSONObjectUtils.parse(signerPublicJwk).get("kid");
    for (String name : List.of("rsa.jwk", "ec.jwk")) {
      PublicJsonWebKey jwk =
          PublicJsonWebKey.Factory.newPublicJwk(Files.readString(dir.resolve(name)));
      String jws = Jose4jOpener.decrypt(manifestJwe, jwk.getKeyId(), jwk.getPrivateKey());
      Jose4jOpener.Verified verified = Jose4jOpener.verify(jws, signerPublicJwk);
      assertThat(verified.kid).isEqualTo(signerKid);
      assertThat(JSONObjectUtils.parse(verified.payload).get("message"))
          .isEqualTo("Policy 4711: the data that must not travel in clear.");
    }
  }

  private static void cli(String... args) {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = dev.sealpost.cli.SealpostCli.newCommandLine();
    cli.setOut(new java.io.PrintWriter(new java.io.StringWriter(), true));
    cli.setErr(new java.io.PrintWriter(err, true));
    assertThat(cli.execute(args)).as("sealpost %s: %s", args[0], err).isZero();
  }
}
