package dev.sealpost.cli;

import com.nimbusds.jose.jwk.JWK;
import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.ReceivedEnvelope;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.TrustedKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost fetch}: download, decrypt and verify an envelope from the server. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch an envelope addressed to you (a PARTNER key), decrypt and verify it, and write its files.",
      "Decrypts with your key, verifies the sender's signature (against the server's published tenant keys, or --trust) and every attachment's integrity, then writes OUT/message.txt and the attachments under their (sanitised) names, exactly as 'sealpost open' does. Nothing is left in OUT unless everything verifies."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost fetch 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10 \\",
      "      --key partner.jwk --out claim"
    })
final class FetchCommand implements Callable<Integer> {
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  @Spec CommandSpec spec;

  @Mixin ServerOptions serverOptions;

  @Parameters(index = "0", paramLabel = "ENVELOPE_ID", description = "The envelope to fetch.")
  String envelopeId;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "PRIVATE_JWK",
      description = "Your private JWK file; repeat for older keys after a rotation.")
  List<Path> keys;

  @Option(
      names = "--trust",
      paramLabel = "PUBLIC_JWK",
      description =
          "Pin the sender's public signing key(s) instead of trusting the server's"
              + " /.well-known/jwks.json; repeat for more.")
  List<Path> trust;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "OUT",
      description = "Output directory (must not exist or be empty).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!SAFE_ID.matcher(envelopeId).matches()) {
      throw CliException.usage("ENVELOPE_ID must be an id such as a UUID");
    }
    DecryptionKeyProvider provider = JwkFiles.readDecryptionKeys(keys);
    TrustedKeys trusted = null;
    if (trust != null && !trust.isEmpty()) {
      List<JWK> pinned = new ArrayList<>();
      for (Path p : trust) {
        pinned.addAll(JwkFiles.readPublicKeys(p, "--trust"));
      }
      try {
        trusted = TrustedKeys.of(pinned);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--trust: " + e.getMessage());
      }
    }
    OutputDirectory.checkUsable(out);
    PrintWriter err = spec.commandLine().getErr();
    List<String> names;
    ReceivedEnvelope envelope;
    try (EnvelopeClient client = serverOptions.client(provider, trusted)) {
      envelope = ServerOptions.call(() -> client.open(envelopeId));
      long total = 0;
      for (AttachmentDescriptor a : envelope.attachments()) {
        if (!SAFE_ID.matcher(a.id()).matches()) {
          throw new CliException(ExitCodes.MALFORMED, "invalid envelope: unusable attachment id");
        }
        total += a.size();
      }
      CryptoWarmUp.startIfLarge(total, true);
      names =
          OutputDirectory.writeStaged(
              out,
              envelope.message(),
              envelope.attachments(),
              OutputDirectory.downloading(envelope::openAttachment, err));
    }
    OutputDirectory.printWritten(
        spec.commandLine().getOut(),
        "fetched",
        envelope.envelopeId(),
        envelope.signerKeyId(),
        out,
        names);
    return ExitCodes.OK;
  }
}
