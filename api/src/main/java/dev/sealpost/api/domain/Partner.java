package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A business partner a tenant sends to, with its public encryption keys: given inline ({@code
 * jwks}) or published at {@code jwksUri} (then {@code jwks} is the last good copy fetched at {@code
 * jwksFetchedAt}). {@code updatedAt} is when its keys were last replaced by an ADMIN; a partner
 * with {@code disabledAt} is gone for sealing, its inbox and its keys.
 */
public record Partner(
    PartnerId id,
    TenantId tenantId,
    String name,
    Optional<String> jwks,
    Optional<String> jwksUri,
    Optional<Instant> jwksFetchedAt,
    Instant createdAt,
    Optional<Instant> updatedAt,
    Optional<Instant> disabledAt) {
  public Partner {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jwks, "jwks");
    Objects.requireNonNull(jwksUri, "jwksUri");
    Objects.requireNonNull(jwksFetchedAt, "jwksFetchedAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(disabledAt, "disabledAt");
  }

  /** A new, enabled partner that was never updated. */
  public static Partner registered(
      PartnerId id,
      TenantId tenantId,
      String name,
      String jwks,
      Optional<String> jwksUri,
      Optional<Instant> jwksFetchedAt,
      Instant createdAt) {
    return new Partner(
        id,
        tenantId,
        name,
        Optional.of(jwks),
        jwksUri,
        jwksFetchedAt,
        createdAt,
        Optional.empty(),
        Optional.empty());
  }

  public boolean disabled() {
    return disabledAt.isPresent();
  }

  @Override
  public String toString() {
    return "Partner[" + id + "]";
  }
}
