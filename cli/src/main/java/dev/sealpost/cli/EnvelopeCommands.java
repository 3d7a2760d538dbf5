package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.EnvelopeStatus;
import dev.sealpost.client.EnvelopeSummary;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The sender's commands on sent envelopes: {@code sealpost status|list|revoke} (a SENDER key). */
final class EnvelopeCommands {
  private static final String EXPORT =
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...";

  private EnvelopeCommands() {}

  /** {@code sealpost status ENVELOPE_ID}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show a sent envelope's state and each recipient's (a SENDER key).",
        "The first line is ENVELOPE_ID STATUS CREATED EXPIRES REVOKED (STATUS: active, revoked or expired; - where a time does not apply). Then one line per recipient: RECIPIENT_ID TYPE STATUS OPENS WHO, where STATUS is pending, notified, opened or locked, OPENS counts the opens and WHO is the email address or partner:<id>."
      },
      footerHeading = "%nExample:%n",
      footer = {EXPORT, "  sealpost status 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10"})
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;

    @Parameters(
        paramLabel = "ENVELOPE_ID",
        description = "The envelope's id (printed by 'sealpost send', or see 'sealpost list').")
    String envelopeId;

    @Override
    public Integer call() {
      EnvelopeStatus s = onEnvelope(serverOptions, envelopeId, c -> c.status(envelopeId));
      print(spec.commandLine().getOut(), s);
      return ExitCodes.OK;
    }
  }

  /** {@code sealpost list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List your tenant's envelopes (a SENDER key), newest first.",
        "One line each: ENVELOPE_ID STATUS CREATED EXPIRES SIZE (STATUS: active, revoked or expired; SIZE in ciphertext bytes; - where it does not apply). See one with 'sealpost status'."
      },
      footerHeading = "%nExample:%n",
      footer = {EXPORT, "  sealpost list --limit 20"})
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;
    @Mixin ListLimit listLimit;

    @Override
    public Integer call() {
      return listLimit.print(
          serverOptions,
          spec.commandLine().getOut(),
          EnvelopeClient::envelopes,
          (EnvelopeSummary e) ->
              String.join(
                  "\t",
                  e.envelopeId(),
                  e.status(),
                  String.valueOf(e.createdAt()),
                  e.expiresAt().map(Object::toString).orElse("-"),
                  e.size().isPresent() ? Long.toString(e.size().getAsLong()) : "-"));
    }
  }

  /** {@code sealpost revoke ENVELOPE_ID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a sent envelope and crypto-shred its keys (a SENDER key); no link opens it again.",
        "The server destroys every key that could open the envelope and deletes its stored objects; this cannot be undone. Revoking a revoked envelope changes nothing. Prints the envelope's new status, as 'sealpost status' does."
      },
      footerHeading = "%nExample:%n",
      footer = {EXPORT, "  sealpost revoke 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10"})
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;

    @Parameters(paramLabel = "ENVELOPE_ID", description = "The envelope to revoke.")
    String envelopeId;

    @Override
    public Integer call() {
      EnvelopeStatus s = onEnvelope(serverOptions, envelopeId, c -> c.revoke(envelopeId));
      print(spec.commandLine().getOut(), s);
      return ExitCodes.OK;
    }
  }

  private static EnvelopeStatus onEnvelope(
      ServerOptions server, String envelopeId, Function<EnvelopeClient, EnvelopeStatus> call) {
    try (EnvelopeClient client = server.client(null, null)) {
      return ServerOptions.call(
          () -> {
            try {
              return call.apply(client);
            } catch (IllegalArgumentException e) {
              throw CliException.usage("ENVELOPE_ID must be an envelope id such as a UUID");
            }
          });
    }
  }

  static void print(PrintWriter out, EnvelopeStatus s) {
    out.printf(
        "%s\t%s\t%s\t%s\t%s%n",
        s.envelopeId(),
        s.status(),
        s.createdAt().map(Object::toString).orElse("-"),
        s.expiresAt().map(Object::toString).orElse("-"),
        s.revokedAt().map(Object::toString).orElse("-"));
    for (Map<String, Object> r : s.recipients()) {
      Object email = r.get("email");
      Object partner = r.get("partnerId");
      String who = email != null ? email.toString() : partner != null ? "partner:" + partner : "-";
      out.printf(
          "%s\t%s\t%s\t%s\t%s%n",
          text(r.get("id")),
          text(r.get("type")),
          text(r.get("status")),
          Optional.ofNullable(r.get("openCount")).map(EnvelopeCommands::count).orElse("0"),
          ApiKeysCommands.printable(who));
    }
    out.flush();
  }

  private static String count(Object n) {
    return n instanceof Number ? Long.toString(((Number) n).longValue()) : "0";
  }

  private static String text(Object v) {
    return v == null ? "-" : ApiKeysCommands.printable(v.toString());
  }
}
