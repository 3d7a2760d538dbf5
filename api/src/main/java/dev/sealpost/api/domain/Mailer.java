package dev.sealpost.api.domain;

/**
 * Sends one mail. Implementations: {@code outbox} (an {@code .eml} file per mail under the data
 * directory, for a laptop) and {@code smtp} (Jakarta Mail over STARTTLS, e.g. Amazon SES).
 *
 * <p>A mail may hold a live link or a code: implementations never log its body.
 */
public interface Mailer {
  /**
   * Hands the mail over (to the SMTP server, or to the outbox directory).
   *
   * @throws MailerException when it was not accepted; the caller may retry
   */
  void send(MailerMessage mail);
}
