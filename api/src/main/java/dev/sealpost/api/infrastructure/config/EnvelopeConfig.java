package dev.sealpost.api.infrastructure.config;

import java.util.Optional;

/** {@code sealpost.envelope.max-bytes}: attachment plaintext per envelope, default 2 GiB. */
public record EnvelopeConfig(long maxBytes) {
  public static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024 * 1024;

  public static EnvelopeConfig from(Settings s) {
    Optional<String> value = s.optional("sealpost.envelope.max-bytes");
    if (value.isEmpty()) {
      return new EnvelopeConfig(DEFAULT_MAX_BYTES);
    }
    try {
      long n = Long.parseLong(value.get());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return new EnvelopeConfig(n);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "sealpost.envelope.max-bytes", "must be a positive number of bytes");
    }
  }
}
