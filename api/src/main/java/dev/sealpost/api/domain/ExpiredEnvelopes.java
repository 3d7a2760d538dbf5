package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;

/**
 * Finds and claims envelopes past their expiry. Call inside {@link Transactions#inTransaction}.
 * {@link #claim} is an atomic conditional update (ACTIVE to EXPIRED), so when every instance sweeps
 * at once each envelope is claimed by exactly one of them.
 */
public interface ExpiredEnvelopes {
  /** Active envelopes whose {@code expires_at <= now}, oldest expiry first. */
  List<Ref> due(Instant now, int limit);

  /** Marks it EXPIRED (expired_at = now) if still ACTIVE; true for the one caller that did. */
  boolean claim(Ref envelope, Instant now);

  record Ref(TenantId tenantId, EnvelopeId envelopeId) {}
}
