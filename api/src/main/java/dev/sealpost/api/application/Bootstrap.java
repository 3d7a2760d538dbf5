package dev.sealpost.api.application;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * First start: the bootstrap tenant and its bootstrap ADMIN key (the only key that may create
 * tenants). The key is generated, or preset by the operator ({@code SEALPOST_BOOTSTRAP_ADMIN_KEY});
 * a new preset key is added to an existing installation and revokes the previous bootstrap key.
 */
@ApplicationScoped
public class Bootstrap {
  private final Transactions tx;
  private final TenantRepository tenants;
  private final ApiKeyRepository apiKeys;
  private final KeyService keys;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public Bootstrap(
      Transactions tx,
      TenantRepository tenants,
      ApiKeyRepository apiKeys,
      KeyService keys,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.tenants = tenants;
    this.apiKeys = apiKeys;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Ensures the bootstrap tenant and key exist.
   *
   * @return the bootstrap key when this call created the bootstrap tenant (generated or preset),
   *     else empty
   */
  public Optional<ApiKeySecret> ensure(Optional<ApiKeySecret> preset) {
    try {
      return ensureOnce(preset);
    } catch (RuntimeException e) {
      // Instances starting together on an empty database both find no bootstrap tenant (or no
      // preset key) and both insert; the unique name (key hash) lets one win and fails the other's
      // transaction. Looking again finds the winner's rows. Any other failure fails again.
      return ensureOnce(preset);
    }
  }

  private Optional<ApiKeySecret> ensureOnce(Optional<ApiKeySecret> preset) {
    return tx.inTransaction(
        () -> {
          Optional<Tenant> existing = tenants.findBootstrap();
          TenantId tenantId;
          if (existing.isPresent()) {
            tenantId = existing.get().id();
            keys.ensureSigningKey(tenantId);
            if (preset.isPresent() && !apiKeys.hashKnown(preset.get().hash())) {
              replaceBootstrapKey(tenantId, preset.get());
            }
            return Optional.empty();
          }
          Tenant tenant =
              new Tenant(
                  TenantId.random(),
                  "bootstrap",
                  TenantSettings.defaults("Sealpost"),
                  true,
                  clock.instant());
          tenants.insert(tenant);
          keys.ensureSigningKey(tenant.id());
          ApiKeySecret secret = preset.orElseGet(ApiKeySecret::generate);
          insertBootstrapKey(tenant.id(), secret);
          return Optional.of(secret);
        });
  }

  /**
   * A new preset key replaces the previous bootstrap key(s): they are revoked in the same
   * transaction, so the old value stops working on every instance when this start commits. A preset
   * that was revoked before is not brought back.
   */
  private void replaceBootstrapKey(TenantId tenant, ApiKeySecret secret) {
    List<ApiKey> previous = apiKeys.liveBootstrapKeys();
    insertBootstrapKey(tenant, secret);
    for (ApiKey old : previous) {
      if (apiKeys.revoke(old.id(), clock.instant(), "system")) {
        audit.append(
            AuditEvent.of(
                    AuditEventType.API_KEY_REVOKED,
                    old.tenantId(),
                    "system",
                    ClientInfo.SYSTEM,
                    clock.instant())
                .withDetail("key: " + old.id() + "; role: ADMIN; replaced bootstrap key"));
      }
    }
  }

  private void insertBootstrapKey(TenantId tenant, ApiKeySecret secret) {
    ApiKeyId id = ApiKeyId.random();
    apiKeys.insert(
        new ApiKey(
            id,
            tenant,
            Optional.empty(),
            Role.ADMIN,
            "bootstrap admin",
            true,
            Optional.empty(),
            clock.instant()),
        secret.hash());
    audit.append(
        AuditEvent.of(
            AuditEventType.API_KEY_CREATED, tenant, "system", ClientInfo.SYSTEM, clock.instant()));
  }
}
