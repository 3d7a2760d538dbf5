package dev.sealpost.api.domain;

/** A reply the server will not take now, and why (each has its own problem type). */
public class ReplyRefusedException extends DomainException {
  private static final long serialVersionUID = 1L;

  public enum Reason {
    /** The envelope was sealed without policy.allowReply, or the tenant takes no replies now. */
    NOT_ALLOWED,
    /** The recipient sent sealpost.reply.max-per-recipient replies already. */
    LIMIT_REACHED,
    /** The replyId is taken. */
    ID_USED
  }

  private final Reason reason;

  public ReplyRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
