package dev.sealpost.api.application;

import dev.sealpost.api.application.TenantAdministration.CreatedApiKey;
import dev.sealpost.api.domain.ApiKeyRepository;
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
import java.util.List;
import java.util.Optional;

/**
 * Registers partners (ADMIN) and makes their PARTNER API keys. A partner's keys are checked before
 * anything is stored: a JWKS given inline, or fetched once from its {@code jwksUri} (which must
 * pass the fetcher's address rules), must hold at least one usable public encryption key.
 */
@ApplicationScoped
public class PartnerRegistry {
  static final int MAX_URI = 2048;
  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 200;

  private final Transactions tx;
  private final PartnerRepository partners;
  private final ApiKeyRepository apiKeys;
  private final PartnerKeyCheck keyCheck;
  private final PartnerJwksFetcher fetcher;
  private final TenantAdministration administration;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public PartnerRegistry(
      Transactions tx,
      PartnerRepository partners,
      ApiKeyRepository apiKeys,
      PartnerKeyCheck keyCheck,
      PartnerJwksFetcher fetcher,
      TenantAdministration administration,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.partners = partners;
    this.apiKeys = apiKeys;
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
    CheckedKeys keys = checkedKeys(jwksJson, jwksUri);
    PartnerId id = PartnerId.random();
    Partner partner =
        Partner.registered(
            id,
            caller.tenantId(),
            name.strip(),
            keys.jwks().json(),
            jwksUri,
            keys.fetchedAt(),
            clock.instant());
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

  /** A checked key set and, for a {@code jwksUri}, when it was fetched. */
  private record CheckedKeys(PartnerJwks jwks, Optional<Instant> fetchedAt) {}

  /**
   * The keys of exactly one of {@code jwksJson} or {@code jwksUri}, checked as at registration: a
   * URI must pass the fetcher's address rules and its document the key checks.
   */
  private CheckedKeys checkedKeys(Optional<String> jwksJson, Optional<String> jwksUri) {
    if (jwksJson.isPresent() == jwksUri.isPresent()) {
      throw new InvalidInputException("jwks", "give exactly one of jwks or jwksUri");
    }
    if (jwksUri.isPresent()) {
      String uri = jwksUri.get();
      if (uri.length() > MAX_URI) {
        throw new InvalidInputException("jwksUri", "at most " + MAX_URI + " characters");
      }
      PartnerJwks keys = keyCheck.check("jwksUri", fetcher.fetch("jwksUri", uri));
      return new CheckedKeys(keys, Optional.of(clock.instant()));
    }
    return new CheckedKeys(keyCheck.check("jwks", jwksJson.get()), Optional.empty());
  }

  /** One page of the tenant's partners and the cursor of the next (empty at the end). */
  public record PartnerPage(List<Partner> items, Optional<String> nextCursor) {}

  /** The caller's tenant's partners, disabled ones too, oldest first. */
  public PartnerPage list(Caller caller, Optional<String> cursor, Optional<Integer> limit) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    int n = limit.orElse(DEFAULT_PAGE);
    if (n < 1 || n > MAX_PAGE) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_PAGE);
    }
    Optional<PartnerRepository.Position> after = cursor.map(PartnerRegistry::decodeCursor);
    return tx.inTransaction(
        () -> {
          List<Partner> rows = partners.page(caller.tenantId(), after, n + 1);
          boolean more = rows.size() > n;
          List<Partner> page = more ? List.copyOf(rows.subList(0, n)) : rows;
          return new PartnerPage(
              page, more ? Optional.of(encodeCursor(page.get(page.size() - 1))) : Optional.empty());
        });
  }

  /** One of the caller's tenant's partners, disabled ones too. */
  public Partner get(Caller caller, PartnerId partnerId) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    return tx.inTransaction(() -> find(caller, partnerId));
  }

  /**
   * Replaces an enabled partner's keys with exactly one of an inline JWKS or a {@code jwksUri},
   * checked as at registration, and records PARTNER_UPDATED. Envelopes sealed from then on use the
   * new current key; envelopes sealed before keep the entries (and kids) they were sealed to.
   *
   * @throws NotFoundException for an unknown, another tenant's or a disabled partner
   */
  public Partner update(
      Caller caller,
      PartnerId partnerId,
      Optional<String> jwksJson,
      Optional<String> jwksUri,
      ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    if (tx.inTransaction(() -> find(caller, partnerId)).disabled()) {
      throw new NotFoundException("partner");
    }
    CheckedKeys keys = checkedKeys(jwksJson, jwksUri);
    Instant now = clock.instant();
    return tx.inTransaction(
        () -> {
          if (!partners.replaceKeys(
              caller.tenantId(), partnerId, keys.jwks().json(), jwksUri, keys.fetchedAt(), now)) {
            throw new NotFoundException("partner");
          }
          audit.append(
              AuditEvent.of(
                  AuditEventType.PARTNER_UPDATED, caller.tenantId(), caller.actor(), client, now));
          return find(caller, partnerId);
        });
  }

  /**
   * Disables the partner: new envelopes to it are refused, its API keys are revoked (401 on every
   * instance from the commit on, each recorded as API_KEY_REVOKED) and with them its inbox is gone.
   * Records PARTNER_DISABLED. Disabling a disabled partner changes nothing.
   */
  public void disable(Caller caller, PartnerId partnerId, ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    tx.run(
        () -> {
          find(caller, partnerId);
          Instant now = clock.instant();
          if (!partners.disable(caller.tenantId(), partnerId, now)) {
            return;
          }
          List<String> revoked =
              apiKeys.revokeAllOfPartner(caller.tenantId(), partnerId, now, caller.actor());
          for (int i = 0; i < revoked.size(); i++) {
            audit.append(
                AuditEvent.of(
                        AuditEventType.API_KEY_REVOKED,
                        caller.tenantId(),
                        caller.actor(),
                        client,
                        now)
                    .withDetail("key: " + revoked.get(i) + "; role: PARTNER; partner disabled"));
          }
          audit.append(
              AuditEvent.of(
                  AuditEventType.PARTNER_DISABLED, caller.tenantId(), caller.actor(), client, now));
        });
  }

  /** Inside a transaction: the caller's tenant's partner, or 404. */
  Partner find(Caller caller, PartnerId partnerId) {
    if (partnerId.value().length() > 36) {
      throw new NotFoundException("partner");
    }
    return partners
        .find(caller.tenantId(), partnerId)
        .orElseThrow(() -> new NotFoundException("partner"));
  }

  static String encodeCursor(Partner last) {
    return PageCursor.encode("p1", last.createdAt(), last.id());
  }

  static PartnerRepository.Position decodeCursor(String cursor) {
    PageCursor.Position p = PageCursor.decode("p1", cursor);
    return new PartnerRepository.Position(p.createdAt(), p.id());
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
