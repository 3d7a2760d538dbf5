package dev.sealpost.envelope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of a secure reply (format version 1, docs/FORMAT.md section 12): which envelope and
 * recipient it answers, when it was written, the message, and a descriptor for each attachment. The
 * reply manifest is not signed (the replier has no signing key); an {@link OpenedReply}'s manifest
 * has instead been matched against the server's signed {@link ReplyReceipt}.
 *
 * <p>Immutable. The message and names are the replier's text: treat them as untrusted input.
 */
public final class ReplyManifest {
  /** The only reply manifest version this SDK reads and writes. */
  public static final int VERSION = 1;

  private final String replyId;
  private final String envelopeId;
  private final String recipientId;
  private final Instant createdAt;
  private final String message;
  private final List<AttachmentDescriptor> attachments;

  ReplyManifest(
      String replyId,
      String envelopeId,
      String recipientId,
      Instant createdAt,
      String message,
      List<AttachmentDescriptor> attachments) {
    this.replyId = Objects.requireNonNull(replyId);
    this.envelopeId = Objects.requireNonNull(envelopeId);
    this.recipientId = Objects.requireNonNull(recipientId);
    this.createdAt = Objects.requireNonNull(createdAt);
    this.message = Objects.requireNonNull(message);
    this.attachments = List.copyOf(attachments);
  }

  /** The format version, {@value #VERSION}. */
  public int version() {
    return VERSION;
  }

  /** The reply id (a random UUID drawn by the replier). */
  public String replyId() {
    return replyId;
  }

  /** The envelope this reply answers. */
  public String envelopeId() {
    return envelopeId;
  }

  /** The recipient of that envelope who replied. */
  public String recipientId() {
    return recipientId;
  }

  /** When the replier wrote the reply, by the replier's clock (the receipt has the server's). */
  public Instant createdAt() {
    return createdAt;
  }

  /** The message text, possibly empty. */
  public String message() {
    return message;
  }

  /** The attachments, in the order the replier added them. */
  public List<AttachmentDescriptor> attachments() {
    return attachments;
  }

  /** The attachment ids, in order. */
  public List<String> attachmentIds() {
    List<String> ids = new ArrayList<>();
    for (AttachmentDescriptor a : attachments) {
      ids.add(a.id());
    }
    return ids;
  }

  /** The attachment with this id, if the manifest lists it. */
  public Optional<AttachmentDescriptor> attachment(String attachmentId) {
    return AttachmentDescriptor.find(attachments, attachmentId);
  }

  @Override
  public String toString() {
    // The message stays out: it is content.
    return "ReplyManifest[replyId="
        + replyId
        + ", envelopeId="
        + envelopeId
        + ", recipientId="
        + recipientId
        + ", attachments="
        + attachments.size()
        + "]";
  }
}
