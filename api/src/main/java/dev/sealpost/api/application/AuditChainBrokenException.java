package dev.sealpost.api.application;

/**
 * A tenant's stored audit chain does not check out: the server refuses to sign a checkpoint over it
 * (and so refuses the append that would have signed one: fail closed).
 */
public class AuditChainBrokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditChainBrokenException(String message) {
    super(message);
  }
}
