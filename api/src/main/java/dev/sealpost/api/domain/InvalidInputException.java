package dev.sealpost.api.domain;

/** A well-formed request whose field breaks a rule: 422 naming the field. */
public class InvalidInputException extends DomainException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidInputException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
