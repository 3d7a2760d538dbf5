package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.TenantId;
import dev.sealpost.audit.AuditRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/** Rows of {@code audit_events} as {@link AuditRecord}s, shared by the log and its checkpoints. */
final class AuditEventRows {
  static final String COLUMNS =
      "seq, event_type, occurred_at, actor, envelope_id, recipient_id, ip, user_agent, prev_hash,"
          + " hash, detail";

  private AuditEventRows() {}

  /** The chain itself: events with {@code afterSeq < seq <= upToSeq}, in seq order. */
  static List<AuditRecord> chain(
      Jdbc jdbc, TenantId tenant, long afterSeq, long upToSeq, int limit) {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM audit_events WHERE tenant_id = ? AND seq > ? AND seq <= ? ORDER BY seq"
            + " LIMIT ?",
        rs -> record(tenant, rs),
        tenant.value(),
        afterSeq,
        upToSeq,
        limit);
  }

  static AuditRecord record(TenantId tenant, ResultSet rs) throws SQLException {
    return new AuditRecord(
            tenant.value(),
            rs.getLong("seq"),
            rs.getString("event_type"),
            rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
            rs.getString("actor"),
            rs.getString("envelope_id"),
            rs.getString("recipient_id"),
            rs.getString("ip"),
            rs.getString("user_agent"),
            rs.getString("prev_hash"),
            rs.getString("hash"))
        .withDetail(rs.getString("detail"));
  }
}
