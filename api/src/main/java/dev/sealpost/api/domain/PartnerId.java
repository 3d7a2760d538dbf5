package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * A registered partner's id: a UUID string. A type of its own so that ids of different things
 * cannot be mixed up.
 */
public record PartnerId(String value) {
  public PartnerId {
    Objects.requireNonNull(value, "value");
  }

  public static PartnerId random() {
    return new PartnerId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
