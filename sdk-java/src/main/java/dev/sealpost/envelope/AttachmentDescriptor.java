package dev.sealpost.envelope;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the signed manifest says about one attachment: its id, file name, media type, plaintext size
 * and SHA-256, and (not exposed) the attachment's own AES-256 key and nonce prefix. An opener
 * checks the stream against the size and hash, so these values are authoritative.
 *
 * <p>Immutable; {@code toString()} never shows the key.
 */
public final class AttachmentDescriptor {
  private final String id;
  private final String name;
  private final String mediaType;
  private final long size;
  private final byte[] sha256;
  private final byte[] key;
  private final byte[] noncePrefix;
  private final int chunkSize;

  AttachmentDescriptor(
      String id,
      String name,
      String mediaType,
      long size,
      byte[] sha256,
      byte[] key,
      byte[] noncePrefix,
      int chunkSize) {
    this.id = Objects.requireNonNull(id);
    this.name = Objects.requireNonNull(name);
    this.mediaType = Objects.requireNonNull(mediaType);
    this.size = size;
    this.sha256 = sha256.clone();
    this.key = key.clone();
    this.noncePrefix = noncePrefix.clone();
    this.chunkSize = chunkSize;
  }

  /** The attachment id (a UUID when sealed by this SDK); also the blob's name. */
  public String id() {
    return id;
  }

  /**
   * The file name as the sender gave it. Untrusted text from the sender: sanitise it before using
   * it as a path.
   */
  public String name() {
    return name;
  }

  /** The media type as the sender gave it, e.g. {@code application/pdf}. */
  public String mediaType() {
    return mediaType;
  }

  /** The plaintext size in bytes. */
  public long size() {
    return size;
  }

  /** The SHA-256 of the plaintext (a copy). */
  public byte[] sha256() {
    return sha256.clone();
  }

  /** The plaintext bytes per chunk in the attachment stream. */
  public int chunkSize() {
    return chunkSize;
  }

  byte[] key() {
    return key.clone();
  }

  byte[] noncePrefix() {
    return noncePrefix.clone();
  }

  @Override
  public String toString() {
    return "AttachmentDescriptor[id="
        + id
        + ", mediaType="
        + mediaType
        + ", size="
        + size
        + ", key=redacted]";
  }

  /** The descriptor with this id in {@code attachments}, if there is one. */
  static Optional<AttachmentDescriptor> find(
      List<AttachmentDescriptor> attachments, String attachmentId) {
    for (AttachmentDescriptor a : attachments) {
      if (a.id().equals(attachmentId)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
