package dev.sealpost.api.application;

import dev.sealpost.api.application.TenantAdministration.KeyPage;
import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * One partner's PARTNER API keys (ADMIN), listed and revoked as {@code GET|DELETE /v1/api-keys}
 * list and revoke the tenant's: the same page shape and cursor, and revocation through {@link
 * TenantAdministration#revokeApiKey} (API_KEY_REVOKED). A disabled partner's keys are listed too.
 */
@ApplicationScoped
public class PartnerApiKeys {
  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 200;

  private final Transactions tx;
  private final PartnerRegistry registry;
  private final ApiKeyRepository apiKeys;
  private final TenantAdministration administration;

  @Inject
  public PartnerApiKeys(
      Transactions tx,
      PartnerRegistry registry,
      ApiKeyRepository apiKeys,
      TenantAdministration administration) {
    this.tx = tx;
    this.registry = registry;
    this.apiKeys = apiKeys;
    this.administration = administration;
  }

  /**
   * The partner's keys, revoked and expired ones too, oldest first (never a secret or its hash).
   *
   * @throws NotFoundException for an unknown or another tenant's partner
   */
  public KeyPage list(
      Caller caller, PartnerId partnerId, Optional<String> cursor, Optional<Integer> limit) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    int n = limit.orElse(DEFAULT_PAGE);
    if (n < 1 || n > MAX_PAGE) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_PAGE);
    }
    Optional<ApiKeyRepository.Position> after = cursor.map(TenantAdministration::decodeCursor);
    return tx.inTransaction(
        () -> {
          registry.find(caller, partnerId);
          List<ApiKey> rows = apiKeys.pageOfPartner(caller.tenantId(), partnerId, after, n + 1);
          boolean more = rows.size() > n;
          List<ApiKey> page = more ? List.copyOf(rows.subList(0, n)) : rows;
          return new KeyPage(
              page,
              more
                  ? Optional.of(TenantAdministration.encodeCursor(page.get(page.size() - 1)))
                  : Optional.empty());
        });
  }

  /**
   * Revokes one of the partner's keys (204 again for a revoked one).
   *
   * @throws NotFoundException for an unknown partner, or a key that is not this partner's
   */
  public void revoke(Caller caller, PartnerId partnerId, String keyId, ClientInfo client) {
    TenantAdministration.requireRole(caller, Role.ADMIN);
    if (keyId == null || keyId.length() > 36) {
      throw new NotFoundException("API key");
    }
    tx.inTransaction(
        () -> {
          registry.find(caller, partnerId);
          return apiKeys
              .find(caller.tenantId(), new ApiKeyId(keyId))
              .filter(k -> k.partnerId().equals(Optional.of(partnerId)))
              .orElseThrow(() -> new NotFoundException("API key"));
        });
    // A key's partner never changes, so the check above still holds here.
    administration.revokeApiKey(caller, new ApiKeyId(keyId), client);
  }
}
