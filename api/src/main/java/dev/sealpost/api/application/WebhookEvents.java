package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.WebhookEventType;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookOutbox;
import dev.sealpost.api.domain.WebhookRepository;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an audit event into webhook deliveries, in the transaction that appends it (the audit log
 * calls {@link #record} after writing its row): one outbox row per subscribed webhook, so the event
 * is delivered if and only if it commits.
 *
 * <p>The payload carries the event type, its time and ids only ({@code envelopeId}, {@code
 * recipientId}): never content, an address, an IP, a user agent, the audit detail or a secret.
 */
public final class WebhookEvents {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
  private static final Pattern REPLY = Pattern.compile("reply: ([0-9a-f-]{36})");
  private final WebhookRepository webhooks;
  private final WebhookOutbox outbox;

  public WebhookEvents(WebhookRepository webhooks, WebhookOutbox outbox) {
    this.webhooks = webhooks;
    this.outbox = outbox;
  }

  /** Inside the audit event's transaction. */
  public void record(AuditEvent event) {
    WebhookEventType type = WebhookEventType.raisedBy(event.type()).orElse(null);
    if (type == null) {
      return;
    }
    String payload = payload(type, event);
    for (WebhookId id : webhooks.subscribers(event.tenantId(), type)) {
      outbox.enqueue(messageId(), id, event.tenantId(), type, payload, event.time());
    }
  }

  /** The Standard Webhooks message id ({@code webhook-id}), the same on every attempt. */
  static String messageId() {
    return "msg_" + UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * {@code {"type":..,"timestamp":..,"data":{"envelopeId":..,"recipientId":..}}}; {@code
   * reply.received} also names the {@code replyId}.
   */
  static String payload(WebhookEventType type, AuditEvent event) {
    StringBuilder data = new StringBuilder();
    field(data, "envelopeId", event.envelopeId() == null ? null : event.envelopeId().value());
    field(data, "recipientId", event.recipientId() == null ? null : event.recipientId().value());
    if (type == WebhookEventType.REPLY_RECEIVED) {
      field(data, "replyId", replyId(event.detail()));
    }
    return "{\"type\":\""
        + type.wireName()
        + "\",\"timestamp\":\""
        + event.time()
        + "\",\"data\":{"
        + data
        + "}}";
  }

  /** The reply id of a REPLY_SENT event ({@code reply: <uuid>; ...}), or null. */
  static String replyId(String detail) {
    if (detail == null) {
      return null;
    }
    Matcher m = REPLY.matcher(detail);
    return m.lookingAt() ? m.group(1) : null;
  }

  private static void field(StringBuilder out, String name, String value) {
    // Ids are UUIDs; anything else is left out rather than escaped into the payload.
    if (value == null || !ID.matcher(value).matches()) {
      return;
    }
    if (out.length() > 0) {
      out.append(',');
    }
    out.append('"').append(name).append("\":\"").append(value).append('"');
  }
}
