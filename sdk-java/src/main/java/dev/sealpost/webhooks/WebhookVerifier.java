package dev.sealpost.webhooks;

import dev.sealpost.exception.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Standard Webhooks signatures: HMAC-SHA256 (the JDK's {@link Mac}) under the secret over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, compared in constant time ({@link
 * MessageDigest#isEqual}) with each {@code v1,} signature of the {@code webhook-signature} header
 * (several during a secret rotation: one match is enough). A timestamp further than the tolerance
 * (default 5 minutes) from now, in either direction, is refused, which bounds replays; drop repeats
 * of a {@code webhook-id} you already processed to remove them entirely.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.create(System.getenv("SEALPOST_WEBHOOK_SECRET"));
 * VerifiedWebhook hook = verifier.verify(exchange.getRequestHeaders(), body); // throws if forged
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WebhookVerifier {
  /** How far a {@code webhook-timestamp} may be from now unless {@link #withTolerance} says. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final String PREFIX = "whsec_";
  private final byte[] key;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(byte[] key, Duration tolerance, Clock clock) {
    this.key = key;
    this.tolerance = tolerance;
    this.clock = clock;
  }

  /**
   * A verifier for one endpoint's secret, {@code whsec_<base64>} as Sealpost showed it (the prefix
   * may be left out).
   *
   * @throws IllegalArgumentException if the secret is not base64 or is empty
   */
  public static WebhookVerifier create(String secret) {
    Objects.requireNonNull(secret, "secret");
    String b64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the webhook secret is not whsec_ followed by base64");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("the webhook secret is empty");
    }
    return new WebhookVerifier(key, DEFAULT_TOLERANCE, Clock.systemUTC());
  }

  /** The same verifier with another timestamp tolerance (positive). */
  public WebhookVerifier withTolerance(Duration newTolerance) {
    if (newTolerance.isNegative() || newTolerance.isZero()) {
      throw new IllegalArgumentException("tolerance must be positive");
    }
    return new WebhookVerifier(key, newTolerance, clock);
  }

  /** The same verifier reading time from {@code newClock} (tests). */
  public WebhookVerifier withClock(Clock newClock) {
    return new WebhookVerifier(key, tolerance, Objects.requireNonNull(newClock, "clock"));
  }

  /**
   * Verifies a request given its headers (names in any case, as {@code
   * com.sun.net.httpserver.Headers} or {@code java.net.http.HttpHeaders#map()} give them) and the
   * exact body bytes received.
   *
   * @throws IntegrityException if a header is missing or malformed, the timestamp is outside the
   *     tolerance, or no signature matches
   */
  public VerifiedWebhook verify(Map<String, List<String>> headers, byte[] body) {
    return verify(
        header(headers, "webhook-id"),
        header(headers, "webhook-timestamp"),
        header(headers, "webhook-signature"),
        body);
  }

  /** As {@link #verify(Map, byte[])} with the three header values given one by one. */
  public VerifiedWebhook verify(String id, String timestamp, String signatures, byte[] body) {
    if (id == null || timestamp == null || signatures == null || body == null) {
      throw new IntegrityException(
          "webhook-id, webhook-timestamp and webhook-signature are needed");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new IntegrityException("webhook-timestamp is not a number of seconds");
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - seconds) > tolerance.getSeconds()) {
      throw new IntegrityException("webhook-timestamp is too far from now (replay?)");
    }
    byte[] expected = mac(id, seconds, body);
    boolean matched = false;
    for (String signature : signatures.trim().split(" +")) {
      if (!signature.startsWith("v1,")) {
        continue; // another scheme (e.g. v1a): not ours to check
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(signature.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      // No early exit: every candidate is compared, each in constant time.
      matched |= MessageDigest.isEqual(expected, given);
    }
    if (!matched) {
      throw new IntegrityException("no webhook signature matches");
    }
    return new VerifiedWebhook(id, seconds);
  }

  /** The {@code v1,<base64>} signature of a message (for a test sender, or to compare by hand). */
  public String sign(String id, long timestamp, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(id, timestamp, body));
  }

  private byte[] mac(String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null
          && e.getKey().toLowerCase(Locale.ROOT).equals(name)
          && e.getValue() != null
          && !e.getValue().isEmpty()) {
        if (e.getValue().size() > 1) {
          throw new IntegrityException(name + " appears more than once");
        }
        return e.getValue().get(0);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "WebhookVerifier[secret=redacted, tolerance=" + tolerance + "]";
  }
}
