package dev.sealpost.cli;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.sealpost.envelope.AttachmentSealer;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.SealedEnvelope;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sealpost seal}: an envelope directory from a message and files, offline. */
@Command(
    name = "seal",
    mixinStandardHelpOptions = true,
    description = {
      "Seal a message and files offline for one or more recipients' public keys.",
      "The manifest is signed by the sender (ES256) and encrypted to every recipient. Writes DIR/manifest.jwe (JWE JSON) and DIR/attachments/<attachmentId>; no server is involved."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  sealpost seal --to bob.pub.jwk --sign-key acme.jwk --subject \"Policy 4711\" \\",
      "      --message-file m.txt --attach policy.pdf --out env"
    })
final class SealCommand implements Callable<Integer> {
  static final String MANIFEST_FILE = "manifest.jwe";
  static final String ATTACHMENTS_DIR = "attachments";
  private static final int IO_BUFFER = 1 << 17;

  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "PUBLIC_JWK",
      description = "A recipient's public JWK file (RSA or EC P-256, use=enc); repeat for more.")
  List<Path> to;

  @Option(
      names = "--sign-key",
      required = true,
      paramLabel = "PRIVATE_JWK",
      description = "The sender's private ES256 JWK file.")
  Path signKey;

  @Option(names = "--subject", required = true, paramLabel = "TEXT", description = "Subject.")
  String subject;

  @Option(
      names = "--message-file",
      required = true,
      paramLabel = "FILE",
      description = "The message text, UTF-8 (- reads stdin).")
  Path messageFile;

  @Option(
      names = "--attach",
      paramLabel = "FILE",
      description = "A file to attach, under its own name; repeat for more.")
  List<Path> attach = new ArrayList<>();

  @Option(
      names = "--tenant",
      paramLabel = "NAME",
      defaultValue = "local",
      description = "The sending tenant named in the manifest (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(
      names = "--expires-in",
      paramLabel = "DURATION",
      description = "Expiry recorded in the manifest, ISO-8601 (e.g. P7D, PT12H).")
  String expiresIn;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Envelope directory to create (must not exist or be empty).")
  Path out;

  @Override
  public Integer call() throws Exception {
    long total = 0;
    for (Path a : attach) {
      if (!Files.isRegularFile(a)) {
        throw CliException.io(
            (Files.exists(a) ? "not a regular file: " : "no such file: ") + a, null);
      }
      total += Files.size(a);
    }
    CryptoWarmUp.startIfLarge(total, false);
    Instant now = Instant.now();
    Instant expires = parseExpiry(now);
    List<Recipient> recipients = new ArrayList<>();
    for (Path p : to) {
      recipients.add(recipient(p));
    }
    ManifestSigner signer = signer();
    String message = readMessage();

    OutputDirectory.checkUsable(out);
    boolean created = OutputDirectory.create(out);
    Path attachmentsDir = out.resolve(ATTACHMENTS_DIR);
    List<Path> written = new ArrayList<>();
    boolean ok = false;
    try {
      EnvelopeSealer.Builder builder =
          EnvelopeSealer.builder().signer(signer).tenant(tenant).createdAt(now);
      if (expires != null) {
        builder.expiresAt(expires);
      }
      EnvelopeSealer sealer = builder.build();
      if (!attach.isEmpty()) {
        Files.createDirectories(attachmentsDir);
      }
      for (Path file : attach) {
        String name = file.getFileName().toString();
        AttachmentSealer attachment = sealer.attachment(name, mediaType(name));
        Path target = attachmentsDir.resolve(attachment.id());
        written.add(target);
        long size = Files.size(file);
        try (InputStream in =
                Progress.wrap(
                    Files.newInputStream(file),
                    "sealing " + name,
                    size,
                    spec.commandLine().getErr());
            OutputStream os =
                new BufferedOutputStream(
                    Files.newOutputStream(
                        target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    IO_BUFFER)) {
          attachment.seal(in, os);
        }
      }
      SealedEnvelope envelope = sealer.seal(subject, message, recipients);
      Path manifest = out.resolve(MANIFEST_FILE);
      Path tmp = out.resolve(MANIFEST_FILE + ".tmp");
      written.add(tmp);
      Files.writeString(
          tmp, envelope.json(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      Files.move(tmp, manifest, StandardCopyOption.ATOMIC_MOVE);
      written.add(manifest);
      spec.commandLine()
          .getOut()
          .printf(
              "sealed envelope %s for %d recipient(s), %d attachment(s): %s%n",
              envelope.manifest().envelopeId(), recipients.size(), attach.size(), out);
      spec.commandLine().getOut().flush();
      ok = true;
      return ExitCodes.OK;
    } finally {
      if (!ok) {
        cleanUp(written, attachmentsDir, created);
      }
    }
  }

  private Instant parseExpiry(Instant now) {
    if (expiresIn == null) {
      return null;
    }
    try {
      Duration d = Duration.parse(expiresIn);
      if (d.isNegative() || d.isZero()) {
        throw new ParameterException(spec.commandLine(), "--expires-in must be positive");
      }
      return now.plus(d);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--expires-in takes an ISO-8601 duration such as P7D, not " + expiresIn);
    }
  }

  private Recipient recipient(Path file) throws IOException {
    List<JWK> keys = JwkFiles.readPublicKeys(file, "--to");
    if (keys.size() != 1) {
      throw CliException.usage(
          "--to " + file + " must hold one public JWK, not a set of " + keys.size());
    }
    try {
      return Recipient.partner(keys.get(0));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--to " + file + ": " + e.getMessage());
    }
  }

  private ManifestSigner signer() throws IOException {
    JWK jwk = JwkFiles.readPrivateJwk(signKey, "--sign-key");
    if (!(jwk instanceof ECKey)) {
      throw CliException.usage("--sign-key " + signKey + " must be an EC P-256 (ES256) key");
    }
    try {
      return ManifestSigner.fromJwk((ECKey) jwk);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--sign-key " + signKey + ": " + e.getMessage());
    }
  }

  private String readMessage() throws IOException {
    byte[] bytes;
    if (messageFile.toString().equals("-")) {
      bytes = System.in.readAllBytes();
    } else {
      bytes = Files.readAllBytes(messageFile);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw CliException.usage("--message-file " + messageFile + " is not UTF-8 text");
    }
  }

  private static void cleanUp(List<Path> written, Path attachmentsDir, boolean createdOut) {
    for (Path p : written) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Best effort: the failure being reported matters more.
      }
    }
    try {
      Files.deleteIfExists(attachmentsDir);
      if (createdOut) {
        Files.deleteIfExists(attachmentsDir.getParent());
      }
    } catch (IOException ignored) {
      // Not empty or not ours: leave it.
    }
  }

  static String mediaType(String name) {
    String type = URLConnection.guessContentTypeFromName(name);
    return type == null ? "application/octet-stream" : type;
  }
}
