package dev.sealpost.exception;

/**
 * The input asks for something this SDK refuses on purpose: an unknown manifest version, an
 * algorithm outside the allow-list ({@code alg:none}, {@code RSA1_5}, {@code PBES2-*}, {@code dir},
 * ...), an {@code enc} other than {@code A256GCM}, compression ({@code zip}) or critical header
 * parameters ({@code crit}).
 */
public class UnsupportedFormatException extends SealpostException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatException(String message) {
    super(message);
  }

  public UnsupportedFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
