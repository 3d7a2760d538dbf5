package dev.sealpost.api.domain;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A 256-bit data key in clear together with its wrapped form. Hold it briefly; {@link #destroy()}
 * zeroes the clear bytes. {@code toString()} never shows them.
 */
public final class DataKey implements AutoCloseable {
  private final byte[] key;
  private final WrappedKey wrapped;

  public DataKey(byte[] key, WrappedKey wrapped) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a data key has 32 bytes");
    }
    this.key = key.clone();
    this.wrapped = Objects.requireNonNull(wrapped);
  }

  /** A copy of the clear key bytes. */
  public byte[] bytes() {
    return key.clone();
  }

  public WrappedKey wrapped() {
    return wrapped;
  }

  public boolean sameKeyAs(DataKey other) {
    return MessageDigest.isEqual(key, other.key);
  }

  public void destroy() {
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public void close() {
    destroy();
  }

  @Override
  public String toString() {
    return "DataKey[redacted]";
  }
}
