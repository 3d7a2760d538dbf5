package dev.sealpost.exception;

/**
 * The client could not complete a call: the server could not be reached (connection refused,
 * timeout, TLS), the answer could not be parsed, a local file could not be read, or the call was
 * interrupted. No answer from the server is behind it (compare {@link ServiceException}).
 */
public class ClientException extends SealpostException {
  private static final long serialVersionUID = 1L;

  public ClientException(String message) {
    super(message);
  }

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
