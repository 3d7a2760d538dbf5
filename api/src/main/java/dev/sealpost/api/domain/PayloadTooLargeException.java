package dev.sealpost.api.domain;

/** The request carries more than a configured limit allows: 413. */
public class PayloadTooLargeException extends DomainException {
  private static final long serialVersionUID = 1L;

  public PayloadTooLargeException(String message) {
    super(message);
  }
}
