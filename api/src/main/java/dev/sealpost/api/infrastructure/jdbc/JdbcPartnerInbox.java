package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerInbox;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The partner's view of {@code envelopes}, {@code recipients} and {@code attachments}. */
public final class JdbcPartnerInbox implements PartnerInbox {
  private final Jdbc jdbc;

  public JdbcPartnerInbox(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  private record Row(
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String kid,
      String status,
      Instant createdAt,
      Instant expiresAt,
      String manifestBlob) {}

  private static final String SELECT =
      "SELECT e.id AS envelope_id, r.id AS recipient_id, r.kid, e.status, e.created_at,"
          + " e.expires_at, e.manifest_blob FROM recipients r JOIN envelopes e ON e.id ="
          + " r.envelope_id WHERE r.tenant_id = ? AND e.tenant_id = ? AND r.partner_id = ?"
          + " AND r.recipient_type = 'PARTNER'";

  @Override
  public List<Item> page(
      TenantId tenant, PartnerId partnerId, Optional<Position> after, int limit, Instant now) {
    List<Object> params = new ArrayList<>(List.of(tenant.value(), tenant.value(), partnerId, now));
    String sql =
        SELECT
            + " AND e.status = 'ACTIVE' AND e.manifest_blob IS NOT NULL"
            + " AND (e.expires_at IS NULL OR e.expires_at > ?)";
    if (after.isPresent()) {
      sql += " AND (e.created_at < ? OR (e.created_at = ? AND e.id < ?))";
      params.add(after.get().createdAt());
      params.add(after.get().createdAt());
      params.add(after.get().envelopeId());
    }
    sql += " ORDER BY e.created_at DESC, e.id DESC FETCH FIRST " + limit + " ROWS ONLY";
    List<Row> rows = jdbc.query(sql, JdbcPartnerInbox::row, params.toArray());
    List<Item> items = new ArrayList<>();
    for (Row r : rows) {
      items.add(
          new Item(
              r.envelopeId(),
              r.recipientId(),
              r.kid(),
              r.createdAt(),
              Optional.ofNullable(r.expiresAt()),
              attachments(tenant, r.envelopeId())));
    }
    return items;
  }

  @Override
  public Optional<Entry> find(TenantId tenant, PartnerId partnerId, EnvelopeId envelopeId) {
    return jdbc
        .query(
            SELECT + " AND e.id = ?",
            JdbcPartnerInbox::row,
            tenant.value(),
            tenant.value(),
            partnerId,
            envelopeId)
        .stream()
        .findFirst()
        .map(
            r ->
                new Entry(
                    r.envelopeId(),
                    r.recipientId(),
                    r.kid(),
                    r.status(),
                    r.createdAt(),
                    Optional.ofNullable(r.expiresAt()),
                    Optional.ofNullable(r.manifestBlob()),
                    attachments(tenant, envelopeId)));
  }

  private List<Attachment> attachments(TenantId tenant, EnvelopeId envelopeId) {
    return jdbc.query(
        "SELECT id, ciphertext_size, blob_key FROM attachments WHERE tenant_id = ? AND"
            + " envelope_id = ? AND deleted_at IS NULL ORDER BY position",
        rs ->
            new Attachment(
                rs.getString("id"), rs.getLong("ciphertext_size"), rs.getString("blob_key")),
        tenant.value(),
        envelopeId);
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(
        new EnvelopeId(rs.getString("envelope_id")),
        new RecipientId(rs.getString("recipient_id")),
        rs.getString("kid"),
        rs.getString("status"),
        Jdbc.instant(rs, "created_at"),
        Jdbc.instant(rs, "expires_at"),
        rs.getString("manifest_blob"));
  }
}
