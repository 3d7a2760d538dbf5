package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A business partner a tenant sends to, with its public encryption keys: given inline ({@code
 * jwks}) or published at {@code jwksUri} (then {@code jwks} is the last good copy fetched at {@code
 * jwksFetchedAt}).
 */
public record Partner(
    PartnerId id,
    TenantId tenantId,
    String name,
    Optional<String> jwks,
    Optional<String> jwksUri,
    Optional<Instant> jwksFetchedAt,
    Instant createdAt,
    boolean disabled) {
  public Partner {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jwks, "jwks");
    Objects.requireNonNull(jwksUri, "jwksUri");
    Objects.requireNonNull(jwksFetchedAt, "jwksFetchedAt");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "Partner[" + id + "]";
  }
}
