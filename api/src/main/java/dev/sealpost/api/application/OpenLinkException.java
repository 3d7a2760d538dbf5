package dev.sealpost.api.application;

import dev.sealpost.api.domain.LinkAccess;

/**
 * Why the consumer flow refused a request. The REST edge maps each {@link Reason} to a status and a
 * problem type slug the viewer recognises; messages never carry a token, code or secret.
 */
public final class OpenLinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Reason {
    NOT_FOUND,
    WRONG_CODE,
    WRONG_SECRET,
    LOCKED,
    EXPIRED,
    REVOKED,
    OPEN_LIMIT,
    GONE,
    RATE_LIMITED,
    SESSION_ENDED,
    METHOD_NOT_ALLOWED,
    ANSWER_REQUIRED,
    MAIL_UNAVAILABLE
  }

  private final Reason reason;
  private final Integer remainingAttempts;
  private final Long retryAfterSeconds;

  public OpenLinkException(
      Reason reason, String detail, Integer remainingAttempts, Long retryAfterSeconds) {
    super(detail, null, false, false);
    this.reason = reason;
    this.remainingAttempts = remainingAttempts;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public OpenLinkException(Reason reason, String detail) {
    this(reason, detail, null, null);
  }

  /** The answer to a link that {@link LinkAccess} refuses. */
  public static OpenLinkException of(LinkAccess.Refusal refusal) {
    return switch (refusal) {
      case NOT_FOUND -> new OpenLinkException(Reason.NOT_FOUND, "no such message");
      case REVOKED -> new OpenLinkException(Reason.REVOKED, "the sender withdrew this message");
      case EXPIRED -> new OpenLinkException(Reason.EXPIRED, "this message has expired");
      case GONE -> new OpenLinkException(Reason.GONE, "this message is no longer available");
      case LOCKED ->
          new OpenLinkException(
              Reason.LOCKED, "too many wrong answers: ask the sender for a new link", 0, null);
      case OPENS_USED_UP ->
          new OpenLinkException(Reason.OPEN_LIMIT, "this message cannot be opened again");
    };
  }

  public Reason reason() {
    return reason;
  }

  public Integer remainingAttempts() {
    return remainingAttempts;
  }

  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
