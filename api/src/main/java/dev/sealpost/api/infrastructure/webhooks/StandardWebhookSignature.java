package dev.sealpost.api.infrastructure.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code v1,} + base64 of HMAC-SHA256 (the JDK's {@link Mac})
 * under the secret's bytes over {@code <webhook-id>.<webhook-timestamp>.<body>}. Several secrets
 * (during a rotation) give several signatures, space-separated in one {@code webhook-signature}.
 */
public final class StandardWebhookSignature {
  private StandardWebhookSignature() {}

  public static String sign(byte[] secret, String messageId, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] tag =
          mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The {@code webhook-signature} header value: one signature per secret, space-separated. */
  public static String header(List<byte[]> secrets, String messageId, long timestamp, String body) {
    return secrets.stream()
        .map(s -> sign(s, messageId, timestamp, body))
        .collect(Collectors.joining(" "));
  }
}
