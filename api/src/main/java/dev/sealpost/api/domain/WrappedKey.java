package dev.sealpost.api.domain;

import java.util.Objects;

/**
 * A data key encrypted by the key service's master key, as an opaque base64url string that names
 * the master key version inside. Safe to store; useless without the key service.
 */
public record WrappedKey(String value) {
  public WrappedKey {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return value;
  }
}
