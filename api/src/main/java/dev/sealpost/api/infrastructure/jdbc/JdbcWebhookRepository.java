package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Webhook;
import dev.sealpost.api.domain.WebhookEventType;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The webhooks table (V70). Events are stored as {@code ,a.b,c.d,} so one LIKE finds a type. */
public final class JdbcWebhookRepository implements WebhookRepository {
  private static final String COLUMNS =
      "id, tenant_id, url, events, created_at, updated_at, previous_until";
  private final Jdbc jdbc;

  public JdbcWebhookRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Webhook w, String sealedSecret) {
    jdbc.update(
        "INSERT INTO webhooks (id, tenant_id, url, events, secret_sealed, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        w.id().value(),
        w.tenantId(),
        w.url(),
        events(w.events()),
        sealedSecret,
        w.createdAt(),
        w.updatedAt());
  }

  @Override
  public Optional<Webhook> find(TenantId tenant, WebhookId id) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM webhooks WHERE tenant_id = ? AND id = ?",
        JdbcWebhookRepository::webhook,
        tenant,
        id.value());
  }

  @Override
  public List<Webhook> list(TenantId tenant) {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM webhooks WHERE tenant_id = ? ORDER BY created_at, id",
        JdbcWebhookRepository::webhook,
        tenant);
  }

  @Override
  public boolean update(
      TenantId tenant, WebhookId id, String url, Set<WebhookEventType> events, Instant now) {
    return jdbc.update(
            "UPDATE webhooks SET url = ?, events = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
            url,
            events(events),
            now,
            tenant,
            id.value())
        == 1;
  }

  @Override
  public boolean rotateSecret(
      TenantId tenant, WebhookId id, String sealedSecret, Instant previousUntil, Instant now) {
    return jdbc.update(
            "UPDATE webhooks SET previous_sealed = secret_sealed, previous_until = ?,"
                + " secret_sealed = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
            previousUntil,
            sealedSecret,
            now,
            tenant,
            id.value())
        == 1;
  }

  @Override
  public boolean delete(TenantId tenant, WebhookId id) {
    jdbc.update(
        "DELETE FROM webhook_deliveries WHERE webhook_id = ? AND tenant_id = ?",
        id.value(),
        tenant);
    return jdbc.update("DELETE FROM webhooks WHERE tenant_id = ? AND id = ?", tenant, id.value())
        == 1;
  }

  @Override
  public Optional<DeliveryTarget> target(WebhookId id) {
    return jdbc.queryOne(
        "SELECT tenant_id, url, secret_sealed, previous_sealed, previous_until FROM webhooks"
            + " WHERE id = ?",
        rs ->
            new DeliveryTarget(
                new TenantId(rs.getString("tenant_id")),
                rs.getString("url"),
                rs.getString("secret_sealed"),
                rs.getString("previous_sealed"),
                Jdbc.instant(rs, "previous_until")),
        id.value());
  }

  @Override
  public List<WebhookId> subscribers(TenantId tenant, WebhookEventType type) {
    return jdbc.query(
        "SELECT id FROM webhooks WHERE tenant_id = ? AND events LIKE ? ORDER BY id",
        rs -> new WebhookId(rs.getString(1)),
        tenant,
        "%," + type.wireName() + ",%");
  }

  private static String events(Set<WebhookEventType> events) {
    return events.stream()
        .map(WebhookEventType::wireName)
        .sorted()
        .collect(Collectors.joining(",", ",", ","));
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
    Arrays.stream(rs.getString("events").split(","))
        .filter(s -> !s.isEmpty())
        .forEach(s -> WebhookEventType.ofWireName(s).ifPresent(events::add));
    return new Webhook(
        new WebhookId(rs.getString("id")),
        new TenantId(rs.getString("tenant_id")),
        rs.getString("url"),
        events,
        Jdbc.instant(rs, "created_at"),
        Jdbc.instant(rs, "updated_at"),
        Jdbc.instant(rs, "previous_until"));
  }
}
