package dev.sealpost.api.infrastructure.mail;

import dev.sealpost.api.domain.MailerMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Builds the MIME form of a mail: multipart/alternative with a text and an HTML part, UTF-8. */
final class MimeMessages {
  private MimeMessages() {}

  static MimeMessage build(Session session, String fromAddress, MailerMessage mail)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    try {
      m.setFrom(new InternetAddress(fromAddress, mail.fromName(), StandardCharsets.UTF_8.name()));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
    // strict parsing: one address, no display name tricks, no CR/LF (MailerMessage refuses those
    // too)
    InternetAddress[] to = InternetAddress.parse(mail.to(), true);
    if (to.length != 1) {
      throw new MessagingException("exactly one recipient address expected");
    }
    m.setRecipients(MimeMessage.RecipientType.TO, to);
    m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
    m.setSentDate(new Date());
    m.setHeader("Auto-Submitted", "auto-generated");
    MimeBodyPart text = new MimeBodyPart();
    text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    m.setContent(alternative);
    m.saveChanges();
    return m;
  }
}
