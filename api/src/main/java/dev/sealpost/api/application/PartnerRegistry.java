package dev.sealpost.api.application;

import dev.sealpost.api.application.TenantAdministration.CreatedApiKey;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.Partner;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerJwks;
import dev.sealpost.api.domain.PartnerJwksFetcher;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Registers partners (ADMIN) and makes their PARTNER API keys. A partner's keys are checked before
 * anything is stored: a JWKS given inline, or fetched once from its {@code jwksUri} (which must
 * pass the fetcher's address rules), must hold at least one usable public encryption key.
 */
@ApplicationScoped
public class PartnerRegistry {
  static final int MAX_URI = 2048;

  private final Transactions tx;
  private final PartnerRepository partners;
  private final PartnerKeyCheck keyCheck;
  private final PartnerJwksFetcher fetcher;
  private final TenantAdministration administration;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public PartnerRegistry(
      Transactions tx,
      PartnerRepository partners,
      PartnerKeyCheck keyCheck,
      PartnerJwksFetcher fetcher,
      TenantAdministration administration,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.partners = partners;
    this.keyCheck = keyCheck;
    this.fetcher = fetcher;
    this.administration = administration;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Registers a partner with exactly one of {@code jwksJson} (a JWKS document) or {@code jwksUri}.
   *
   * @return the partner id
   */
  public PartnerId register(
      Caller caller,
      String name,
      Optional<String> jwksJson,
      Optional<String> jwksUri,
      ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new InvalidInputException("name", "must be 1 to 200 characters");
    }
    if (jwksJson.isPresent() == jwksUri.isPresent()) {
      throw new InvalidInputException("jwks", "give exactly one of jwks or jwksUri");
    }
    PartnerJwks keys;
    Optional<Instant> fetchedAt = Optional.empty();
    if (jwksUri.isPresent()) {
      String uri = jwksUri.get();
      if (uri.length() > MAX_URI) {
        throw new InvalidInputException("jwksUri", "at most " + MAX_URI + " characters");
      }
      keys = keyCheck.check("jwksUri", fetcher.fetch("jwksUri", uri));
      fetchedAt = Optional.of(clock.instant());
    } else {
      keys = keyCheck.check("jwks", jwksJson.get());
    }
    PartnerId id = PartnerId.random();
    Partner partner =
        new Partner(
            id,
            caller.tenantId(),
            name.strip(),
            Optional.of(keys.json()),
            jwksUri,
            fetchedAt,
            clock.instant(),
            false);
    tx.run(
        () -> {
          partners.insert(partner);
          audit.append(
              AuditEvent.of(
                  AuditEventType.PARTNER_REGISTERED,
                  caller.tenantId(),
                  caller.actor(),
                  client,
                  clock.instant()));
        });
    return id;
  }

  /** A PARTNER key bound to the partner (shown once). */
  public CreatedApiKey createApiKey(
      Caller caller, PartnerId partnerId, String name, ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    tx.inTransaction(() -> partners.find(caller.tenantId(), partnerId))
        .filter(p -> !p.disabled())
        .orElseThrow(() -> new NotFoundException("partner"));
    String keyName = name == null || name.isBlank() ? "partner " + partnerId : name;
    return administration.createApiKey(
        caller, Role.PARTNER, keyName, Optional.empty(), Optional.of(partnerId), client);
  }
}
