package dev.sealpost.envelope;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed content of an envelope (format version 1): who sealed it and when, the subject, the
 * message, and a descriptor for each attachment. An {@link OpenedEnvelope}'s manifest has passed
 * decryption and ES256 signature verification against a trusted key.
 *
 * <p>Immutable. Subject, message and names are the sender's text: treat them as untrusted input
 * when rendering.
 */
public final class Manifest {
  /** The only manifest version this SDK reads and writes. */
  public static final int VERSION = 1;

  private final String envelopeId;
  private final String tenant;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final String subject;
  private final String message;
  private final List<AttachmentDescriptor> attachments;

  Manifest(
      String envelopeId,
      String tenant,
      Instant createdAt,
      Instant expiresAt,
      String subject,
      String message,
      List<AttachmentDescriptor> attachments) {
    this.envelopeId = Objects.requireNonNull(envelopeId);
    this.tenant = Objects.requireNonNull(tenant);
    this.createdAt = Objects.requireNonNull(createdAt);
    this.expiresAt = expiresAt;
    this.subject = Objects.requireNonNull(subject);
    this.message = Objects.requireNonNull(message);
    this.attachments = List.copyOf(attachments);
  }

  /** The format version, {@value #VERSION}. */
  public int version() {
    return VERSION;
  }

  /** The envelope id. */
  public String envelopeId() {
    return envelopeId;
  }

  /** The sending tenant's id. */
  public String tenant() {
    return tenant;
  }

  /** When the envelope was sealed (whole seconds, UTC). */
  public Instant createdAt() {
    return createdAt;
  }

  /** When the envelope expires, if the sender set an expiry. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** The subject (it also travels in clear in the notification, so it carries no personal data). */
  public String subject() {
    return subject;
  }

  /** The message text, possibly empty. */
  public String message() {
    return message;
  }

  /** The attachments, in the order they were sealed. */
  public List<AttachmentDescriptor> attachments() {
    return attachments;
  }

  /** The attachment with this id, if the manifest lists it. */
  public Optional<AttachmentDescriptor> attachment(String attachmentId) {
    return AttachmentDescriptor.find(attachments, attachmentId);
  }

  @Override
  public String toString() {
    // Subject and message stay out: they are content.
    return "Manifest[envelopeId="
        + envelopeId
        + ", tenant="
        + tenant
        + ", createdAt="
        + createdAt
        + ", attachments="
        + attachments.size()
        + "]";
  }
}
