package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * A recipient's id within an envelope: a UUID string. A type of its own so that ids of different
 * things cannot be mixed up.
 */
public record RecipientId(String value) {
  public RecipientId {
    Objects.requireNonNull(value, "value");
  }

  public static RecipientId random() {
    return new RecipientId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
