package dev.sealpost.exception;

/**
 * The manifest is signed with a key whose {@code kid} is not among the trusted keys. The signature
 * was not checked: the sender is unknown, so nothing in the envelope can be relied on.
 */
public class UntrustedSignerException extends SealpostException {
  private static final long serialVersionUID = 1L;

  public UntrustedSignerException(String message) {
    super(message);
  }

  public UntrustedSignerException(String message, Throwable cause) {
    super(message, cause);
  }
}
