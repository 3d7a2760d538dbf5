package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code idempotency_keys} rows. The primary key (api_key_id, idempotency_key) makes the first
 * insert win across every server instance; the loser sees the row and answers 409 or replays. Rows
 * past their window are deleted by {@code created_at} (indexed).
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {
  private final Transactions tx;
  private final Jdbc jdbc;

  public JdbcIdempotencyStore(Transactions tx, Jdbc jdbc) {
    this.tx = tx;
    this.jdbc = jdbc;
  }

  @Override
  public boolean claim(ApiKeyId apiKeyId, String key, String requestHash, Instant now) {
    try {
      tx.run(
          () ->
              jdbc.update(
                  "INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_hash, state,"
                      + " created_at) VALUES (?, ?, ?, 'IN_PROGRESS', ?)",
                  apiKeyId,
                  key,
                  requestHash,
                  now));
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  @Override
  public Optional<Entry> find(ApiKeyId apiKeyId, String key) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                "SELECT request_hash, state, response_status, response_body, envelope_id,"
                    + " created_at FROM idempotency_keys WHERE api_key_id = ? AND idempotency_key = ?",
                rs -> {
                  int status = rs.getInt("response_status");
                  Integer s = rs.wasNull() ? null : status;
                  return new Entry(
                      rs.getString("request_hash"),
                      "DONE".equals(rs.getString("state")),
                      s,
                      rs.getString("response_body"),
                      Optional.ofNullable(rs.getString("envelope_id"))
                          .map(EnvelopeId::new)
                          .orElse(null),
                      Jdbc.instant(rs, "created_at"));
                },
                apiKeyId,
                key));
  }

  @Override
  public void complete(
      ApiKeyId apiKeyId,
      String key,
      String requestHash,
      int status,
      String response,
      EnvelopeId envelopeId,
      Instant now) {
    jdbc.update(
        "UPDATE idempotency_keys SET request_hash = ?, state = 'DONE', response_status = ?,"
            + " response_body = ?, envelope_id = ?, completed_at = ? WHERE api_key_id = ? AND"
            + " idempotency_key = ?",
        requestHash,
        status,
        response,
        envelopeId,
        now,
        apiKeyId,
        key);
  }

  @Override
  public void release(ApiKeyId apiKeyId, String key) {
    tx.run(
        () ->
            jdbc.update(
                "DELETE FROM idempotency_keys WHERE api_key_id = ? AND idempotency_key = ? AND"
                    + " state = 'IN_PROGRESS'",
                apiKeyId,
                key));
  }

  @Override
  public boolean forgetExpired(ApiKeyId apiKeyId, String key, Instant cutoff) {
    return tx.inTransaction(
            () ->
                jdbc.update(
                    "DELETE FROM idempotency_keys WHERE api_key_id = ? AND idempotency_key = ?"
                        + " AND created_at <= ?",
                    apiKeyId.value(),
                    key,
                    cutoff))
        == 1;
  }

  /**
   * Reads one batch of expired keys, oldest first, then deletes them one by one in that order, each
   * still only if expired: two instances lock rows in the same order (no deadlock) and the later
   * one deletes nothing that the earlier one took.
   */
  @Override
  public int deleteCreatedBefore(Instant cutoff, int limit) {
    record Key(String apiKeyId, String key) {}
    return tx.inTransaction(
        () -> {
          List<Key> due =
              jdbc.query(
                  "SELECT api_key_id, idempotency_key FROM idempotency_keys WHERE created_at <= ?"
                      + " ORDER BY created_at, api_key_id, idempotency_key FETCH FIRST "
                      + Math.max(1, limit)
                      + " ROWS ONLY FOR UPDATE SKIP LOCKED",
                  rs -> new Key(rs.getString("api_key_id"), rs.getString("idempotency_key")),
                  cutoff);
          int deleted = 0;
          for (Key k : due) {
            deleted +=
                jdbc.update(
                    "DELETE FROM idempotency_keys WHERE api_key_id = ? AND idempotency_key = ?"
                        + " AND created_at <= ?",
                    k.apiKeyId(),
                    k.key(),
                    cutoff);
          }
          return deleted;
        });
  }
}
