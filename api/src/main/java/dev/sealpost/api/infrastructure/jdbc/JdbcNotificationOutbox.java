package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.NotificationOutbox;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox table (V1). Claims use an atomic guarded UPDATE with a lease rather than {@code SELECT
 * ... FOR UPDATE SKIP LOCKED}: it behaves the same on H2 and PostgreSQL, holds no row lock while
 * the mail is being sent, and a crashed claimer's row comes back when the lease ends.
 */
public final class JdbcNotificationOutbox implements NotificationOutbox {
  private final Jdbc jdbc;

  public JdbcNotificationOutbox(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<String> due(Instant now, int limit) {
    return jdbc.query(
        "SELECT id FROM outbox WHERE kind = 'NOTIFICATION' AND status IN ('PENDING', 'SENDING')"
            + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id FETCH FIRST "
            + limit
            + " ROWS ONLY",
        rs -> rs.getString(1),
        now);
  }

  @Override
  public Optional<NotificationTask> claim(String id, Instant now, Instant leaseUntil) {
    int n =
        jdbc.update(
            "UPDATE outbox SET status = 'SENDING', next_attempt_at = ?, attempts = attempts + 1"
                + " WHERE id = ? AND status IN ('PENDING', 'SENDING') AND next_attempt_at <= ?",
            leaseUntil,
            id,
            now);
    if (n != 1) {
      return Optional.empty();
    }
    return jdbc.queryOne(
        "SELECT id, tenant_id, envelope_id, recipient_id, payload, attempts FROM outbox WHERE id ="
            + " ?",
        rs ->
            new NotificationTask(
                rs.getString("id"),
                new TenantId(rs.getString("tenant_id")),
                new EnvelopeId(rs.getString("envelope_id")),
                new RecipientId(rs.getString("recipient_id")),
                rs.getString("payload"),
                rs.getInt("attempts")),
        id);
  }

  @Override
  public Optional<NotificationTarget> target(NotificationTask task) {
    return jdbc.queryOne(
        "SELECT r.email, r.locale, r.verification_method, t.display_name, e.expires_at, e.status"
            + " FROM recipients r JOIN envelopes e ON e.id = r.envelope_id JOIN tenants t ON t.id ="
            + " r.tenant_id WHERE r.id = ? AND r.envelope_id = ? AND r.tenant_id = ?",
        rs -> {
          String m = rs.getString("verification_method");
          return new NotificationTarget(
              rs.getString("email"),
              rs.getString("locale"),
              m == null ? null : VerificationMethod.valueOf(m),
              rs.getString("display_name"),
              Jdbc.instant(rs, "expires_at"),
              "ACTIVE".equals(rs.getString("status")));
        },
        task.recipientId(),
        task.envelopeId(),
        task.tenantId().value());
  }

  @Override
  public boolean markSent(String id, Instant now) {
    return jdbc.update(
            "UPDATE outbox SET status = 'SENT', payload = NULL, sent_at = ?, last_error = NULL"
                + " WHERE id = ? AND status = 'SENDING'",
            now,
            id)
        == 1;
  }

  @Override
  public boolean retryLater(String id, Instant next, String error) {
    return jdbc.update(
            "UPDATE outbox SET status = 'PENDING', next_attempt_at = ?, last_error = ? WHERE id = ?"
                + " AND status = 'SENDING'",
            next,
            truncate(error),
            id)
        == 1;
  }

  @Override
  public boolean markFailed(String id, Instant now, String error) {
    return jdbc.update(
            "UPDATE outbox SET status = 'FAILED', payload = NULL, next_attempt_at = ?, last_error ="
                + " ? WHERE id = ? AND status = 'SENDING'",
            now,
            truncate(error),
            id)
        == 1;
  }

  @Override
  public void markRecipientNotified(TenantId tenant, RecipientId recipientId, Instant now) {
    jdbc.update(
        "UPDATE recipients SET status = CASE WHEN status = 'PENDING' THEN 'NOTIFIED' ELSE status"
            + " END, notified_at = ?, version = version + 1 WHERE tenant_id = ? AND id = ?",
        now,
        tenant.value(),
        recipientId);
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
