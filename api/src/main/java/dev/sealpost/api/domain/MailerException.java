package dev.sealpost.api.domain;

/** A mail was not accepted (server unreachable, refused, disk full). Retrying may help. */
public class MailerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MailerException(String message, Throwable cause) {
    super(message, cause);
  }
}
