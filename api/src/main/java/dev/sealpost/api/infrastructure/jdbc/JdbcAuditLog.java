package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditLog;

/**
 * Appends to {@code audit_events} in the caller's transaction. The per-tenant {@code seq} comes
 * from {@code audit_heads}, locked with {@code SELECT ... FOR UPDATE}, so appends from several
 * server instances are serialised per tenant and the sequence has no gaps. {@code prev_hash} and
 * {@code hash} are left for the audit chain to fill (it takes the same lock).
 */
public final class JdbcAuditLog implements AuditLog {
  private final Jdbc jdbc;

  public JdbcAuditLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void append(AuditEvent e) {
    String tenant = e.tenantId().value();
    long seq =
        jdbc.queryOne(
                "SELECT seq FROM audit_heads WHERE tenant_id = ? FOR UPDATE",
                rs -> rs.getLong(1),
                tenant)
            .map(s -> s + 1)
            .orElseGet(
                () -> {
                  jdbc.update(
                      "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, NULL)", tenant);
                  return 1L;
                });
    jdbc.update("UPDATE audit_heads SET seq = ? WHERE tenant_id = ?", seq, tenant);
    jdbc.update(
        "INSERT INTO audit_events (tenant_id, seq, event_type, occurred_at, actor, envelope_id,"
            + " recipient_id, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tenant,
        seq,
        e.type(),
        e.time(),
        e.actor(),
        e.envelopeId(),
        e.recipientId(),
        e.ip(),
        e.userAgent());
  }
}
