package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
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

  /** The tenant's partners, disabled ones too, oldest first, after {@code after}. */
  List<Partner> page(TenantId tenant, Optional<Position> after, int limit);

  /**
   * Replaces an enabled partner's keys: {@code jwks} (the checked JWKS), {@code jwksUri} (empty for
   * inline keys) and {@code jwksFetchedAt}; sets {@code updated_at}. False if the partner is not
   * there or disabled.
   */
  boolean replaceKeys(
      TenantId tenant,
      PartnerId partner,
      String jwks,
      Optional<String> jwksUri,
      Optional<Instant> jwksFetchedAt,
      Instant at);

  /** Sets {@code disabled_at}; false if the partner was already disabled. */
  boolean disable(TenantId tenant, PartnerId partner, Instant at);

  /** A page position: the last partner of the previous page. */
  record Position(Instant createdAt, String id) {}
}
