package dev.sealpost.api.infrastructure.jdbc;

/** A database failure. The REST edge answers 500 without details; the cause is logged. */
public class DataAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
