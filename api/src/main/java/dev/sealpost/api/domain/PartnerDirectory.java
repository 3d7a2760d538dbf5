package dev.sealpost.api.domain;

import java.util.Optional;

/**
 * The public keys partners registered. Runs its own short transactions (a partner's JWKS may be
 * fetched over the network, never while a database connection is held): do not call it inside
 * {@link Transactions#inTransaction}.
 */
public interface PartnerDirectory {
  /**
   * The partner's public keys (a JWKS JSON document) if the partner exists in this tenant and is
   * not disabled; empty otherwise.
   *
   * @throws RetryLaterException ({@code PARTNER_KEYS_UNAVAILABLE}) when the partner exists but has
   *     no usable key and its JWKS cannot be fetched right now
   */
  Optional<String> publicJwks(TenantId tenant, PartnerId partnerId);
}
