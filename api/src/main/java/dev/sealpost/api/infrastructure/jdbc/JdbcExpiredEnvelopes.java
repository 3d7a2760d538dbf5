package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.ExpiredEnvelopes;
import dev.sealpost.api.domain.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * {@code envelopes} rows past {@code expires_at}. The claim is one conditional UPDATE: on
 * PostgreSQL and H2 a concurrent claimer waits for the row lock, re-reads the status and updates
 * nothing.
 */
public final class JdbcExpiredEnvelopes implements ExpiredEnvelopes {
  private final Jdbc jdbc;

  public JdbcExpiredEnvelopes(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<Ref> due(Instant now, int limit) {
    return jdbc.query(
        "SELECT tenant_id, id FROM envelopes WHERE status = 'ACTIVE' AND expires_at IS NOT NULL"
            + " AND expires_at <= ? ORDER BY expires_at, id FETCH FIRST "
            + Math.max(1, limit)
            + " ROWS ONLY",
        rs -> new Ref(new TenantId(rs.getString("tenant_id")), new EnvelopeId(rs.getString("id"))),
        now);
  }

  @Override
  public boolean claim(Ref envelope, Instant now) {
    return jdbc.update(
            "UPDATE envelopes SET status = 'EXPIRED', expired_at = ?, version = version + 1"
                + " WHERE tenant_id = ? AND id = ? AND status = 'ACTIVE'",
            now,
            envelope.tenantId().value(),
            envelope.envelopeId())
        == 1;
  }
}
