package dev.sealpost.api.infrastructure.jdbc;

import java.sql.SQLException;

/** An insert or update broke a unique or foreign-key constraint. */
public class DuplicateKeyException extends DataAccessException {
  private static final long serialVersionUID = 1L;

  public DuplicateKeyException(SQLException cause) {
    super("constraint violated", cause);
  }
}
