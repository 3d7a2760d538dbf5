package dev.sealpost.api.domain;

import java.util.Optional;

/** API keys, stored and looked up by hash only. Call inside {@link Transactions#inTransaction}. */
public interface ApiKeyRepository {
  void insert(ApiKey key, String keyHash);

  /** The live (not revoked) key with this hash. */
  Optional<ApiKey> findByHash(String keyHash);
}
