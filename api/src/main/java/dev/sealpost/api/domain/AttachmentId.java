package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * An attachment's id within an envelope: a UUID string. A type of its own so that ids of different things
 * cannot be mixed up.
 */
public record AttachmentId(String value) {
  public AttachmentId {
    Objects.requireNonNull(value, "value");
  }

  public static AttachmentId random() {
    return new AttachmentId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
