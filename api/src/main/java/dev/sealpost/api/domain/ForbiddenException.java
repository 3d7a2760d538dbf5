package dev.sealpost.api.domain;

/** Authenticated, but this caller may not do this. */
public class ForbiddenException extends DomainException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(String message) {
    super(message);
  }
}
