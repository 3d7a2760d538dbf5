package dev.sealpost.exception;

/**
 * Base of every exception the Sealpost SDK throws on purpose. Unchecked: a failed check is never
 * silent, and callers catch it where they can act on it.
 *
 * <p>Messages never contain key material, tokens or plaintext, so they are safe to log.
 */
public class SealpostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SealpostException(String message) {
    super(message);
  }

  public SealpostException(String message, Throwable cause) {
    super(message, cause);
  }
}
