package dev.sealpost.api.domain;

/**
 * The request clashes with the current state (a duplicate name, a concurrent duplicate request).
 */
public class ConflictException extends DomainException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
