package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys, stored and looked up by hash only. Call inside {@link Transactions#inTransaction}. */
public interface ApiKeyRepository {
  void insert(ApiKey key, String keyHash);

  /** The not revoked key with this hash (it may have expired: see {@link ApiKey#isLive}). */
  Optional<ApiKey> findByHash(String keyHash);

  /** Whether any key, revoked or not, has this hash. */
  boolean hashKnown(String keyHash);

  /** One of the tenant's keys, revoked or not; empty for another tenant's key. */
  Optional<ApiKey> find(TenantId tenant, ApiKeyId id);

  /** The tenant's keys, revoked ones too, oldest first, after {@code after}. */
  List<ApiKey> page(TenantId tenant, Optional<Position> after, int limit);

  /**
   * Locks the tenant's live (not revoked, not expired at {@code now}) ADMIN keys until the
   * transaction ends and answers their ids, so two revocations cannot both take the last one.
   */
  List<ApiKeyId> lockLiveAdmins(TenantId tenant, Instant now);

  /** The live bootstrap keys (normally one). */
  List<ApiKey> liveBootstrapKeys();

  /**
   * Sets {@code revoked_at}; false if the key was already revoked.
   *
   * @param by the audit actor that revoked it
   */
  boolean revoke(ApiKeyId id, Instant at, String by);

  /**
   * Sets {@code last_used_at} to {@code now} unless it is already at or after {@code notBefore}.
   */
  void recordUse(ApiKeyId id, Instant now, Instant notBefore);

  /** The partner's keys, revoked ones too, oldest first, after {@code after}. */
  List<ApiKey> pageOfPartner(
      TenantId tenant, PartnerId partner, Optional<Position> after, int limit);

  /**
   * Revokes every not yet revoked key of the partner.
   *
   * @param by the audit actor that revoked them
   * @return the ids of the keys this revoked
   */
  List<String> revokeAllOfPartner(TenantId tenant, PartnerId partner, Instant at, String by);

  /** A page position: the last key of the previous page. */
  record Position(Instant createdAt, ApiKeyId id) {}
}
