package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.WebhookEventType;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The webhook_deliveries table (V70). Claims are an atomic guarded UPDATE with a lease, as in
 * {@link JdbcNotificationOutbox}: the same on H2 and PostgreSQL, no row lock held while the request
 * is in flight, and a crashed claimer's row comes back when the lease ends.
 */
public final class JdbcWebhookOutbox implements WebhookOutbox {
  private final Jdbc jdbc;

  public JdbcWebhookOutbox(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void enqueue(
      String id,
      WebhookId webhookId,
      TenantId tenant,
      WebhookEventType type,
      String payload,
      Instant now) {
    jdbc.update(
        "INSERT INTO webhook_deliveries (id, webhook_id, tenant_id, event_type, payload, status,"
            + " attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
        id,
        webhookId.value(),
        tenant,
        type.wireName(),
        payload,
        now,
        now);
  }

  @Override
  public List<Due> due(Instant now, int limit, Set<WebhookId> busy) {
    List<Object> params = new ArrayList<>();
    params.add(now);
    busy.forEach(id -> params.add(id.value()));
    String notBusy =
        busy.isEmpty()
            ? ""
            : " AND webhook_id NOT IN ("
                + String.join(", ", Collections.nCopies(busy.size(), "?"))
                + ")";
    return jdbc.query(
        "SELECT id, webhook_id FROM webhook_deliveries WHERE status IN ('PENDING', 'SENDING')"
            + " AND next_attempt_at <= ?"
            + notBusy
            + " ORDER BY next_attempt_at, id FETCH FIRST "
            + limit
            + " ROWS ONLY",
        rs -> new Due(rs.getString(1), new WebhookId(rs.getString(2))),
        params.toArray());
  }

  @Override
  public Optional<Claimed> claim(String id, Instant now, Instant leaseUntil) {
    int n =
        jdbc.update(
            "UPDATE webhook_deliveries SET status = 'SENDING', next_attempt_at = ?, attempts ="
                + " attempts + 1, last_attempt_at = ? WHERE id = ? AND status IN ('PENDING',"
                + " 'SENDING') AND next_attempt_at <= ?",
            leaseUntil,
            now,
            id,
            now);
    if (n != 1) {
      return Optional.empty();
    }
    return jdbc.queryOne(
        "SELECT id, webhook_id, tenant_id, payload, attempts, created_at FROM webhook_deliveries"
            + " WHERE id = ?",
        rs ->
            new Claimed(
                rs.getString("id"),
                new WebhookId(rs.getString("webhook_id")),
                new TenantId(rs.getString("tenant_id")),
                rs.getString("payload"),
                rs.getInt("attempts"),
                Jdbc.instant(rs, "created_at")),
        id);
  }

  @Override
  public boolean markDelivered(String id, int httpStatus, Instant now) {
    return jdbc.update(
            "UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = ?, last_status = ?,"
                + " last_error = NULL WHERE id = ? AND status = 'SENDING'",
            now,
            httpStatus,
            id)
        == 1;
  }

  @Override
  public boolean retryLater(
      String id, Integer httpStatus, String error, Instant now, Instant next) {
    return jdbc.update(
            "UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = ?, last_status ="
                + " ?, last_error = ? WHERE id = ? AND status = 'SENDING'",
            next,
            httpStatus,
            clip(error),
            id)
        == 1;
  }

  @Override
  public boolean markFailed(String id, Integer httpStatus, String error, Instant now) {
    return jdbc.update(
            "UPDATE webhook_deliveries SET status = 'FAILED', next_attempt_at = ?, last_status ="
                + " ?, last_error = ? WHERE id = ? AND status = 'SENDING'",
            now,
            httpStatus,
            clip(error),
            id)
        == 1;
  }

  @Override
  public List<Delivery> deliveries(WebhookId webhookId, int limit) {
    return jdbc.query(
        "SELECT id, event_type, status, attempts, created_at, last_attempt_at, last_status,"
            + " last_error, next_attempt_at, delivered_at FROM webhook_deliveries WHERE webhook_id"
            + " = ? ORDER BY created_at DESC, id FETCH FIRST "
            + limit
            + " ROWS ONLY",
        rs -> {
          Status status = Status.valueOf(rs.getString("status"));
          int last = rs.getInt("last_status");
          Integer lastStatus = rs.wasNull() ? null : last;
          boolean open = status == Status.PENDING || status == Status.SENDING;
          return new Delivery(
              rs.getString("id"),
              rs.getString("event_type"),
              status,
              rs.getInt("attempts"),
              Jdbc.instant(rs, "created_at"),
              Jdbc.instant(rs, "last_attempt_at"),
              lastStatus,
              rs.getString("last_error"),
              open ? Jdbc.instant(rs, "next_attempt_at") : null,
              Jdbc.instant(rs, "delivered_at"));
        },
        webhookId.value());
  }

  private static String clip(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200);
  }
}
