package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook outbox: one row per (webhook, event), written in the transaction of the audit event
 * that raised it. Claims are atomic and leased ({@code SENDING} with {@code next_attempt_at} = end
 * of lease), so instances never deliver the same row at once and a crashed deliverer's row comes
 * back when its lease ends. Call inside {@link Transactions}.
 */
public interface WebhookOutbox {
  /** PENDING, SENDING (claimed, leased), DELIVERED, FAILED (gave up). */
  enum Status {
    PENDING,
    SENDING,
    DELIVERED,
    FAILED
  }

  /** A due row: whose it is and for which webhook. */
  record Due(String id, WebhookId webhookId) {}

  /** A claimed row: what to send. */
  record Claimed(
      String id,
      WebhookId webhookId,
      TenantId tenantId,
      String payload,
      int attempts,
      Instant createdAt) {}

  /** A row as {@code GET /v1/webhooks/{id}/deliveries} shows it. */
  record Delivery(
      String id,
      String eventType,
      Status status,
      int attempts,
      Instant createdAt,
      Instant lastAttemptAt,
      Integer lastStatus,
      String lastError,
      Instant nextAttemptAt,
      Instant deliveredAt) {}

  void enqueue(
      String id,
      WebhookId webhookId,
      TenantId tenant,
      WebhookEventType type,
      String payload,
      Instant now);

  /**
   * Rows due now (PENDING, or SENDING whose lease ended), oldest first, leaving out the webhooks in
   * {@code busy} (at their concurrency limit), so a dead endpoint's backlog hides no other's rows.
   */
  List<Due> due(Instant now, int limit, Set<WebhookId> busy);

  /**
   * Atomically takes the row until {@code leaseUntil} (attempts + 1); empty if someone else did.
   */
  Optional<Claimed> claim(String id, Instant now, Instant leaseUntil);

  boolean markDelivered(String id, int httpStatus, Instant now);

  boolean retryLater(String id, Integer httpStatus, String error, Instant now, Instant next);

  boolean markFailed(String id, Integer httpStatus, String error, Instant now);

  /** The newest deliveries of one webhook (the caller has checked that it is the tenant's). */
  List<Delivery> deliveries(WebhookId webhookId, int limit);
}
