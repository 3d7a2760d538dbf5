package dev.sealpost.api.application;

/** {@code sealpost.envelope.max-bytes}: attachment plaintext allowed per envelope. */
public record EnvelopeLimits(long maxBytes) {
  public EnvelopeLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
  }
}
