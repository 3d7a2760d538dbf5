package dev.sealpost.cli;

import com.nimbusds.jose.jwk.JWK;
import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.Manifest;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sealpost open}: decrypt and verify an envelope directory into plain files. */
@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description = {
      "Open an envelope directory offline: decrypt, verify and write the files.",
      "Decrypts with your key, verifies the sender's signature against the trusted keys and every attachment's integrity, then writes OUT/message.txt and the attachments under their (sanitised) names. Nothing is left in OUT unless everything verifies."
    },
    footerHeading = "%nExample:%n",
    footer = {"  sealpost open env --key bob.jwk --trust acme.pub.jwk --out opened"})
final class OpenCommand implements Callable<Integer> {
  /** Far above any real manifest (the format's own limit is 32 MiB) yet bounded. */
  static final long MAX_MANIFEST_BYTES = 32L << 20;

  static final String MESSAGE_FILE = "message.txt";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The envelope directory.")
  Path dir;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "PRIVATE_JWK",
      description = "Your private JWK file (the recipient key).")
  Path key;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Trust trust;

  static final class Trust {
    @Option(
        names = "--trust",
        required = true,
        paramLabel = "PUBLIC_JWK",
        description = "A trusted sender key: a public JWK or JWK set file; repeat for more.")
    List<Path> files;

    @Option(
        names = "--jwks",
        required = true,
        paramLabel = "URL",
        description =
            "Trust the keys published at this https URL (e.g. .../.well-known/jwks.json).")
    String url;
  }

  @Option(
      names = "--out",
      required = true,
      paramLabel = "OUT",
      description = "Output directory (must not exist or be empty).")
  Path out;

  @Override
  public Integer call() throws Exception {
    CryptoWarmUp.startIfLarge(storedAttachmentBytes(), true);
    RecipientKey recipientKey = recipientKey();
    TrustedKeys trusted = trustedKeys();
    String json = readManifest();

    EnvelopeOpener opener = EnvelopeOpener.builder().trust(trusted).build();
    OpenedEnvelope envelope = opener.open(json, recipientKey);
    Manifest manifest = envelope.manifest();

    List<AttachmentDescriptor> attachments = manifest.attachments();
    for (AttachmentDescriptor a : attachments) {
      if (!SAFE_ID.matcher(a.id()).matches()) {
        throw new CliException(ExitCodes.MALFORMED, "invalid envelope: unusable attachment id");
      }
      Path cipher = ciphertextPath(a);
      if (!Files.isRegularFile(cipher)) {
        throw CliException.io("attachment missing from the envelope: " + cipher, null);
      }
    }

    OutputDirectory.checkUsable(out);
    PrintWriter err = spec.commandLine().getErr();
    List<String> names =
        OutputDirectory.writeStaged(
            out,
            manifest.message(),
            attachments,
            (a, name, os) -> {
              Path cipher = ciphertextPath(a);
              try (InputStream ciphertext =
                  Progress.wrap(
                      Files.newInputStream(cipher), "opening " + name, Files.size(cipher), err)) {
                // Reads to the end: the final chunk, the size and the SHA-256 are checked there.
                envelope.openAttachment(a.id(), ciphertext, os);
              }
            });

    OutputDirectory.printWritten(
        spec.commandLine().getOut(),
        "opened",
        manifest.envelopeId(),
        envelope.signerKeyId(),
        out,
        names);
    return ExitCodes.OK;
  }

  /** The size of DIR/attachments, known before anything is parsed (for the JIT warm-up). */
  private long storedAttachmentBytes() {
    long total = 0;
    try (Stream<Path> files = Files.list(dir.resolve(SealCommand.ATTACHMENTS_DIR))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        total += Files.size(p);
      }
    } catch (IOException | RuntimeException e) {
      // No attachments directory or unreadable: the checks below report what matters.
    }
    return total;
  }

  private Path ciphertextPath(AttachmentDescriptor a) {
    return dir.resolve(SealCommand.ATTACHMENTS_DIR).resolve(a.id());
  }

  private RecipientKey recipientKey() throws IOException {
    JWK jwk = JwkFiles.readPrivateJwk(key, "--key");
    try {
      return RecipientKey.privateJwk(jwk);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--key " + key + ": " + e.getMessage());
    }
  }

  private TrustedKeys trustedKeys() throws IOException {
    if (trust.files != null) {
      List<JWK> keys = new ArrayList<>();
      for (Path p : trust.files) {
        keys.addAll(JwkFiles.readPublicKeys(p, "--trust"));
      }
      try {
        return TrustedKeys.of(keys);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--trust: " + e.getMessage());
      }
    }
    String jwks = JwksFetcher.fetch(trust.url);
    try {
      return TrustedKeys.fromJwksJson(jwks);
    } catch (IllegalArgumentException e) {
      throw CliException.io(
          "--jwks " + trust.url + " did not answer a JWK set: " + e.getMessage(), e);
    }
  }

  private String readManifest() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw CliException.io(
          (Files.exists(dir) ? "not an envelope directory: " : "no such directory: ") + dir, null);
    }
    Path file = dir.resolve(SealCommand.MANIFEST_FILE);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new CliException(
            ExitCodes.MALFORMED, "invalid envelope: " + file + " is over 32 MiB");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * Plaintext files written under temporary names (mode 0600) and renamed to their real names only
   * once every one of them has verified. Closing without {@link #commit()} deletes them, and so
   * does an interrupted run (Ctrl-C), so a tampered or truncated envelope leaves no plaintext.
   */
  static final class StagedFiles implements AutoCloseable {
    private final Path directory;
    private final List<Path> temps = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Thread cleaner = new Thread(this::deleteTemps, "sealpost-cleanup");
    private boolean committed;

    StagedFiles(Path directory) {
      this.directory = directory;
      Runtime.getRuntime().addShutdownHook(cleaner);
    }

    OutputStream create(String finalName) throws IOException {
      // createTempFile makes the file with mode 0600 on POSIX systems.
      Path temp = Files.createTempFile(directory, ".sealpost-", ".partial");
      temps.add(temp);
      names.add(finalName);
      return Files.newOutputStream(temp, StandardOpenOption.WRITE);
    }

    void commit() throws IOException {
      List<Path> moved = new ArrayList<>();
      try {
        for (int i = 0; i < temps.size(); i++) {
          Path target = directory.resolve(names.get(i));
          // No REPLACE_EXISTING: a file that appeared meanwhile is never overwritten.
          Files.move(temps.get(i), target);
          moved.add(target);
        }
        committed = true;
      } finally {
        if (!committed) {
          for (Path p : moved) {
            Files.deleteIfExists(p);
          }
        }
      }
    }

    @Override
    public void close() {
      if (!committed) {
        deleteTemps();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(cleaner);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs (or ran) anyway.
      }
    }

    private synchronized void deleteTemps() {
      if (committed) {
        return;
      }
      for (Path p : temps) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Best effort; keep deleting the others.
        }
      }
    }
  }
}
