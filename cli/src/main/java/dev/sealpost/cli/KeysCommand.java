package dev.sealpost.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost keys ...}: key pairs for recipients (enc) and senders (sig), offline ({@code
 * generate}); the tenant's API keys on the server ({@code list}, {@code revoke}, ADMIN key).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Generate key pairs (offline) and list or revoke your tenant's API keys (an ADMIN key)."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  sealpost keys generate --use enc --private-out bob.jwk \\",
      "      --public-out bob.pub.jwk",
      "  sealpost keys list"
    },
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      KeysCommand.Generate.class,
      ApiKeysCommands.List.class,
      ApiKeysCommands.Revoke.class
    })
final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: generate, list or revoke");
  }

  /** {@code sealpost keys generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Generate a key pair as two JWK files with a random key id (kid).",
        "The private file is created with mode 0600; existing files are never overwritten. Use enc keys for recipients (consumers' tools, partners) and a sig key to sign what you seal offline."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  sealpost keys generate --use enc --private-out bob.jwk \\",
        "      --public-out bob.pub.jwk",
        "  sealpost keys generate --use sig --private-out acme.jwk \\",
        "      --public-out acme.pub.jwk"
      })
  static final class Generate implements Callable<Integer> {
    static final String RSA_OAEP_256 = "RSA-OAEP-256";
    static final String ECDH_ES_A256KW = "ECDH-ES+A256KW";
    static final String ES256 = "ES256";

    @Spec CommandSpec spec;

    @Option(
        names = "--use",
        required = true,
        paramLabel = "enc|sig",
        description =
            "enc: a recipient's key (seal to it, open with it); sig: a sender's signing key.")
    String use;

    @Option(
        names = "--alg",
        paramLabel = "ALG",
        description = {
          "enc: RSA-OAEP-256 (default, RSA, see --rsa-bits) or ECDH-ES+A256KW (P-256);",
          "sig: ES256 (P-256, the default and only choice)."
        })
    String alg;

    @Option(
        names = "--rsa-bits",
        paramLabel = "BITS",
        defaultValue = "3072",
        description = "RSA modulus size, 2048 to 8192 (default: ${DEFAULT-VALUE}).")
    int rsaBits;

    @Option(
        names = "--private-out",
        required = true,
        paramLabel = "FILE",
        description = "Private JWK file to create (mode 0600).")
    Path privateOut;

    @Option(
        names = "--public-out",
        required = true,
        paramLabel = "FILE",
        description = "Public JWK file to create.")
    Path publicOut;

    @Override
    public Integer call() throws Exception {
      String algorithm = chooseAlgorithm();
      if (privateOut.toAbsolutePath().normalize().equals(publicOut.toAbsolutePath().normalize())) {
        throw new ParameterException(
            spec.commandLine(), "--private-out and --public-out must differ");
      }
      for (Path p : new Path[] {privateOut, publicOut}) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          throw CliException.io("already exists, not overwriting: " + p, null);
        }
      }
      JWK key = generate(algorithm, newKeyId());
      JwkFiles.writePrivate(privateOut, key.toJSONString());
      try {
        JwkFiles.writePublic(publicOut, key.toPublicJWK().toJSONString());
      } catch (Exception e) {
        Files.deleteIfExists(privateOut); // No half-made pair.
        throw e;
      }
      spec.commandLine()
          .getOut()
          .printf(
              "%s key %s (%s): private %s, public %s%n",
              "sig".equals(use) ? "signing" : "encryption",
              key.getKeyID(),
              algorithm,
              privateOut,
              publicOut);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }

    private String chooseAlgorithm() {
      if ("enc".equals(use)) {
        String a = alg == null ? RSA_OAEP_256 : alg;
        if (!a.equals(RSA_OAEP_256) && !a.equals(ECDH_ES_A256KW)) {
          throw new ParameterException(
              spec.commandLine(), "--use enc takes --alg RSA-OAEP-256 or ECDH-ES+A256KW, not " + a);
        }
        if (a.equals(RSA_OAEP_256) && (rsaBits < 2048 || rsaBits > 8192)) {
          throw new ParameterException(spec.commandLine(), "--rsa-bits must be 2048 to 8192");
        }
        return a;
      }
      if ("sig".equals(use)) {
        String a = alg == null ? ES256 : alg;
        if (!a.equals(ES256)) {
          throw new ParameterException(spec.commandLine(), "--use sig takes --alg ES256, not " + a);
        }
        return a;
      }
      throw new ParameterException(spec.commandLine(), "--use must be enc or sig, not " + use);
    }

    private JWK generate(String algorithm, String kid) throws JOSEException {
      Date now = new Date();
      switch (algorithm) {
        case RSA_OAEP_256:
          return new RSAKeyGenerator(rsaBits)
              .keyUse(KeyUse.ENCRYPTION)
              .algorithm(JWEAlgorithm.RSA_OAEP_256)
              .keyID(kid)
              .issueTime(now)
              .generate();
        case ECDH_ES_A256KW:
          return new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.ENCRYPTION)
              .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
              .keyID(kid)
              .issueTime(now)
              .generate();
        case ES256:
          return new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .keyID(kid)
              .issueTime(now)
              .generate();
        default:
          throw new IllegalStateException("unreachable: " + algorithm);
      }
    }

    /** 128 random bits, base64url: unique without a registry and says nothing about the owner. */
    static String newKeyId() {
      byte[] id = new byte[16];
      new SecureRandom().nextBytes(id);
      return Base64URL.encode(id).toString();
    }
  }
}
