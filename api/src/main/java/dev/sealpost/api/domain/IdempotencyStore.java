package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code Idempotency-Key} records, scoped per API key, atomic in the database: the first request
 * inserts its row (a unique key), so a concurrent duplicate on any instance finds it. A record
 * lives for the idempotency window only (see {@link #deleteCreatedBefore}): its answer holds live
 * links.
 */
public interface IdempotencyStore {
  /**
   * The stored state of a key. {@code response} is null while in progress or after a revoke; {@code
   * createdAt} is when the key was first claimed (the window counts from there).
   */
  record Entry(
      String requestHash,
      boolean done,
      Integer status,
      String response,
      EnvelopeId envelopeId,
      Instant createdAt) {}

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

  /**
   * Deletes this key's record if it was created at or before {@code cutoff} (its window is over),
   * in its own transaction; false when there was none such (another request may have done it).
   */
  boolean forgetExpired(ApiKeyId apiKeyId, String key, Instant cutoff);

  /**
   * Deletes at most {@code limit} records created at or before {@code cutoff}, oldest first, in one
   * transaction of its own; answers how many this call deleted. Safe when several server instances
   * sweep at once: a record deleted by another is skipped.
   */
  int deleteCreatedBefore(Instant cutoff, int limit);
}
