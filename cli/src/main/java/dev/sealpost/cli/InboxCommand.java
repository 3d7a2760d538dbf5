package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.InboxItem;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost inbox}: the envelopes addressed to this partner, newest first. */
@Command(
    name = "inbox",
    mixinStandardHelpOptions = true,
    description = {
      "List the envelopes addressed to you (a PARTNER key), newest first.",
      "One line each: ENVELOPE_ID CREATED EXPIRES ATTACHMENTS KEY_ID. Open one with 'sealpost fetch'."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost inbox --limit 20"
    })
final class InboxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServerOptions serverOptions;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Show at most N envelopes (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (EnvelopeClient client = serverOptions.client(null, null)) {
      ServerOptions.call(
          () -> {
            Iterator<InboxItem> items = client.inbox().iterator();
            for (int n = 0; n < limit && items.hasNext(); n++) {
              InboxItem i = items.next();
              out.printf(
                  "%s\t%s\t%s\t%d\t%s%n",
                  i.envelopeId(),
                  i.createdAt(),
                  i.expiresAt().map(Object::toString).orElse("-"),
                  i.attachments().size(),
                  i.keyId());
            }
            return null;
          });
    }
    out.flush();
    return ExitCodes.OK;
  }
}
