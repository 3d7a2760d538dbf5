package dev.sealpost.api.application;

import dev.sealpost.api.domain.DomainException;

/** The envelope was addressed to the partner but is revoked or expired: 410, never served again. */
public class InboxEnvelopeGoneException extends DomainException {
  private static final long serialVersionUID = 1L;

  public InboxEnvelopeGoneException() {
    super("the envelope was revoked or has expired; its keys are destroyed");
  }
}
