package dev.sealpost.api.infrastructure.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.NotificationMails;
import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.domain.VerificationMethod;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox mailer's files and the mails' texts (languages, escaping, no header injection). */
class OutboxMailerTest {
  @TempDir Path dir;

  private static final String LINK =
      "https://sealpost.example/v/0b0e-env/1c1f-rcp#AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  @Test
  void writesOneEmlPerMail_mode0600_withTextAndEscapedHtml() throws Exception {
    Path outbox = dir.resolve("outbox");
    OutboxMailer mailer = new OutboxMailer(outbox, "no-reply@sealpost.test", Clock.systemUTC());
    mailer.send(
        NotificationMails.link(
            "a@example.com",
            "fr",
            "Acme <Assurances> & Co",
            "Vos documents",
            LINK,
            Instant.parse("2026-12-06T10:00:00Z"),
            VerificationMethod.EMAIL_OTP));
    List<Path> files;
    try (Stream<Path> s = Files.list(outbox)) {
      files = s.toList();
    }
    assertThat(files).hasSize(1);
    Path eml = files.get(0);
    assertThat(eml.getFileName().toString()).endsWith(".eml");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(eml)))
        .isEqualTo("rw-------");
    MimeMessage m;
    try (InputStream in = Files.newInputStream(eml)) {
      m = new MimeMessage(Session.getInstance(new Properties()), in);
    }
    assertThat(m.getSubject()).isEqualTo("Vos documents");
    assertThat(m.getFrom()[0].toString()).contains("no-reply@sealpost.test");
    MimeMultipart mp = (MimeMultipart) m.getContent();
    assertThat(mp.getCount()).isEqualTo(2);
    String text = (String) mp.getBodyPart(0).getContent();
    String html = (String) mp.getBodyPart(1).getContent();
    assertThat(text).contains(LINK, "Acme <Assurances> & Co", "sealpost.example", "mot de passe");
    assertThat(html).contains("Acme &lt;Assurances&gt; &amp; Co").doesNotContain("<Assurances>");
    assertThat(html).contains("href=\"" + LINK + "\"");
  }

  @Test
  void spanishAndEnglishTexts_andCodeMail() {
    assertThat(
            NotificationMails.link(
                    "a@example.com", "es-MX", "Acme", "S", LINK, null, VerificationMethod.NONE)
                .text())
        .contains("Ábralo", "contraseña");
    assertThat(
            NotificationMails.link(
                    "a@example.com", "de", "Acme", "S", LINK, null, VerificationMethod.NONE)
                .text())
        .contains("Open it in your browser", "never ask for a password");
    MailerMessage code = NotificationMails.code("a@example.com", null, "Acme", "042917");
    assertThat(code.text()).contains("042917", "10 minutes");
    assertThat(code.subject()).doesNotContain("042917");
  }

  @Test
  void crOrLfInAHeader_isRefused() {
    assertThatThrownBy(() -> new MailerMessage("a@example.com\r\nBcc: x@y", "A", "S", "t", "h"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MailerMessage("a@example.com", "A", "S\nBcc: x@y", "t", "h"))
        .isInstanceOf(IllegalArgumentException.class);
    // a display name with a line break is flattened, never injected
    assertThat(NotificationMails.code("a@example.com", "en", "Evil\r\nBcc: x@y", "1").fromName())
        .doesNotContain("\r", "\n");
  }
}
