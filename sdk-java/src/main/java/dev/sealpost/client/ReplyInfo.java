package dev.sealpost.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A secure reply to one of the tenant's envelopes, as the server lists it ({@code GET
 * /v1/envelopes/{id}/replies}): ids, times, ciphertext sizes and the server's signed receipt;
 * nothing readable (the message and file names are in the encrypted reply manifest, see {@link
 * EnvelopeClient#openReply(ReplyInfo)}).
 */
public final class ReplyInfo {
  private final String envelopeId;
  private final String replyId;
  private final String recipientId;
  private final Instant received;
  private final long manifestSize;
  private final List<InboxItem.Attachment> attachments;
  private final String receipt;

  ReplyInfo(
      String envelopeId,
      String replyId,
      String recipientId,
      Instant received,
      long manifestSize,
      List<InboxItem.Attachment> attachments,
      String receipt) {
    this.envelopeId = Objects.requireNonNull(envelopeId, "envelopeId");
    this.replyId = Objects.requireNonNull(replyId, "replyId");
    this.recipientId = recipientId;
    this.received = received;
    this.manifestSize = manifestSize;
    this.attachments = List.copyOf(attachments);
    this.receipt = receipt;
  }

  /** The envelope the reply answers. */
  public String envelopeId() {
    return envelopeId;
  }

  public String replyId() {
    return replyId;
  }

  /** The recipient of the envelope who replied. */
  public String recipientId() {
    return recipientId;
  }

  /** When the server received the reply. */
  public Instant received() {
    return received;
  }

  /** The size of the encrypted reply manifest, in bytes. */
  public long manifestSize() {
    return manifestSize;
  }

  /** The attachment objects: ids and ciphertext sizes, in upload order. */
  public List<InboxItem.Attachment> attachments() {
    return attachments;
  }

  /**
   * The server's receipt as listed (compact JWS), not yet verified: {@link
   * EnvelopeClient#openReply(ReplyInfo)} verifies it.
   */
  public String receipt() {
    return receipt;
  }

  @Override
  public String toString() {
    return "ReplyInfo[" + replyId + " to " + envelopeId + "]";
  }
}
