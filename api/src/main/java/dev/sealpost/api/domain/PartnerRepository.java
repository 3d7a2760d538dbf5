package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Optional;

/** Registered partners. Call inside {@link Transactions#inTransaction}. */
public interface PartnerRepository {
  /**
   * @throws ConflictException when the tenant has a partner of that name already
   */
  void insert(Partner partner);

  /** Only the tenant's own: another tenant's partner is not found. */
  Optional<Partner> find(TenantId tenant, PartnerId partnerId);

  /** Stores a freshly fetched copy of the partner's published JWKS. */
  void updateFetchedJwks(TenantId tenant, PartnerId partnerId, String jwks, Instant fetchedAt);
}
