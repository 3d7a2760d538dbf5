package dev.sealpost.webhooks;

import java.util.List;
import java.util.Map;

/**
 * One call to check a webhook request: {@code Webhooks.verify(secret, headers, body)}. See {@link
 * WebhookVerifier} for the rules, another tolerance, and reuse across requests.
 */
public final class Webhooks {
  private Webhooks() {}

  /**
   * Verifies the request with the default 5-minute timestamp tolerance.
   *
   * @throws dev.sealpost.exception.IntegrityException if it is not signed with {@code secret}
   */
  public static VerifiedWebhook verify(
      String secret, Map<String, List<String>> headers, byte[] body) {
    return WebhookVerifier.create(secret).verify(headers, body);
  }
}
