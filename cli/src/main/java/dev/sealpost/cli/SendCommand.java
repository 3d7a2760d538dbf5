package dev.sealpost.cli;

import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.SendRequest;
import dev.sealpost.client.SendResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sealpost send}: have the server seal files for partners and consumers. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send an envelope through the server (a SENDER key), which seals and delivers it.",
      "The server seals the message and files (streamed, never loaded whole) for each recipient and notifies consumers. Prints the envelope id, then one line per recipient; follow it with 'sealpost status'."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost send --subject \"Your policy documents\" --message-file m.txt \\",
      "      --attach policy.pdf --email alice@example.com"
    })
final class SendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServerOptions serverOptions;

  @Option(
      names = "--partner",
      paramLabel = "PARTNER_ID",
      description = "A registered partner recipient; repeat for more.")
  List<String> partners = new ArrayList<>();

  @Option(
      names = "--email",
      paramLabel = "ADDRESS",
      description = "A consumer recipient, verified by an emailed code; repeat for more.")
  List<String> emails = new ArrayList<>();

  @Option(
      names = "--subject",
      required = true,
      description = "The subject (goes into the notification email: no personal data).")
  String subject;

  @Option(
      names = "--message-file",
      paramLabel = "FILE",
      description = "The message text (UTF-8), shown only inside the envelope.")
  Path messageFile;

  @Option(
      names = "--attach",
      paramLabel = "FILE",
      description = "A file to attach; repeat for more.")
  List<Path> attachments = new ArrayList<>();

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      description = "ISO-8601 duration such as P7D (default: the tenant's).")
  String expiresIn;

  @Option(
      names = "--no-notify",
      description = "Do not email consumers; print their links instead (they hold the secret).")
  boolean noNotify;

  @Override
  public Integer call() throws IOException {
    if (partners.isEmpty() && emails.isEmpty()) {
      throw CliException.usage("at least one --partner or --email is required");
    }
    SendRequest.Builder b = SendRequest.builder().subject(subject).notifyRecipients(!noNotify);
    if (messageFile != null) {
      b.message(new String(Files.readAllBytes(messageFile), StandardCharsets.UTF_8));
    }
    for (String p : partners) {
      b.recipient(SendRequest.Recipient.partner(p));
    }
    for (String e : emails) {
      b.recipient(SendRequest.Recipient.consumerWithEmailCode(e));
    }
    for (Path f : attachments) {
      if (!Files.isRegularFile(f)) {
        throw CliException.io("no such file: " + f, null);
      }
      String type = Files.probeContentType(f);
      b.attach(f, type == null ? "application/octet-stream" : type);
    }
    if (expiresIn != null) {
      try {
        b.expiresIn(Duration.parse(expiresIn));
      } catch (DateTimeParseException e) {
        throw CliException.usage("--expires-in must be an ISO-8601 duration such as P7D");
      }
    }
    long total = 0;
    for (Path f : attachments) {
      total += Files.size(f);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (total >= Progress.THRESHOLD_BYTES && Terminal.interactive()) {
      b.progress(new UploadProgress(total, err));
    }
    SendRequest request = b.build();
    SendResult result;
    try (EnvelopeClient client = serverOptions.client(null, null)) {
      result = ServerOptions.call(() -> client.send(request));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(result.envelopeId());
    for (SendResult.Recipient r : result.recipients()) {
      out.printf(
          "%s\t%s\t%s%s%n",
          r.id(),
          r.type(),
          r.partnerId().orElse(r.email().orElse("")),
          r.link().map(l -> "\t" + l).orElse(""));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** A progress line on stderr while a large upload streams (only on a terminal). */
  private static final class UploadProgress implements java.util.function.LongConsumer {
    private final long total;
    private final PrintWriter err;
    private long last;

    UploadProgress(long total, PrintWriter err) {
      this.total = total;
      this.err = err;
    }

    @Override
    public void accept(long sent) {
      long now = System.nanoTime();
      if (now - last < 250_000_000L && sent < total) {
        return;
      }
      last = now;
      err.printf("\rsending %d%% (%d of %d MiB)", sent * 100 / total, sent >> 20, total >> 20);
      if (sent >= total) {
        err.println();
      }
      err.flush();
    }
  }
}
