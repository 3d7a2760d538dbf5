package dev.sealpost.api.application;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Resolves a presented API key to its stored record, by hash. */
@ApplicationScoped
public class Authentication {
  private final Transactions tx;
  private final ApiKeyRepository apiKeys;

  @Inject
  public Authentication(Transactions tx, ApiKeyRepository apiKeys) {
    this.tx = tx;
    this.apiKeys = apiKeys;
  }

  public Optional<ApiKey> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.length() < 20 || presentedKey.length() > 200) {
      return Optional.empty();
    }
    String hash = ApiKeySecret.of(presentedKey).hash();
    return tx.inTransaction(() -> apiKeys.findByHash(hash));
  }
}
