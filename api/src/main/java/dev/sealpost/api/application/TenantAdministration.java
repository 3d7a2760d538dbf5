package dev.sealpost.api.application;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.ExpiryCeiling;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.LastAdminKeyException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantDisplayName;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.VerificationMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Tenants, their settings and their API keys. */
@ApplicationScoped
public class TenantAdministration {
  private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The longest {@code expiresAt} a new API key may have: two years. */
  public static final Duration MAX_KEY_LIFETIME = Duration.ofDays(730);

  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 200;

  private final Transactions tx;
  private final TenantRepository tenants;
  private final ApiKeyRepository apiKeys;
  private final KeyService keys;
  private final AuditLog audit;
  private final Clock clock;
  private final ExpiryCeiling ceiling;

  @Inject
  public TenantAdministration(
      Transactions tx,
      TenantRepository tenants,
      ApiKeyRepository apiKeys,
      KeyService keys,
      AuditLog audit,
      Clock clock,
      ExpiryCeiling ceiling) {
    this.tx = tx;
    this.tenants = tenants;
    this.apiKeys = apiKeys;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
    this.ceiling = ceiling;
  }

  /** A new tenant and its ADMIN key (shown once). */
  public record CreatedTenant(TenantId id, ApiKeySecret adminKey) {}

  /** A new key: its id and its clear text (shown once). */
  public record CreatedApiKey(ApiKeyId id, ApiKeySecret key) {}

  /** Settings to change; empty fields stay as they are. */
  public record SettingsChange(
      Optional<String> displayName,
      Optional<Set<VerificationMethod>> allowedVerificationMethods,
      Optional<Duration> defaultExpiry,
      Optional<Duration> maxExpiry,
      Optional<Boolean> custody,
      Optional<Boolean> allowReplies) {
    /** A change that leaves {@code allowReplies} as it is. */
    public SettingsChange(
        Optional<String> displayName,
        Optional<Set<VerificationMethod>> allowedVerificationMethods,
        Optional<Duration> defaultExpiry,
        Optional<Duration> maxExpiry,
        Optional<Boolean> custody) {
      this(
          displayName,
          allowedVerificationMethods,
          defaultExpiry,
          maxExpiry,
          custody,
          Optional.empty());
    }
  }

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
    TenantSettings settings = ceiling.clamp(TenantSettings.defaults(named ? displayName : name));
    Tenant tenant = new Tenant(TenantId.random(), name, settings, false, clock.instant());
    ApiKeySecret secret = ApiKeySecret.generate();
    ApiKeyId keyId =
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

  /**
   * Applies the change (an expiry given must lie within the server's ceiling) and, when anything
   * changed, records {@code TENANT_UPDATED} with what did ({@link TenantUpdateDetail}) in the same
   * transaction.
   *
   * @throws dev.sealpost.api.domain.DisplayNameTakenException when the new display name looks like
   *     another tenant's
   */
  public Tenant updateSettings(Caller caller, SettingsChange change, ClientInfo client) {
    requireRole(caller, Role.ADMIN);
    change.displayName().ifPresent(n -> TenantDisplayName.check("displayName", n));
    change.defaultExpiry().ifPresent(d -> ceiling.check("defaultExpiry", d));
    change.maxExpiry().ifPresent(d -> ceiling.check("maxExpiry", d));
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
                  change.custody().orElse(s.custody()),
                  change.allowReplies().orElse(s.allowReplies()));
          tenants.updateSettings(current.id(), updated);
          String detail = TenantUpdateDetail.describe(s, updated);
          if (!detail.isEmpty()) {
            audit.append(
                AuditEvent.of(
                        AuditEventType.TENANT_UPDATED,
                        current.id(),
                        caller.actor(),
                        client,
                        clock.instant())
                    .withDetail(detail));
          }
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
      Optional<PartnerId> partnerId,
      ClientInfo client) {
    return createApiKey(
        caller, role, name, rateLimitPerMinute, Optional.empty(), partnerId, client);
  }

  /**
   * As above, with an optional expiry: after {@code expiresAt} the key answers 401. It must lie in
   * the future and at most {@link #MAX_KEY_LIFETIME} ahead.
   */
  public CreatedApiKey createApiKey(
      Caller caller,
      Role role,
      String name,
      Optional<Integer> rateLimitPerMinute,
      Optional<Instant> expiresAt,
      Optional<PartnerId> partnerId,
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
    Instant now = clock.instant();
    if (expiresAt.isPresent()
        && (!expiresAt.get().isAfter(now) || expiresAt.get().isAfter(now.plus(MAX_KEY_LIFETIME)))) {
      throw new InvalidInputException(
          "expiresAt",
          "must be in the future and at most " + MAX_KEY_LIFETIME.toDays() + " days ahead");
    }
    ApiKeySecret secret = ApiKeySecret.generate();
    ApiKeyId id =
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
                    partnerId,
                    expiresAt));
    return new CreatedApiKey(id, secret);
  }

  /** One page of the tenant's API keys and the cursor of the next (empty at the end). */
  public record KeyPage(List<ApiKey> items, Optional<String> nextCursor) {}

  /**
   * The caller's tenant's API keys, revoked and expired ones too, oldest first (never a secret or
   * its hash: neither is read). {@code cursor} is the {@code nextCursor} of the previous page.
   */
  public KeyPage listApiKeys(Caller caller, Optional<String> cursor, Optional<Integer> limit) {
    requireRole(caller, Role.ADMIN);
    int n = limit.orElse(DEFAULT_PAGE);
    if (n < 1 || n > MAX_PAGE) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_PAGE);
    }
    Optional<ApiKeyRepository.Position> after = cursor.map(TenantAdministration::decodeCursor);
    return tx.inTransaction(
        () -> {
          List<ApiKey> rows = apiKeys.page(caller.tenantId(), after, n + 1);
          boolean more = rows.size() > n;
          List<ApiKey> page = more ? List.copyOf(rows.subList(0, n)) : rows;
          return new KeyPage(
              page, more ? Optional.of(encodeCursor(page.get(page.size() - 1))) : Optional.empty());
        });
  }

  /**
   * Revokes one of the caller's tenant's keys (any role, the caller's own too) and records
   * API_KEY_REVOKED in the same transaction. Revoking a revoked key changes nothing.
   *
   * @throws NotFoundException for an unknown id or another tenant's key
   * @throws LastAdminKeyException when it is the tenant's last live ADMIN key
   */
  public void revokeApiKey(Caller caller, ApiKeyId keyId, ClientInfo client) {
    requireRole(caller, Role.ADMIN);
    if (keyId == null || keyId.value().length() > 36) {
      throw new NotFoundException("API key");
    }
    tx.run(
        () -> {
          ApiKey key =
              apiKeys
                  .find(caller.tenantId(), keyId)
                  .orElseThrow(() -> new NotFoundException("API key"));
          Instant now = clock.instant();
          if (key.revokedAt().isPresent()) {
            return;
          }
          if (key.role() == Role.ADMIN) {
            List<ApiKeyId> live = apiKeys.lockLiveAdmins(caller.tenantId(), now);
            if (live.contains(key.id()) && live.size() == 1) {
              throw new LastAdminKeyException();
            }
          }
          if (apiKeys.revoke(key.id(), now, caller.actor())) {
            audit.append(
                AuditEvent.of(
                        AuditEventType.API_KEY_REVOKED, key.tenantId(), caller.actor(), client, now)
                    .withDetail("key: " + key.id() + "; role: " + key.role()));
          }
        });
  }

  static String encodeCursor(ApiKey last) {
    return PageCursor.encode("k1", last.createdAt(), last.id());
  }

  static ApiKeyRepository.Position decodeCursor(String cursor) {
    PageCursor.Position p = PageCursor.decode("k1", cursor);
    return new ApiKeyRepository.Position(p.createdAt(), new ApiKeyId(p.id()));
  }

  private ApiKeyId insertKey(
      TenantId tenant,
      Role role,
      String name,
      Optional<Integer> rateLimit,
      boolean bootstrap,
      ApiKeySecret secret,
      Caller caller,
      ClientInfo client) {
    return insertKey(
        tenant,
        role,
        name,
        rateLimit,
        bootstrap,
        secret,
        caller,
        client,
        Optional.empty(),
        Optional.empty());
  }

  private ApiKeyId insertKey(
      TenantId tenant,
      Role role,
      String name,
      Optional<Integer> rateLimit,
      boolean bootstrap,
      ApiKeySecret secret,
      Caller caller,
      ClientInfo client,
      Optional<PartnerId> partnerId,
      Optional<Instant> expiresAt) {
    ApiKeyId id = ApiKeyId.random();
    apiKeys.insert(
        new ApiKey(id, tenant, partnerId, role, name, bootstrap, rateLimit, clock.instant())
            .withExpiry(expiresAt),
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
