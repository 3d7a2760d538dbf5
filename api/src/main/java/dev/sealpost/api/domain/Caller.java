package dev.sealpost.api.domain;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: the authenticated API key, its role and tenant (and partner, for PARTNER keys).
 */
public record Caller(
    ApiKeyId apiKeyId,
    TenantId tenantId,
    Role role,
    Optional<PartnerId> partnerId,
    boolean bootstrap)
    implements Principal {
  public Caller {
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(partnerId, "partnerId");
  }

  public static Caller of(ApiKey key) {
    return new Caller(key.id(), key.tenantId(), key.role(), key.partnerId(), key.bootstrap());
  }

  /** The audit {@code actor}: never the key itself, only its id. */
  public String actor() {
    return "api-key:" + apiKeyId.value();
  }

  @Override
  public String getName() {
    return actor();
  }
}
