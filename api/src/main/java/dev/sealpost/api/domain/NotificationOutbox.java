package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The transactional outbox of link notifications (rows written with the envelope). Claims are
 * atomic and leased ({@code status SENDING, next_attempt_at = lease end}), so several relays (one
 * per server instance) never send the same row at the same time, and a relay that dies mid-send
 * leaves a row that becomes due again when its lease ends. Call inside {@link Transactions}.
 */
public interface NotificationOutbox {
  /** A claimed row: its sealed payload and where it goes. */
  record NotificationTask(
      String id,
      TenantId tenantId,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String payload,
      int attempts) {
    @Override
    public String toString() {
      return "NotificationTask[id=" + id + ", attempts=" + attempts + "]";
    }
  }

  /** What the mail needs besides the payload. */
  record NotificationTarget(
      String email,
      String locale,
      VerificationMethod method,
      String organisation,
      Instant expiresAt,
      boolean envelopeActive) {}

  /** Ids of rows due now (PENDING, or SENDING whose lease ended), oldest first. */
  List<String> due(Instant now, int limit);

  /**
   * Atomically takes the row until {@code leaseUntil} (attempts + 1); empty if someone else did.
   */
  Optional<NotificationTask> claim(String id, Instant now, Instant leaseUntil);

  Optional<NotificationTarget> target(NotificationTask task);

  /** SENDING -> SENT, payload dropped; false if the row is no longer ours (revoked meanwhile). */
  boolean markSent(String id, Instant now);

  /** SENDING -> PENDING, due again at {@code next}. */
  boolean retryLater(String id, Instant next, String error);

  /** SENDING -> FAILED for good, payload dropped. */
  boolean markFailed(String id, Instant now, String error);

  /** recipients.status PENDING -> NOTIFIED and notified_at. */
  void markRecipientNotified(TenantId tenant, RecipientId recipientId, Instant now);
}
