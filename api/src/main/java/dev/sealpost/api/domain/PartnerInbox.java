package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Envelopes addressed to a partner, as the partner sees them. Call inside {@link
 * Transactions#inTransaction}.
 */
public interface PartnerInbox {
  /** Active, unexpired envelopes addressed to the partner, newest first, after {@code after}. */
  List<Item> page(
      TenantId tenant, PartnerId partnerId, Optional<Position> after, int limit, Instant now);

  /** The envelope if it is addressed to the partner (whatever its status); empty otherwise. */
  Optional<Entry> find(TenantId tenant, PartnerId partnerId, EnvelopeId envelopeId);

  /** Where a page ends. */
  record Position(Instant createdAt, EnvelopeId envelopeId) {}

  /** One attachment object: its id and ciphertext size. */
  record Attachment(String id, long size, String blobKey) {}

  /** A list row. */
  record Item(
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String kid,
      Instant createdAt,
      Optional<Instant> expiresAt,
      List<Attachment> attachments) {
    public Item {
      attachments = List.copyOf(attachments);
    }
  }

  /** One envelope addressed to the partner. */
  record Entry(
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String kid,
      String status,
      Instant createdAt,
      Optional<Instant> expiresAt,
      Optional<String> manifestBlob,
      List<Attachment> attachments) {
    public Entry {
      Objects.requireNonNull(envelopeId, "envelopeId");
      attachments = List.copyOf(attachments);
    }

    /** Revoked, expired (by status or by time) or shredded: never served again. */
    public boolean gone(Instant now) {
      return !"ACTIVE".equals(status)
          || manifestBlob.isEmpty()
          || expiresAt.map(e -> !e.isAfter(now)).orElse(false);
    }
  }
}
