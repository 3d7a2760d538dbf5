package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API key: only its SHA-256 hash is kept. A key belongs to a tenant, or (role PARTNER) to
 * a partner registered by that tenant. {@code rateLimitPerMinute} overrides the server default. A
 * key is live until it is revoked or its optional {@code expiresAt} passes.
 */
public record ApiKey(
    ApiKeyId id,
    TenantId tenantId,
    Optional<PartnerId> partnerId,
    Role role,
    String name,
    boolean bootstrap,
    Optional<Integer> rateLimitPerMinute,
    Instant createdAt,
    Optional<Instant> expiresAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt) {
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(partnerId, "partnerId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rateLimitPerMinute, "rateLimitPerMinute");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /** A new key: no expiry, never used, not revoked. */
  public ApiKey(
      ApiKeyId id,
      TenantId tenantId,
      Optional<PartnerId> partnerId,
      Role role,
      String name,
      boolean bootstrap,
      Optional<Integer> rateLimitPerMinute,
      Instant createdAt) {
    this(
        id,
        tenantId,
        partnerId,
        role,
        name,
        bootstrap,
        rateLimitPerMinute,
        createdAt,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** Whether the key authenticates at {@code now}: not revoked and not expired. */
  public boolean isLive(Instant now) {
    return revokedAt.isEmpty() && expiresAt.map(now::isBefore).orElse(true);
  }

  public ApiKey withExpiry(Optional<Instant> expiry) {
    return new ApiKey(
        id,
        tenantId,
        partnerId,
        role,
        name,
        bootstrap,
        rateLimitPerMinute,
        createdAt,
        expiry,
        lastUsedAt,
        revokedAt);
  }
}
