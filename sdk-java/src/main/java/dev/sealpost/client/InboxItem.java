package dev.sealpost.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One envelope in a partner's inbox, as listed (nothing secret: the subject and message are inside
 * the encrypted manifest, see {@link EnvelopeClient#open(String)}).
 *
 * <pre>{@code
 * for (InboxItem item : client.inbox()) {
 *   System.out.println(item.envelopeId() + " " + item.createdAt());
 * }
 * }</pre>
 */
public final class InboxItem {
  private final String envelopeId;
  private final String keyId;
  private final Instant createdAt;
  private final Instant expiresAt;
  private final List<Attachment> attachments;

  InboxItem(
      String envelopeId,
      String keyId,
      Instant createdAt,
      Instant expiresAt,
      List<Attachment> attachments) {
    this.envelopeId = Objects.requireNonNull(envelopeId, "envelopeId");
    this.keyId = keyId;
    this.createdAt = createdAt;
    this.expiresAt = expiresAt;
    this.attachments = List.copyOf(attachments);
  }

  public String envelopeId() {
    return envelopeId;
  }

  /** The {@code kid} of the partner key the envelope was sealed to. */
  public String keyId() {
    return keyId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** The attachment objects: ids and ciphertext sizes (names are in the encrypted manifest). */
  public List<Attachment> attachments() {
    return attachments;
  }

  @Override
  public String toString() {
    return "InboxItem[" + envelopeId + "]";
  }

  /** An attachment object as listed: its id and ciphertext size in bytes. */
  public static final class Attachment {
    private final String id;
    private final long size;

    Attachment(String id, long size) {
      this.id = id;
      this.size = size;
    }

    public String id() {
      return id;
    }

    /** Ciphertext bytes (plaintext plus 8 bytes of header and 16 per 64 KiB chunk). */
    public long size() {
      return size;
    }
  }
}
