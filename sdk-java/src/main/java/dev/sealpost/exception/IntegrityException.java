package dev.sealpost.exception;

/**
 * The envelope or an attachment was altered, truncated, reordered or spliced, or was not made for
 * the key used: an authentication tag, a signature, a size or a SHA-256 did not verify. Treat the
 * data as hostile; never show plaintext that was read from a stream that ended with this exception.
 */
public class IntegrityException extends SealpostException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
