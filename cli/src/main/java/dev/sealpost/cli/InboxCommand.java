package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.InboxItem;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin ListLimit listLimit;

  @Override
  public Integer call() {
    return listLimit.print(
        serverOptions,
        spec.commandLine().getOut(),
        EnvelopeClient::inbox,
        (InboxItem i) ->
            String.join(
                "\t",
                i.envelopeId(),
                String.valueOf(i.createdAt()),
                i.expiresAt().map(Object::toString).orElse("-"),
                Integer.toString(i.attachments().size()),
                i.keyId()));
  }
}
