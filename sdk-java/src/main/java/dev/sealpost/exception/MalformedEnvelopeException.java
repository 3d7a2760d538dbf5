package dev.sealpost.exception;

/**
 * The input is not a well-formed Sealpost envelope (bad JSON, a missing or mistyped member, a
 * header or document over the size limits).
 */
public class MalformedEnvelopeException extends SealpostException {
  private static final long serialVersionUID = 1L;

  public MalformedEnvelopeException(String message) {
    super(message);
  }

  public MalformedEnvelopeException(String message, Throwable cause) {
    super(message, cause);
  }
}
