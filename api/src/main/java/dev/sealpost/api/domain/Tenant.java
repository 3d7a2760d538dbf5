package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A sending organisation. {@code name} is a unique, stable slug; {@code bootstrap} marks the first
 * one.
 */
public record Tenant(
    TenantId id, String name, TenantSettings settings, boolean bootstrap, Instant createdAt) {
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public Tenant withSettings(TenantSettings newSettings) {
    return new Tenant(id, name, newSettings, bootstrap, createdAt);
  }
}
