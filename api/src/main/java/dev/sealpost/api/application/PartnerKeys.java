package dev.sealpost.api.application;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.Partner;
import dev.sealpost.api.domain.PartnerDirectory;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerJwks;
import dev.sealpost.api.domain.PartnerJwksFetcher;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.RetryLaterException;
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
 * first in its JWKS; if the refresh fails the last good copy is used (and the failure logged) until
 * it is two TTLs old: a fetched JWKS is trusted for a bounded time only.
 *
 * <p>A refresh never holds a database connection: the stored copy is read in one short transaction,
 * the JWKS fetched outside any, and a fresh copy written in another short one. Per partner only one
 * refresh runs at a time (meanwhile other seals use the last good copy) and a failed one is not
 * retried before a growing back-off ({@link JwksRefreshBackoff}). A partner with no usable stored
 * copy (none, or past that grace) whose JWKS cannot be had right now is refused fast with {@link
 * RetryLaterException} ({@code PARTNER_KEYS_UNAVAILABLE}); other partners and tenants are not
 * affected.
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
  private final JwksRefreshBackoff backoff = new JwksRefreshBackoff();

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

  /**
   * The partner's current public encryption JWK (JSON); empty if unknown, disabled or (inline keys)
   * unusable. Call outside any transaction.
   *
   * @throws RetryLaterException when the partner's JWKS must be fetched and cannot be right now
   */
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
    Optional<String> stored = usable(p.jwks());
    if (p.jwksUri().isEmpty()) {
      return stored;
    }
    Instant now = clock.instant();
    if (stored.isPresent() && fetchedWithin(p, ttl, now)) {
      return stored;
    }
    // Past the TTL the copy is refreshed; while that is under way or backing off, the last good
    // copy stands in for one more TTL at most, then seals to this partner are refused fast.
    Optional<String> fallback = stored.filter(k -> fetchedWithin(p, ttl.multipliedBy(2), now));
    String key = tenant.value() + "/" + partnerId;
    if (!backoff.tryBegin(key, now)) {
      return fallback.or(() -> unavailable(key));
    }
    try {
      PartnerJwks fresh = keyCheck.check("jwksUri", fetcher.fetch("jwksUri", p.jwksUri().get()));
      tx.run(() -> partners.updateFetchedJwks(tenant, partnerId, fresh.json(), clock.instant()));
      backoff.succeeded(key);
      return Optional.of(fresh.currentKeyJson());
    } catch (InvalidInputException e) {
      Duration wait = backoff.failed(key, clock.instant());
      LOG.warning(
          "partner "
              + partnerId
              + ": JWKS refresh failed, next try in "
              + wait.toSeconds()
              + " s"
              + (fallback.isPresent() ? ", using the last good copy: " : ": ")
              + e.getMessage());
      return fallback.or(() -> unavailable(key));
    } catch (RuntimeException | Error e) {
      backoff.failed(key, clock.instant());
      throw e;
    }
  }

  private Optional<String> usable(Optional<String> jwks) {
    try {
      return jwks.map(j -> keyCheck.check("jwks", j).currentKeyJson());
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  private Optional<String> unavailable(String key) {
    throw new RetryLaterException(
        RetryLaterException.Reason.PARTNER_KEYS_UNAVAILABLE,
        "the partner's public keys cannot be fetched right now; try again later",
        backoff.retryAfterSeconds(key, clock.instant()));
  }

  private static boolean fetchedWithin(Partner p, Duration age, Instant now) {
    return p.jwksFetchedAt().map(t -> t.plus(age).isAfter(now)).orElse(false);
  }
}
