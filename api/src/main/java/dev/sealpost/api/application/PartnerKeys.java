package dev.sealpost.api.application;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.Partner;
import dev.sealpost.api.domain.PartnerDirectory;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerJwks;
import dev.sealpost.api.domain.PartnerJwksFetcher;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A partner's current public encryption key, for sealing. For a partner with a {@code jwksUri} the
 * stored copy is refreshed when older than the TTL, so a partner rotates by publishing a new key
 * first in its JWKS; if the refresh fails the last good copy is used (and the failure logged).
 *
 * <p>Sealing to this key is end to end: the server keeps no copy of the content key for a partner
 * (only tenant custody, when on, adds an entry the server can open).
 */
@ApplicationScoped
public class PartnerKeys implements PartnerDirectory {
  private static final Logger LOG = Logger.getLogger(PartnerKeys.class.getName());

  private final Transactions tx;
  private final PartnerRepository partners;
  private final PartnerKeyCheck keyCheck;
  private final PartnerJwksFetcher fetcher;
  private final Clock clock;
  private final Duration ttl;

  @Inject
  public PartnerKeys(
      Transactions tx,
      PartnerRepository partners,
      PartnerKeyCheck keyCheck,
      PartnerJwksFetcher fetcher,
      Clock clock,
      PartnerJwksTtl ttl) {
    this.tx = tx;
    this.partners = partners;
    this.keyCheck = keyCheck;
    this.fetcher = fetcher;
    this.clock = clock;
    this.ttl = ttl.value();
  }

  /** A JWKS with only the partner's current encryption key; empty if unknown or unusable. */
  @Override
  public Optional<String> publicJwks(TenantId tenant, PartnerId partnerId) {
    return currentEncryptionKey(tenant, partnerId).map(k -> "{\"keys\":[" + k + "]}");
  }

  /** The partner's current public encryption JWK (JSON); empty if unknown, disabled or unusable. */
  public Optional<String> currentEncryptionKey(TenantId tenant, PartnerId partnerId) {
    if (partnerId == null) {
      return Optional.empty();
    }
    Optional<Partner> found =
        tx.inTransaction(() -> partners.find(tenant, partnerId)).filter(p -> !p.disabled());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Partner p = found.get();
    Optional<String> jwks = p.jwks();
    if (p.jwksUri().isPresent() && stale(p)) {
      try {
        PartnerJwks fresh = keyCheck.check("jwksUri", fetcher.fetch("jwksUri", p.jwksUri().get()));
        Instant now = clock.instant();
        tx.run(() -> partners.updateFetchedJwks(tenant, partnerId, fresh.json(), now));
        return Optional.of(fresh.currentKeyJson());
      } catch (InvalidInputException e) {
        LOG.warning(
            "partner " + partnerId + ": JWKS refresh failed, using the last good copy: " + e);
      }
    }
    try {
      return jwks.map(j -> keyCheck.check("jwks", j).currentKeyJson());
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  private boolean stale(Partner p) {
    return p.jwksFetchedAt().map(t -> !t.plus(ttl).isAfter(clock.instant())).orElse(true);
  }
}
