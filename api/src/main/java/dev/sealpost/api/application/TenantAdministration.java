package dev.sealpost.api.application;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantDisplayName;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Tenants, their settings and their API keys. */
public final class TenantAdministration {
  private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final Transactions tx;
  private final TenantRepository tenants;
  private final ApiKeyRepository apiKeys;
  private final KeyService keys;
  private final AuditLog audit;
  private final Clock clock;

  public TenantAdministration(
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

  /** A new tenant and its ADMIN key (shown once). */
  public record CreatedTenant(TenantId id, ApiKeySecret adminKey) {}

  /** A new key: its id and its clear text (shown once). */
  public record CreatedApiKey(String id, ApiKeySecret key) {}

  /** Settings to change; empty fields stay as they are. */
  public record SettingsChange(
      Optional<String> displayName,
      Optional<Set<VerificationMethod>> allowedVerificationMethods,
      Optional<Duration> defaultExpiry,
      Optional<Duration> maxExpiry,
      Optional<Boolean> custody) {}

  /** Only the bootstrap ADMIN key may create tenants. */
  public CreatedTenant createTenant(
      Caller caller, String name, String displayName, ClientInfo client) {
    requireRole(caller, Role.ADMIN);
    if (!caller.bootstrap()) {
      throw new ForbiddenException("only the bootstrap ADMIN key may create tenants");
    }
    if (name == null || !TENANT_NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "name", "must be 1 to 63 lower-case letters, digits or hyphens, starting with one");
    }
    boolean named = displayName != null && !displayName.isBlank();
    // The display name (the tenant name when none is given) travels in clear in every mail.
    TenantDisplayName.check(named ? "displayName" : "name", named ? displayName : name);
    TenantSettings settings = TenantSettings.defaults(named ? displayName : name);
    Tenant tenant = new Tenant(TenantId.random(), name, settings, false, clock.instant());
    ApiKeySecret secret = ApiKeySecret.generate();
    String keyId =
        tx.inTransaction(
            () -> {
              if (tenants.findByName(name).isPresent()) {
                throw new ConflictException("a tenant with this name exists");
              }
              tenants.insert(tenant);
              keys.ensureSigningKey(tenant.id());
              return insertKey(
                  tenant.id(),
                  Role.ADMIN,
                  "admin",
                  Optional.empty(),
                  false,
                  secret,
                  caller,
                  client);
            });
    return new CreatedTenant(tenant.id(), secret);
  }

  public Tenant tenant(Caller caller) {
    requireRole(caller, Role.ADMIN);
    return tx.inTransaction(
        () -> tenants.find(caller.tenantId()).orElseThrow(() -> new NotFoundException("tenant")));
  }

  public Tenant updateSettings(Caller caller, SettingsChange change) {
    requireRole(caller, Role.ADMIN);
    change.displayName().ifPresent(n -> TenantDisplayName.check("displayName", n));
    return tx.inTransaction(
        () -> {
          Tenant current =
              tenants.find(caller.tenantId()).orElseThrow(() -> new NotFoundException("tenant"));
          TenantSettings s = current.settings();
          TenantSettings updated =
              new TenantSettings(
                  change.displayName().orElse(s.displayName()),
                  change.allowedVerificationMethods().orElse(s.allowedVerificationMethods()),
                  change.defaultExpiry().orElse(s.defaultExpiry()),
                  change.maxExpiry().orElse(s.maxExpiry()),
                  change.custody().orElse(s.custody()));
          tenants.updateSettings(current.id(), updated);
          return current.withSettings(updated);
        });
  }

  /**
   * A new key for the caller's tenant. PARTNER keys belong to a partner: they are made through the
   * partner's own endpoint, which passes {@code partnerId}.
   */
  public CreatedApiKey createApiKey(
      Caller caller,
      Role role,
      String name,
      Optional<Integer> rateLimitPerMinute,
      Optional<String> partnerId,
      ClientInfo client) {
    requireRole(caller, Role.ADMIN);
    if (role == null) {
      throw new InvalidInputException("role", "must be one of ADMIN, SENDER, AUDITOR, PARTNER");
    }
    if (role == Role.PARTNER && partnerId.isEmpty()) {
      throw new InvalidInputException(
          "role", "PARTNER keys are created with POST /v1/partners/{id}/api-keys");
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new InvalidInputException("name", "must be 1 to 200 characters");
    }
    if (rateLimitPerMinute.isPresent()
        && (rateLimitPerMinute.get() < 1 || rateLimitPerMinute.get() > 1_000_000)) {
      throw new InvalidInputException("rateLimitPerMinute", "must be between 1 and 1000000");
    }
    ApiKeySecret secret = ApiKeySecret.generate();
    String id =
        tx.inTransaction(
            () ->
                insertKey(
                    caller.tenantId(),
                    role,
                    name,
                    rateLimitPerMinute,
                    false,
                    secret,
                    caller,
                    client,
                    partnerId));
    return new CreatedApiKey(id, secret);
  }

  private String insertKey(
      TenantId tenant,
      Role role,
      String name,
      Optional<Integer> rateLimit,
      boolean bootstrap,
      ApiKeySecret secret,
      Caller caller,
      ClientInfo client) {
    return insertKey(
        tenant, role, name, rateLimit, bootstrap, secret, caller, client, Optional.empty());
  }

  private String insertKey(
      TenantId tenant,
      Role role,
      String name,
      Optional<Integer> rateLimit,
      boolean bootstrap,
      ApiKeySecret secret,
      Caller caller,
      ClientInfo client,
      Optional<String> partnerId) {
    String id = UUID.randomUUID().toString();
    apiKeys.insert(
        new ApiKey(id, tenant, partnerId, role, name, bootstrap, rateLimit, clock.instant()),
        secret.hash());
    audit.append(
        AuditEvent.of(
            AuditEventType.API_KEY_CREATED, tenant, caller.actor(), client, clock.instant()));
    return id;
  }

  static void requireRole(Caller caller, Role role) {
    if (caller.role() != role) {
      throw new ForbiddenException("this needs the " + role + " role");
    }
  }
}
