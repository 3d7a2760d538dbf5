package dev.sealpost.cli;

import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.NoMatchingRecipientException;
import dev.sealpost.exception.SealpostException;
import dev.sealpost.exception.UnsupportedFormatException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sealpost} command: keys, offline seal and open, the sender's server commands (send,
 * status, list, revoke, reissue), the partner's (inbox, fetch), the auditor's (audit) and shell
 * completion.
 *
 * <pre>{@code
 * sealpost keys generate --use enc --private-out bob.jwk --public-out bob.pub.jwk
 * sealpost seal --to bob.pub.jwk --sign-key acme.jwk --subject "Policy" --message-file m.txt --out env
 * sealpost open env --key bob.jwk --trust acme.pub.jwk --out opened
 * }</pre>
 *
 * <p>Every failure prints one line on stderr and exits non-zero with a code from {@link ExitCodes};
 * {@code --verbose} adds the stack trace.
 */
@Command(
    name = "sealpost",
    mixinStandardHelpOptions = true,
    versionProvider = SealpostCli.Version.class,
    description = {
      "Seal personal data as signed and encrypted envelopes, send them, and open them.",
      "Offline: keys, seal, open. Senders (a SENDER key): send, status, list, revoke, reissue. Partners (a PARTNER key): inbox, fetch. Auditors (an AUDITOR key): audit. Server commands take --server and --api-key, or SEALPOST_SERVER and SEALPOST_API_KEY."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...",
      "  sealpost send --subject \"Your policy\" --message-file m.txt \\",
      "      --attach policy.pdf --email alice@example.com",
      "  sealpost status 6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10",
      "  sealpost help send"
    },
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:bad command line or key file",
      "2:integrity check failed (tampered or truncated data)",
      "3:signer not trusted",
      "4:file or network I/O error",
      "5:malformed or unsupported envelope",
      "6:no recipient entry for this key",
      "70:internal error"
    })
public final class SealpostCli implements Runnable {

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of a failure.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing command (see 'sealpost --help' for the list)");
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The command tree with its error handling, ready for {@link CommandLine#execute}. Tests call
   * this in-process; {@code setOut}/{@code setErr} redirect what it prints.
   */
  public static CommandLine newCommandLine() {
    CommandLine cli = new CommandLine(new SealpostCli());
    cli.addSubcommand(new KeysCommand());
    cli.addSubcommand(new SealCommand());
    cli.addSubcommand(new OpenCommand());
    cli.addSubcommand(new SendCommand());
    cli.addSubcommand(new EnvelopeCommands.Status());
    cli.addSubcommand(new EnvelopeCommands.List());
    cli.addSubcommand(new EnvelopeCommands.Revoke());
    cli.addSubcommand(new ReissueCommand());
    cli.addSubcommand(new InboxCommand());
    cli.addSubcommand(new FetchCommand());
    cli.addSubcommand(new RepliesCommand());
    cli.addSubcommand(new AuditCommand());
    cli.addSubcommand(new CompletionCommand());
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setExecutionExceptionHandler(SealpostCli::handleExecutionException);
    cli.setParameterExceptionHandler(SealpostCli::handleParameterException);
    return cli;
  }

  private static int handleParameterException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(
        prefix(cmd)
            + oneLine(e.getMessage())
            + " (see '"
            + cmd.getCommandSpec().qualifiedName()
            + " --help')");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int handleExecutionException(
      Exception e, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    Failure failure = describe(e);
    err.println(prefix(cmd) + oneLine(failure.message));
    if (isVerbose(parseResult)) {
      e.printStackTrace(err);
    } else if (failure.exitCode == ExitCodes.INTERNAL) {
      err.println("Run again with --verbose for details.");
    }
    err.flush();
    return failure.exitCode;
  }

  private static String prefix(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName() + ": ";
  }

  private static boolean isVerbose(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "failed";
    }
    return message.strip().replaceAll("[\\r\\n]+\\s*", " ");
  }

  /** An exception as the CLI reports it: exit code and one-line message. */
  static final class Failure {
    final int exitCode;
    final String message;

    Failure(int exitCode, String message) {
      this.exitCode = exitCode;
      this.message = message;
    }
  }

  static Failure describe(Throwable e) {
    if (e instanceof CliException) {
      return new Failure(((CliException) e).exitCode(), e.getMessage());
    }
    if (e instanceof IntegrityException) {
      return new Failure(ExitCodes.INTEGRITY, "integrity check failed: " + e.getMessage());
    }
    if (e instanceof UntrustedSignerException) {
      return new Failure(ExitCodes.UNTRUSTED_SIGNER, "untrusted signer: " + e.getMessage());
    }
    if (e instanceof NoMatchingRecipientException) {
      return new Failure(ExitCodes.NO_MATCHING_KEY, "cannot open with this key: " + e.getMessage());
    }
    if (e instanceof MalformedEnvelopeException || e instanceof UnsupportedFormatException) {
      return new Failure(ExitCodes.MALFORMED, "invalid envelope: " + e.getMessage());
    }
    if (e instanceof SealpostException) {
      return new Failure(ExitCodes.MALFORMED, e.getMessage());
    }
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      return describe(e.getCause());
    }
    if (e instanceof IOException && e.getCause() instanceof SealpostException) {
      return describe(e.getCause());
    }
    if (e instanceof IOException) {
      return new Failure(ExitCodes.IO, describeIo((IOException) e));
    }
    if (e instanceof OutOfMemoryError) {
      return new Failure(
          ExitCodes.INTERNAL, "out of memory (raise the heap with JAVA_OPTS=-Xmx...)");
    }
    return new Failure(
        ExitCodes.INTERNAL, "internal error: " + e.getClass().getName() + ": " + e.getMessage());
  }

  static String describeIo(IOException e) {
    if (e instanceof FileSystemException) {
      FileSystemException fse = (FileSystemException) e;
      String file = fse.getFile();
      if (e instanceof NoSuchFileException) {
        return "no such file or directory: " + file;
      }
      if (e instanceof AccessDeniedException) {
        return "permission denied: " + file;
      }
      if (e instanceof FileAlreadyExistsException) {
        return "already exists: " + file;
      }
      if (e instanceof NotDirectoryException) {
        return "not a directory: " + file;
      }
      if (e instanceof DirectoryNotEmptyException) {
        return "directory not empty: " + file;
      }
      String reason = fse.getReason();
      return (reason == null ? "I/O error" : reason) + (file == null ? "" : ": " + file);
    }
    return "I/O error: " + e.getMessage();
  }

  /** The version from the jar manifest (the Maven project version). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SealpostCli.class.getPackage().getImplementationVersion();
      return new String[] {"sealpost " + (v == null ? "(development build)" : v)};
    }
  }
}
