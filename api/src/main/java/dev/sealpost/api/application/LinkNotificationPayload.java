package dev.sealpost.api.application;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox row's work order for one link notification, as stored in {@code outbox.payload}:
 *
 * <pre>{@code
 * {"v":1,"subject":"Your documents","linkSecret":"<the link secret, sealed with SecretBox>"}
 * }</pre>
 *
 * Sealing writes the subject; a reissue writes none (the relay then mails without one). The relay
 * reads both, and the rows written before this type existed, unchanged.
 *
 * @param subject the envelope's subject (checked clear text), if the writer gave one
 * @param sealedLinkSecret the link secret's base64url text, sealed under the key context {@code
 *     link-secret:<recipientId>}
 */
public record LinkNotificationPayload(Optional<String> subject, String sealedLinkSecret) {
  /** The largest payload the relay reads. */
  static final int MAX_CHARS = 65536;

  public LinkNotificationPayload {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(sealedLinkSecret, "sealedLinkSecret");
  }

  /** Compact JSON, members in the order the writers have always used: v, subject, linkSecret. */
  public String toJson() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("v", 1);
    subject.ifPresent(s -> payload.put("subject", s));
    payload.put("linkSecret", sealedLinkSecret);
    return JSONObjectUtils.toJSONString(payload);
  }

  /**
   * Reads a stored payload.
   *
   * @throws IllegalArgumentException if it is over 64 KiB, not a JSON object, or has no string
   *     {@code linkSecret} or a {@code subject} that is not a string (never quoting the payload)
   */
  public static LinkNotificationPayload parse(String json) {
    if (json.length() > MAX_CHARS) {
      throw new IllegalArgumentException("the notification payload is over " + MAX_CHARS);
    }
    Map<String, Object> payload;
    try {
      payload = JSONObjectUtils.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException("the notification payload is not a JSON object");
    }
    if (payload == null) {
      throw new IllegalArgumentException("the notification payload is not a JSON object");
    }
    Object subject = payload.get("subject");
    Object linkSecret = payload.get("linkSecret");
    if (!(linkSecret instanceof String) || (subject != null && !(subject instanceof String))) {
      throw new IllegalArgumentException("the notification payload lacks its members");
    }
    return new LinkNotificationPayload(Optional.ofNullable((String) subject), (String) linkSecret);
  }

  @Override
  public String toString() {
    return "LinkNotificationPayload[subject=" + subject.isPresent() + ", linkSecret=sealed]";
  }
}
