package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit record. Never put content, codes, secrets or tokens in any field: {@code actor} is an
 * id such as {@code api-key:<id>}, {@code recipient:<id>} or {@code system}. {@code detail} is an
 * optional short note of what changed (e.g. {@code custody: on}); no personal data, no secret.
 */
public record AuditEvent(
    AuditEventType type,
    Instant time,
    TenantId tenantId,
    String actor,
    EnvelopeId envelopeId,
    RecipientId recipientId,
    String ip,
    String userAgent,
    String detail) {
  /** The longest detail kept; longer ones are cut. */
  public static final int MAX_DETAIL = 500;

  public AuditEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(actor, "actor");
  }

  /** An event without detail (most events). */
  public AuditEvent(
      AuditEventType type,
      Instant time,
      TenantId tenantId,
      String actor,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String ip,
      String userAgent) {
    this(type, time, tenantId, actor, envelopeId, recipientId, ip, userAgent, null);
  }

  /** An event with no envelope or recipient (a key created, a partner registered). */
  public static AuditEvent of(
      AuditEventType type, TenantId tenant, String actor, ClientInfo client, Instant time) {
    return new AuditEvent(type, time, tenant, actor, null, null, client.ip(), client.userAgent());
  }

  public AuditEvent withEnvelope(EnvelopeId envelopeId, RecipientId recipientId) {
    return new AuditEvent(
        type, time, tenantId, actor, envelopeId, recipientId, ip, userAgent, detail);
  }

  /** The same event noting what changed (see the class comment for what may go in it). */
  public AuditEvent withDetail(String newDetail) {
    return new AuditEvent(
        type, time, tenantId, actor, envelopeId, recipientId, ip, userAgent, newDetail);
  }
}
