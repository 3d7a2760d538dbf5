package dev.sealpost.api.domain;

/** Base of the exceptions the REST edge turns into problem+json. Messages never carry secrets. */
public abstract class DomainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected DomainException(String message) {
    super(message, null, false, false);
  }
}
