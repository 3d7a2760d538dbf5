package dev.sealpost.api.application;

import dev.sealpost.api.domain.ApiKey;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Resolves a presented API key to its stored record, by hash. Reads the database on every request
 * (no cache), so a revocation is refused by every instance from its commit on; a revoked or expired
 * key resolves to nothing.
 *
 * <p>{@code last_used_at} is kept to {@link #USE_RESOLUTION}: it is written only when the stored
 * value is older than that, at most once per key and instance in that time, in its own transaction;
 * a failed write is logged and never fails the request.
 */
@ApplicationScoped
public class Authentication {
  static final Duration USE_RESOLUTION = Duration.ofMinutes(1);
  private static final Logger LOG = Logger.getLogger(Authentication.class.getName());

  private final Transactions tx;
  private final ApiKeyRepository apiKeys;
  private final Clock clock;
  private final Map<ApiKeyId, Instant> useWrites = new ConcurrentHashMap<>();

  public Authentication(Transactions tx, ApiKeyRepository apiKeys) {
    this(tx, apiKeys, Clock.systemUTC());
  }

  @Inject
  public Authentication(Transactions tx, ApiKeyRepository apiKeys, Clock clock) {
    this.tx = tx;
    this.apiKeys = apiKeys;
    this.clock = clock;
  }

  public Optional<ApiKey> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.length() < 20 || presentedKey.length() > 200) {
      return Optional.empty();
    }
    String hash = ApiKeySecret.of(presentedKey).hash();
    Optional<ApiKey> key = tx.inTransaction(() -> apiKeys.findByHash(hash));
    Instant now = clock.instant();
    if (key.isEmpty() || !key.get().isLive(now)) {
      return Optional.empty();
    }
    recordUse(key.get(), now);
    return key;
  }

  private void recordUse(ApiKey key, Instant now) {
    Instant notBefore = now.minus(USE_RESOLUTION);
    if (key.lastUsedAt().map(t -> t.isAfter(notBefore)).orElse(false)) {
      return;
    }
    // One writer per key and instance per minute: concurrent requests do not queue on the row.
    Instant previous = useWrites.get(key.id());
    boolean mine =
        previous == null
            ? useWrites.putIfAbsent(key.id(), now) == null
            : previous.isBefore(notBefore) && useWrites.replace(key.id(), previous, now);
    if (!mine) {
      return;
    }
    try {
      tx.run(() -> apiKeys.recordUse(key.id(), now, notBefore));
    } catch (RuntimeException e) {
      LOG.warning(
          "last_used_at of API key " + key.id() + " not written: " + e.getClass().getSimpleName());
    }
  }
}
