package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A consumer's reply as stored: ids, where its ciphertext objects are, their sizes and SHA-256
 * digests (base64url) as received, and the receipt the server signed over them. Never content: the
 * server holds only ciphertext it cannot open.
 */
public record ReplyRecord(
    String id,
    TenantId tenantId,
    EnvelopeId envelopeId,
    RecipientId recipientId,
    Instant received,
    String manifestBlob,
    long manifestSize,
    String manifestSha256,
    List<Part> attachments,
    String receipt) {
  public ReplyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(recipientId, "recipientId");
    Objects.requireNonNull(received, "received");
    attachments = List.copyOf(attachments);
  }

  /** One attachment object of a reply (a STREAM object, ciphertext). */
  public record Part(String id, String blobKey, long size, String sha256) {}

  /** Every ciphertext byte received: the manifest and the attachments. */
  public long totalBytes() {
    return manifestSize + attachments.stream().mapToLong(Part::size).sum();
  }
}
