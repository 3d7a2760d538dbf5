package dev.sealpost.api.domain;

/**
 * Another tenant's display name could be taken for this one (the same up to case, width or
 * confusable characters): 409 {@code display-name-taken} naming {@code displayName}.
 */
public class DisplayNameTakenException extends ConflictException {
  private static final long serialVersionUID = 1L;

  public DisplayNameTakenException() {
    super("another tenant's display name looks the same as this one; choose a distinct name");
  }
}
