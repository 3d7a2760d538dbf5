package dev.sealpost.api.domain;

/** The thing does not exist, or belongs to another tenant (never say which). */
public class NotFoundException extends DomainException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String what) {
    super(what + " not found");
  }
}
