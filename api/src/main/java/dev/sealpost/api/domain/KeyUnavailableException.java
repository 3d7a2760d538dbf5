package dev.sealpost.api.domain;

/** A key could not be unwrapped or used. Never carries key material. */
public class KeyUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyUnavailableException(String message) {
    super(message);
  }

  public KeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
