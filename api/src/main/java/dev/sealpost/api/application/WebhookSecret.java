package dev.sealpost.api.application;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A webhook signing secret: {@code whsec_} + base64 of 32 random bytes (Standard Webhooks). Shown
 * to the ADMIN once; stored only sealed. {@link #toString()} is redacted.
 */
public final class WebhookSecret {
  static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] bytes;

  private WebhookSecret(byte[] bytes) {
    this.bytes = bytes;
  }

  static WebhookSecret generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return new WebhookSecret(b);
  }

  /** Parses {@code whsec_<base64>}. */
  static WebhookSecret parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a webhook secret");
    }
    return new WebhookSecret(Base64.getDecoder().decode(text.substring(PREFIX.length())));
  }

  /** The HMAC key. */
  byte[] bytes() {
    return bytes.clone();
  }

  /** {@code whsec_<base64>}: for the one answer that shows it, and for sealing. */
  String reveal() {
    return PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  void destroy() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "WebhookSecret[redacted]";
  }
}
