package dev.sealpost.api.infrastructure.mail;

import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.MailerException;
import dev.sealpost.api.domain.MailerMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code sealpost.mail=outbox}: each mail becomes one {@code .eml} file under {@code
 * <data-dir>/outbox/}, written to a temporary file (mode 0600: it holds a live link) and then moved
 * into place atomically, so a reader never sees half a mail. A developer opens the file in a mail
 * client or clicks the link in it.
 */
public final class OutboxMailer implements Mailer {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC);
  private final Path directory;
  private final String fromAddress;
  private final Clock clock;
  private final Session session = Session.getInstance(new Properties());

  public OutboxMailer(Path directory, String fromAddress, Clock clock) throws IOException {
    this.directory = directory;
    this.fromAddress = fromAddress;
    this.clock = clock;
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      try {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
    }
  }

  @Override
  public void send(MailerMessage mail) {
    String name = STAMP.format(clock.instant()) + "-" + UUID.randomUUID() + ".eml";
    Path tmp = null;
    try {
      MimeMessage m = MimeMessages.build(session, fromAddress, mail);
      tmp =
          Files.createTempFile(
              directory,
              ".writing-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(tmp)) {
        m.writeTo(out);
      }
      Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException | MessagingException e) {
      throw new MailerException("could not write the mail to the outbox directory", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }
}
