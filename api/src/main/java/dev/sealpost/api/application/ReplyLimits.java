package dev.sealpost.api.application;

/**
 * {@code sealpost.reply.max-per-recipient} and {@code sealpost.reply.max-bytes}: replies per
 * consumer recipient, and ciphertext bytes (manifest and attachments) per reply.
 */
public record ReplyLimits(int maxPerRecipient, long maxBytes) {
  /** The reply manifest (a JWE document) may have at most this many bytes. */
  public static final int MAX_MANIFEST_BYTES = 1024 * 1024;

  /** At most this many attachments per reply. */
  public static final int MAX_ATTACHMENTS = 20;

  public ReplyLimits {
    if (maxPerRecipient < 0 || maxBytes < 1) {
      throw new IllegalArgumentException("reply limits must not be negative");
    }
  }
}
