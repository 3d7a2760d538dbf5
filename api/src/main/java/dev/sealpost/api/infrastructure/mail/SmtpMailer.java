package dev.sealpost.api.infrastructure.mail;

import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.MailerException;
import dev.sealpost.api.domain.MailerMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@code sealpost.mail=smtp}: Jakarta Mail (Payara ships Angus Mail) to {@code sealpost.smtp.host}
 * and {@code .port}, with STARTTLS required unless {@code sealpost.smtp.starttls=relaxed}, and
 * login with {@code .user}/{@code .password} when set. Amazon SES works through its SMTP interface
 * (port 587). Timeouts are short (the relay's claim lease is longer than any one send).
 *
 * <p>With STARTTLS required, a server that does not offer it gets no MAIL FROM, no recipient and no
 * data: Jakarta Mail stops after EHLO, and the send fails with a message that says why. There is no
 * plaintext fallback.
 */
public final class SmtpMailer implements Mailer {
  private final Session session;
  private final String host;
  private final int port;
  private final Optional<String> user;
  private final Optional<String> password;
  private final String from;
  private final boolean requireStartTls;

  public SmtpMailer(
      String host,
      int port,
      Optional<String> user,
      Optional<String> password,
      String from,
      boolean requireStartTls) {
    this(host, port, user, password, from, requireStartTls, null);
  }

  /**
   * {@code tlsSockets}: the TLS socket factory for the STARTTLS upgrade (tests trust their own
   * certificate with it); {@code null} is the JDK's default trust store.
   */
  SmtpMailer(
      String host,
      int port,
      Optional<String> user,
      Optional<String> password,
      String from,
      boolean requireStartTls,
      SSLSocketFactory tlsSockets) {
    this.host = host;
    this.requireStartTls = requireStartTls;
    this.port = port;
    this.user = user;
    this.password = password;
    this.from = from;
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.auth", Boolean.toString(user.isPresent()));
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", Boolean.toString(requireStartTls));
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.connectiontimeout", "15000");
    p.put("mail.smtp.timeout", "30000");
    p.put("mail.smtp.writetimeout", "30000");
    p.put("mail.smtp.from", from);
    if (tlsSockets != null) {
      p.put("mail.smtp.ssl.socketFactory", tlsSockets);
    }
    // Jakarta Mail finds its provider through the context class loader: use the application's.
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(SmtpMailer.class.getClassLoader());
    try {
      this.session = Session.getInstance(p);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Override
  public void send(MailerMessage mail) {
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(SmtpMailer.class.getClassLoader());
    try {
      MimeMessage m = MimeMessages.build(session, from, mail);
      try (Transport t = session.getTransport("smtp")) {
        t.connect(host, port, user.orElse(null), password.orElse(null));
        t.sendMessage(m, m.getAllRecipients());
      }
    } catch (MessagingException e) {
      // The message names the server's answer, never the mail's content.
      if (requireStartTls && e.getMessage() != null && e.getMessage().contains("STARTTLS")) {
        throw new MailerException(
            "SMTP server "
                + host
                + ":"
                + port
                + " does not offer STARTTLS, which sealpost.smtp.starttls=required demands:"
                + " nothing was sent",
            e);
      }
      throw new MailerException("SMTP send failed: " + e.getClass().getSimpleName(), e);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Override
  public String toString() {
    return "SmtpMailer[" + host + ":" + port + "]";
  }
}
