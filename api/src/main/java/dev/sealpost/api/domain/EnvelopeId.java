package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * An envelope's id: a UUID string. A type of its own so that ids of different things cannot be
 * mixed up.
 */
public record EnvelopeId(String value) {
  public EnvelopeId {
    Objects.requireNonNull(value, "value");
  }

  public static EnvelopeId random() {
    return new EnvelopeId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
