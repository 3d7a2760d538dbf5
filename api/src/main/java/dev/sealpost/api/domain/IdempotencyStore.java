package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code Idempotency-Key} records, scoped per API key, atomic in the database: the first request
 * inserts its row (a unique key), so a concurrent duplicate on any instance finds it.
 */
public interface IdempotencyStore {
  /** The stored state of a key. {@code response} is null while in progress or after a revoke. */
  record Entry(
      String requestHash, boolean done, Integer status, String response, EnvelopeId envelopeId) {}

  /** Inserts an in-progress row in its own transaction; false when the key exists already. */
  boolean claim(ApiKeyId apiKeyId, String key, String requestHash, Instant now);

  Optional<Entry> find(ApiKeyId apiKeyId, String key);

  /** Stores the answer; joins the caller's transaction. */
  void complete(
      ApiKeyId apiKeyId,
      String key,
      String requestHash,
      int status,
      String response,
      EnvelopeId envelopeId,
      Instant now);

  /** Forgets a claim whose request failed, so a retry runs again (own transaction). */
  void release(ApiKeyId apiKeyId, String key);
}
