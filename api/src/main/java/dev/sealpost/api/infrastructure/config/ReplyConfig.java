package dev.sealpost.api.infrastructure.config;

/**
 * {@code sealpost.reply.max-per-recipient} (default 5, 0 to 1000; 0 turns replies off server-wide)
 * and {@code sealpost.reply.max-bytes} (default 104857600, 1 to 2 GiB): how many replies one
 * consumer recipient may send, and how many bytes (manifest and attachment ciphertext) one reply
 * may upload.
 */
public record ReplyConfig(int maxPerRecipient, long maxBytes) {
  public static final String MAX_PER_RECIPIENT = "sealpost.reply.max-per-recipient";
  public static final String MAX_BYTES = "sealpost.reply.max-bytes";
  public static final int DEFAULT_MAX_PER_RECIPIENT = 5;
  public static final long DEFAULT_MAX_BYTES = 104_857_600L;
  private static final long MAX_MAX_BYTES = 2L * 1024 * 1024 * 1024;

  public static ReplyConfig from(Settings s) {
    int perRecipient = s.integer(MAX_PER_RECIPIENT, DEFAULT_MAX_PER_RECIPIENT, 0, 1000);
    long bytes = DEFAULT_MAX_BYTES;
    if (s.optional(MAX_BYTES).isPresent()) {
      try {
        bytes = Long.parseLong(s.optional(MAX_BYTES).get().trim());
      } catch (NumberFormatException e) {
        bytes = -1;
      }
      if (bytes < 1 || bytes > MAX_MAX_BYTES) {
        throw new ConfigException(
            MAX_BYTES, "must be a number of bytes from 1 to " + MAX_MAX_BYTES);
      }
    }
    return new ReplyConfig(perRecipient, bytes);
  }
}
