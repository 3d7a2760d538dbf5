package dev.sealpost.api.domain;

import java.util.Objects;
import java.util.UUID;

/** A tenant's id: a UUID string. */
public record TenantId(String value) {
  public TenantId {
    Objects.requireNonNull(value, "value");
  }

  public static TenantId random() {
    return new TenantId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
