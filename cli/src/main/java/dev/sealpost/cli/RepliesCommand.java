package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.ReceivedReply;
import dev.sealpost.client.ReplyInfo;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.TrustedKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sealpost replies list|fetch}: the secure replies to a sent envelope (a SENDER key),
 * decrypted with the tenant's private reply key and checked against the server's receipts.
 */
@Command(
    name = "replies",
    mixinStandardHelpOptions = true,
    description = {
      "List and fetch the secure replies recipients sent to your envelope.",
      "Replies are encrypted in the recipient's browser to your tenant's reply keys; the server"
          + " signs a receipt over what it received. 'fetch' checks the receipt, decrypts with"
          + " your private reply key and checks every part before writing anything."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost replies list 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10",
      "  sealpost replies fetch 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10 \\",
      "      --key reply.jwk --out replies"
    },
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {RepliesCommand.List.class, RepliesCommand.Fetch.class})
final class RepliesCommand implements Runnable {
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final String EXPORT =
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: list or fetch");
  }

  private static void checkEnvelopeId(String envelopeId) {
    if (!SAFE_ID.matcher(envelopeId).matches()) {
      throw CliException.usage("ENVELOPE_ID must be an id such as a UUID");
    }
  }

  /** {@code sealpost replies list ENVELOPE_ID}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the replies to a sent envelope (a SENDER key), oldest first.",
        "One line each: REPLY_ID RECIPIENT_ID RECEIVED ATTACHMENTS BYTES (BYTES: the ciphertext"
            + " of the manifest and every attachment). Nothing is decrypted: fetch them with"
            + " 'sealpost replies fetch'."
      },
      footerHeading = "%nExample:%n",
      footer = {EXPORT, "  sealpost replies list 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10"})
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;

    @Parameters(paramLabel = "ENVELOPE_ID", description = "The envelope whose replies to list.")
    String envelopeId;

    @Override
    public Integer call() {
      checkEnvelopeId(envelopeId);
      PrintWriter out = spec.commandLine().getOut();
      try (EnvelopeClient client = serverOptions.client(null, null)) {
        for (ReplyInfo r : ServerOptions.call(() -> client.replies(envelopeId))) {
          long bytes = Math.max(0, r.manifestSize());
          for (var a : r.attachments()) {
            bytes += Math.max(0, a.size());
          }
          out.printf(
              "%s\t%s\t%s\t%d\t%d%n",
              ApiKeysCommands.printable(r.replyId()),
              r.recipientId() == null ? "-" : ApiKeysCommands.printable(r.recipientId()),
              r.received() == null ? "-" : r.received().toString(),
              r.attachments().size(),
              bytes);
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code sealpost replies fetch ENVELOPE_ID [REPLY_ID ...]}. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = {
        "Fetch, check and decrypt replies to a sent envelope (a SENDER key).",
        "For each reply (every one when no REPLY_ID is given): verifies the server's receipt"
            + " (against the server's /.well-known/jwks.json, or --jwks), checks the manifest's"
            + " SHA-256 against it, decrypts with your private reply key, checks that the reply"
            + " names this envelope, recipient and attachments, then checks every attachment"
            + " (receipt SHA-256, then its own tags, size and SHA-256). Writes"
            + " OUT/<REPLY_ID>/message.txt and the attachments under their (sanitised) names;"
            + " a reply that fails any check leaves nothing. Exits 0 only when every reply passed."
      },
      footerHeading = "%nExample:%n",
      footer = {
        EXPORT,
        "  sealpost replies fetch 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10 \\",
        "      --key reply.jwk --out replies"
      })
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerOptions serverOptions;

    @Parameters(index = "0", paramLabel = "ENVELOPE_ID", description = "The envelope replied to.")
    String envelopeId;

    @Parameters(
        index = "1..*",
        arity = "0..*",
        paramLabel = "REPLY_ID",
        description = "The replies to fetch (default: every reply, see 'sealpost replies list').")
    java.util.List<String> replyIds;

    @Option(
        names = "--key",
        required = true,
        paramLabel = "PRIVATE_JWK",
        description = "Your tenant's private reply key (a JWK file); repeat for older keys.")
    java.util.List<Path> keys;

    @Option(
        names = "--jwks",
        paramLabel = "URL|FILE",
        description =
            "Trust the receipt signing keys at this https URL or in this JWK set file instead of"
                + " the server's /.well-known/jwks.json.")
    String jwks;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "OUT",
        description = "Output directory (must not exist or be empty); one subdirectory per reply.")
    Path out;

    @Override
    public Integer call() throws Exception {
      checkEnvelopeId(envelopeId);
      if (replyIds != null) {
        for (String id : replyIds) {
          if (!SAFE_ID.matcher(id).matches()) {
            throw CliException.usage("REPLY_ID must be an id such as a UUID");
          }
        }
      }
      DecryptionKeyProvider provider = JwkFiles.readDecryptionKeys(keys);
      TrustedKeys trusted = jwks == null ? null : trustedKeys(jwks);
      OutputDirectory.checkUsable(out);
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int exit = ExitCodes.OK;
      boolean created = false;
      try (EnvelopeClient client = serverOptions.client(provider, trusted)) {
        java.util.List<ReplyInfo> chosen = choose(client);
        if (chosen.isEmpty()) {
          stdout.println("envelope " + envelopeId + " has no replies");
          stdout.flush();
          return ExitCodes.OK;
        }
        created = OutputDirectory.create(out);
        for (ReplyInfo r : chosen) {
          try {
            fetch(client, r, stdout, err);
          } catch (RuntimeException | IOException e) {
            SealpostCli.Failure f = SealpostCli.describe(e);
            err.println(
                spec.qualifiedName()
                    + ": reply "
                    + r.replyId()
                    + ": "
                    + SealpostCli.oneLine(f.message));
            err.flush();
            if (exit == ExitCodes.OK) {
              exit = f.exitCode;
            }
          }
        }
      } finally {
        if (created) {
          OutputDirectory.deleteIfEmpty(out);
        }
      }
      return exit;
    }

    private java.util.List<ReplyInfo> choose(EnvelopeClient client) {
      java.util.List<ReplyInfo> all = ServerOptions.call(() -> client.replies(envelopeId));
      if (replyIds == null || replyIds.isEmpty()) {
        return all;
      }
      java.util.List<ReplyInfo> chosen = new ArrayList<>();
      for (String id : replyIds) {
        ReplyInfo found = null;
        for (ReplyInfo r : all) {
          if (r.replyId().equals(id)) {
            found = r;
          }
        }
        if (found == null) {
          throw CliException.io("envelope " + envelopeId + " has no reply " + id, null);
        }
        chosen.add(found);
      }
      return chosen;
    }

    private void fetch(EnvelopeClient client, ReplyInfo info, PrintWriter stdout, PrintWriter err)
        throws IOException {
      if (!SAFE_ID.matcher(info.replyId()).matches()) {
        throw new CliException(ExitCodes.MALFORMED, "the server listed an unusable reply id");
      }
      ReceivedReply reply = ServerOptions.call(() -> client.openReply(info));
      for (AttachmentDescriptor a : reply.attachments()) {
        if (!SAFE_ID.matcher(a.id()).matches()) {
          throw new CliException(ExitCodes.MALFORMED, "invalid reply: unusable attachment id");
        }
      }
      Path dir = out.resolve(info.replyId());
      java.util.List<String> names =
          OutputDirectory.writeStaged(
              dir,
              reply.message(),
              reply.attachments(),
              OutputDirectory.downloading(reply::openAttachment, err));
      stdout.printf(
          "fetched reply %s to envelope %s from recipient %s, received %s, receipt signed by %s%n",
          reply.replyId(),
          reply.envelopeId(),
          reply.recipientId(),
          reply.receipt().received(),
          reply.receipt().signerKeyId());
      for (String n : names) {
        stdout.println(dir.resolve(n));
      }
      stdout.flush();
    }

    private static TrustedKeys trustedKeys(String jwks) throws IOException {
      String text;
      String lower = jwks.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("https://") || lower.startsWith("http://")) {
        text = JwksFetcher.fetch(jwks);
      } else {
        Path file = Path.of(jwks);
        if (!Files.isRegularFile(file)) {
          throw CliException.usage("--jwks: no such file, and not an https URL: " + jwks);
        }
        text = JwkFiles.readSmallFile(file, "--jwks");
      }
      try {
        return TrustedKeys.fromJwksJson(text);
      } catch (IllegalArgumentException e) {
        throw CliException.io("--jwks " + jwks + " is not a JWK set: " + e.getMessage(), e);
      }
    }
  }
}
