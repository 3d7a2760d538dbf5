package dev.sealpost.exception;

/**
 * The envelope holds no recipient entry for the given key (no entry with its {@code kid}, or none
 * of a kind that key can open).
 */
public class NoMatchingRecipientException extends SealpostException {
  private static final long serialVersionUID = 1L;

  public NoMatchingRecipientException(String message) {
    super(message);
  }

  public NoMatchingRecipientException(String message, Throwable cause) {
    super(message, cause);
  }
}
