package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * An API key's id (never its secret): a UUID string. A type of its own so that ids of different
 * things cannot be mixed up.
 */
public record ApiKeyId(String value) {
  public ApiKeyId {
    Objects.requireNonNull(value, "value");
  }

  public static ApiKeyId random() {
    return new ApiKeyId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
