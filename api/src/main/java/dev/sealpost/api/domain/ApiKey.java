package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API key: only its SHA-256 hash is kept. A key belongs to a tenant, or (role PARTNER) to
 * a partner registered by that tenant. {@code rateLimitPerMinute} overrides the server default.
 */
public record ApiKey(
    String id,
    TenantId tenantId,
    Optional<String> partnerId,
    Role role,
    String name,
    boolean bootstrap,
    Optional<Integer> rateLimitPerMinute,
    Instant createdAt) {
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(partnerId, "partnerId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rateLimitPerMinute, "rateLimitPerMinute");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
