package dev.sealpost.api.domain;

/**
 * A partner JWKS carried private key parts: refused (400) and never stored. The partner should
 * treat that key as exposed and make a new one.
 */
public class PrivateKeyPostedException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public PrivateKeyPostedException(String field) {
    super(field, "contains a private key; send only the public key (and make a new key pair)");
  }
}
