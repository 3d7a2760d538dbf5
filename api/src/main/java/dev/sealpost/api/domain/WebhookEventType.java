package dev.sealpost.api.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The event types a webhook can subscribe to (DESIGN.md), each raised by one audit event type in
 * the transaction that appends it ({@code reply.received} by {@code REPLY_SENT}).
 */
public enum WebhookEventType {
  ENVELOPE_OPENED("envelope.opened", AuditEventType.ENVELOPE_OPENED),
  RECIPIENT_LOCKED("recipient.locked", AuditEventType.RECIPIENT_LOCKED),
  ENVELOPE_REVOKED("envelope.revoked", AuditEventType.ENVELOPE_REVOKED),
  ENVELOPE_EXPIRED("envelope.expired", AuditEventType.ENVELOPE_EXPIRED),
  REPLY_RECEIVED("reply.received", AuditEventType.REPLY_SENT),
  NOTIFICATION_FAILED("notification.failed", AuditEventType.NOTIFICATION_FAILED);

  private final String wireName;
  private final AuditEventType source;

  WebhookEventType(String wireName, AuditEventType source) {
    this.wireName = wireName;
    this.source = source;
  }

  /** The name on the wire and in the API, e.g. {@code envelope.opened}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<WebhookEventType> ofWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** The webhook event an audit event raises, if any. */
  public static Optional<WebhookEventType> raisedBy(AuditEventType type) {
    return Arrays.stream(values()).filter(t -> t.source == type && type != null).findFirst();
  }
}
