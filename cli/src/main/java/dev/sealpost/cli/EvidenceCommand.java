package dev.sealpost.cli;

import com.nimbusds.jose.jwk.JWK;
import dev.sealpost.audit.AuditEvidence;
import dev.sealpost.audit.AuditEvidenceVerification;
import dev.sealpost.envelope.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost audit evidence get|verify}: one envelope's evidence bundle (docs/AUDIT.md
 * "Evidence bundle"), fetched with an AUDITOR key and checked offline. {@code verify} exits 0 with
 * a summary of what it checked, or 2 naming the first broken link.
 */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch and verify one envelope's audit evidence bundle.",
      "The bundle holds every event of the envelope, the hash paths to signed checkpoints, the"
          + " checkpoints and the tenant's public keys; 'verify' checks it offline."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost audit evidence get 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10 \\",
      "      --out evidence.json",
      "  sealpost audit evidence verify evidence.json \\",
      "      --jwks https://sealpost.example.com/.well-known/jwks.json"
    },
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {EvidenceCommand.Get.class, EvidenceCommand.Verify.class})
final class EvidenceCommand implements Runnable {
  /** Bundles are read whole; this bounds what a hostile file can make us hold. */
  static final long MAX_BUNDLE_BYTES = 256L * 1024 * 1024;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: get or verify");
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Download an envelope's evidence bundle (an AUDITOR key).",
        "The download is recorded as AUDIT_EXPORTED naming the envelope, and that event is the"
            + " bundle's last."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
        "  sealpost audit evidence get 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10 \\",
        "      --out evidence.json"
      })
  static final class Get implements Callable<Integer> {
    @Mixin AuditServer server;

    @Parameters(index = "0", paramLabel = "ENVELOPE_ID", description = "The envelope's id.")
    String envelopeId;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write here (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (!envelopeId.matches("[0-9a-f-]{36}")) {
        throw CliException.usage("ENVELOPE_ID must be an envelope id (a UUID)");
      }
      try (InputStream in = server.get("audit/evidence/" + envelopeId)) {
        OutputDirectory.toFileOrStdout(in, out, ".evidence");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check an evidence bundle offline and say what was checked.",
        "Every event's hash and link, every hash path up to a signed checkpoint, every checkpoint's"
            + " ES256 signature, and that no event of the envelope is missing. Exits 0 if intact,"
            + " 2 naming the first broken link if not."
      },
      footerHeading = "%nExample:%n",
      footer = {
        "  sealpost audit evidence verify evidence.json \\",
        "      --jwks https://sealpost.example.com/.well-known/jwks.json",
        "  sealpost audit evidence verify evidence.json --jwks acme-jwks.json"
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The evidence bundle (JSON).")
    Path bundle;

    @Option(
        names = "--jwks",
        paramLabel = "URL|FILE",
        description =
            "The tenant's published keys: a JWKS URL (.../.well-known/jwks.json) or a JWK (set)"
                + " file. Without it the bundle's own jwks is used, which shows the bundle is"
                + " consistent but not who signed it.")
    String jwks;

    @Override
    public Integer call() throws Exception {
      String json = read(bundle);
      TrustedKeys trusted = jwks == null ? null : trustedKeys(jwks);
      AuditEvidenceVerification v = AuditEvidence.verify(json, trusted);
      if (!v.ok()) {
        throw new CliException(
            ExitCodes.INTEGRITY,
            "the evidence bundle is NOT intact: "
                + (v.firstBadSeq() > 0
                    ? "event seq "
                        + v.firstBadSeq()
                        + (v.firstBadType() == null ? "" : " (" + v.firstBadType() + ")")
                        + ": "
                    : "")
                + v.reason());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(summary(v, jwks));
      out.flush();
      return ExitCodes.OK;
    }

    static String summary(AuditEvidenceVerification v, String jwks) {
      String seqs =
          v.checkpointSeqs().stream().map(String::valueOf).collect(Collectors.joining(", "));
      return String.join(
          System.lineSeparator(),
          "Evidence bundle for envelope "
              + v.envelopeId()
              + " (tenant "
              + v.tenant()
              + "): intact.",
          "- "
              + v.envelopeEvents()
              + " events of the envelope and "
              + v.pathEvents()
              + " other events on their hash paths: every hash recomputed, every link checked.",
          "- "
              + v.checkpointSeqs().size()
              + " signed checkpoints (seq "
              + seqs
              + ") end those paths; ES256 signatures verified with "
              + (jwks == null ? v.keySource() + "." : "the keys from " + jwks + "."),
          "- Complete: the AUDIT_EXPORTED event at seq "
              + v.evidenceSeq()
              + " that recorded the bundle counts "
              + (v.envelopeEvents() - 1)
              + " earlier events of the envelope; all are here.",
          "- Not checked: the envelope metadata (the server's state when it made the bundle,"
              + " not signed).");
    }

    private static String read(Path file) throws IOException {
      if (Files.isDirectory(file)) {
        throw CliException.usage("BUNDLE " + file + " is a directory");
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) MAX_BUNDLE_BYTES + 1);
        if (bytes.length > MAX_BUNDLE_BYTES) {
          throw CliException.usage("BUNDLE " + file + " is larger than 256 MiB");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }

    private static TrustedKeys trustedKeys(String jwks) throws IOException {
      String lower = jwks.toLowerCase(Locale.ROOT);
      if (lower.startsWith("https://") || lower.startsWith("http://")) {
        try {
          return TrustedKeys.fromJwksJson(JwksFetcher.fetch(jwks));
        } catch (IllegalArgumentException e) {
          throw CliException.io("the JWKS at " + jwks + " is not a JWK set", e);
        }
      }
      List<JWK> keys = JwkFiles.readPublicKeys(Path.of(jwks), "--jwks");
      try {
        return TrustedKeys.of(keys);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--jwks: " + e.getMessage());
      }
    }
  }
}
