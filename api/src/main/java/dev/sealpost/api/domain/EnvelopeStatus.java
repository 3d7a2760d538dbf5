package dev.sealpost.api.domain;

/**
 * An envelope's life: open-able while ACTIVE; REVOKED and EXPIRED are final and crypto-shredded.
 */
public enum EnvelopeStatus {
  ACTIVE,
  REVOKED,
  EXPIRED
}
