package dev.sealpost.api.domain;

import java.util.Optional;

/** Tenants. Call inside {@link Transactions#inTransaction}. */
public interface TenantRepository {
  void insert(Tenant tenant);

  Optional<Tenant> find(TenantId id);

  Optional<Tenant> findByName(String name);

  Optional<Tenant> findBootstrap();

  void updateSettings(TenantId id, TenantSettings settings);
}
