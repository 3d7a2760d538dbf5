package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost reissue}: a new link for a consumer recipient. */
@Command(
    name = "reissue",
    mixinStandardHelpOptions = true,
    description = {
      "Give a consumer recipient a new link; the old one stops working at once.",
      "Allowed to the SENDER key that sealed the envelope and to the tenant's ADMIN keys. A recipient locked after too many wrong answers needs an ADMIN key; each recipient gets at most the server's sealpost.open.max-reissues (default 3). Audited as LINK_REISSUED. The new link is emailed, or with --no-notify printed once."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost reissue 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10 \\",
      "      0b8e5d3a-2f4c-4c1b-8d7e-5a6f9e2c1d40 --no-notify"
    })
final class ReissueCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServerOptions serverOptions;

  @Parameters(index = "0", paramLabel = "ENVELOPE_ID", description = "The envelope's id.")
  String envelopeId;

  @Parameters(
      index = "1",
      paramLabel = "RECIPIENT_ID",
      description = "The consumer recipient's id (see 'sealpost send' or the envelope status).")
  String recipientId;

  @Option(
      names = "--no-notify",
      description =
          "Do not email the recipient; print the new link instead (it holds the link secret).")
  boolean noNotify;

  @Override
  public Integer call() {
    Optional<String> link;
    try (EnvelopeClient client = serverOptions.client(null, null)) {
      link =
          ServerOptions.call(
              () -> {
                try {
                  return client.reissue(envelopeId, recipientId, !noNotify);
                } catch (IllegalArgumentException e) {
                  throw CliException.usage(
                      "ENVELOPE_ID and RECIPIENT_ID must be ids such as UUIDs");
                }
              });
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(link.orElse("reissued " + recipientId + ": the new link is being emailed"));
    out.flush();
    return ExitCodes.OK;
  }
}
