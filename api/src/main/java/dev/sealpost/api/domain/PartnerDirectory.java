package dev.sealpost.api.domain;

import java.util.Optional;

/** The public keys partners registered. Call inside {@link Transactions#inTransaction}. */
public interface PartnerDirectory {
  /**
   * The partner's public keys (a JWKS JSON document) if the partner exists in this tenant and is
   * not disabled; empty otherwise.
   */
  Optional<String> publicJwks(TenantId tenant, PartnerId partnerId);
}
