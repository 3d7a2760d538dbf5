package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import java.time.Instant;

/** The audit events of the consumer flow: the recipient is the actor. */
final class OpenLinkEvents {
  private OpenLinkEvents() {}

  static AuditEvent event(AuditEventType type, LinkState s, ClientInfo client, Instant now) {
    return new AuditEvent(
        type,
        now,
        s.tenantId(),
        "recipient:" + s.recipientId(),
        s.envelopeId(),
        s.recipientId(),
        client.ip(),
        client.userAgent());
  }
}
