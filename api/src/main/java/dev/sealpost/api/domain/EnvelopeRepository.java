package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Envelopes, their recipients and attachments. Call inside {@link Transactions#inTransaction}. */
public interface EnvelopeRepository {
  void insert(
      EnvelopeRecord envelope,
      List<RecipientRecord> recipients,
      List<AttachmentRecord> attachments);

  /** Only the tenant's own: another tenant's envelope is not found. */
  Optional<EnvelopeRecord> find(TenantId tenant, EnvelopeId envelopeId);

  List<RecipientRecord> recipients(TenantId tenant, EnvelopeId envelopeId);

  List<AttachmentRecord> attachments(TenantId tenant, EnvelopeId envelopeId);

  /** Newest first; after the position (createdAt, id) when given. */
  List<EnvelopeRecord> page(TenantId tenant, Optional<PagePosition> after, int limit);

  /**
   * Marks the envelope revoked (when still active) and destroys its keys: server shares, custody
   * key, pending notification link secrets, stored idempotent answers. Returns false when nothing
   * matched.
   */
  boolean revokeAndShred(TenantId tenant, EnvelopeId envelopeId, Instant now);

  /** Records that the attachments' objects were deleted. */
  void markBlobsDeleted(TenantId tenant, EnvelopeId envelopeId, Instant now);

  /**
   * A pending notification for the consumer flow's relay (outbox row, kind NOTIFICATION); see
   * PLAN.md "Envelope creation contract".
   */
  void insertNotification(
      String id,
      TenantId tenant,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String payload,
      Instant now);

  /** Where a page ends: the last item's creation time and id. */
  record PagePosition(Instant createdAt, EnvelopeId id) {}
}
