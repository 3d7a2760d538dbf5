package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.AttachmentRecord;
import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeRecord;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientRecord;
import dev.sealpost.api.domain.RecipientStatus;
import dev.sealpost.api.domain.RecipientType;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.VerificationMethod;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Envelope, recipient and attachment rows (V1 schema). Every query names the tenant. */
public final class JdbcEnvelopeRepository implements EnvelopeRepository {
  private static final String ENVELOPE_COLUMNS =
      "id, tenant_id, created_by, status, created_at, expires_at, revoked_at, expired_at,"
          + " shredded_at, max_opens, notify, signing_kid, manifest_blob, manifest_size,"
          + " total_size, custody_key, custody_kid, allow_reply";
  private static final String RECIPIENT_COLUMNS =
      "id, envelope_id, tenant_id, position, recipient_type, email, locale, partner_id, kid,"
          + " verification_method, secret_hash, secret_hint, link_token_hash, server_share, status,"
          + " notified_at, first_opened_at, last_opened_at, locked_at, open_count, failed_attempts,"
          + " created_at";
  private static final String ATTACHMENT_COLUMNS =
      "id, envelope_id, tenant_id, position, blob_key, ciphertext_size, created_at";

  private final Jdbc jdbc;

  public JdbcEnvelopeRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(
      EnvelopeRecord e, List<RecipientRecord> recipients, List<AttachmentRecord> attachments) {
    insertEnvelope(e);
    for (RecipientRecord r : recipients) {
      insertRecipient(r);
    }
    for (AttachmentRecord a : attachments) {
      insertAttachment(a);
    }
  }

  private void insertEnvelope(EnvelopeRecord e) {
    jdbc.update(
        "INSERT INTO envelopes ("
            + ENVELOPE_COLUMNS
            + ", version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
        e.id(),
        e.tenantId().value(),
        e.createdBy(),
        e.status(),
        e.createdAt(),
        e.expiresAt(),
        e.revokedAt(),
        e.expiredAt(),
        e.shreddedAt(),
        e.maxOpens(),
        e.notifyRecipients(),
        e.signingKid(),
        e.manifestBlob(),
        e.manifestSize(),
        e.totalSize(),
        e.custodyKey(),
        e.custodyKid(),
        e.allowReply());
  }

  private void insertRecipient(RecipientRecord r) {
    jdbc.update(
        "INSERT INTO recipients ("
            + RECIPIENT_COLUMNS
            + ", otp_attempts, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, 0, 0)",
        r.id(),
        r.envelopeId(),
        r.tenantId().value(),
        r.position(),
        r.type(),
        r.email(),
        r.locale(),
        r.partnerId(),
        r.kid(),
        r.verificationMethod(),
        r.secretHash(),
        r.secretHint(),
        r.linkTokenHash(),
        r.serverShare(),
        r.status(),
        r.notifiedAt(),
        r.firstOpenedAt(),
        r.lastOpenedAt(),
        r.lockedAt(),
        r.openCount(),
        r.failedAttempts(),
        r.createdAt());
  }

  private void insertAttachment(AttachmentRecord a) {
    jdbc.update(
        "INSERT INTO attachments (" + ATTACHMENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
        a.id(),
        a.envelopeId(),
        a.tenantId().value(),
        a.position(),
        a.blobKey(),
        a.ciphertextSize(),
        a.createdAt());
  }

  @Override
  public Optional<EnvelopeRecord> find(TenantId tenant, EnvelopeId envelopeId) {
    return jdbc.queryOne(
        "SELECT " + ENVELOPE_COLUMNS + " FROM envelopes WHERE tenant_id = ? AND id = ?",
        JdbcEnvelopeRepository::envelope,
        tenant.value(),
        envelopeId);
  }

  @Override
  public List<RecipientRecord> recipients(TenantId tenant, EnvelopeId envelopeId) {
    return jdbc.query(
        "SELECT "
            + RECIPIENT_COLUMNS
            + " FROM recipients WHERE tenant_id = ? AND envelope_id = ? ORDER BY position",
        JdbcEnvelopeRepository::recipient,
        tenant.value(),
        envelopeId);
  }

  @Override
  public List<AttachmentRecord> attachments(TenantId tenant, EnvelopeId envelopeId) {
    return jdbc.query(
        "SELECT "
            + ATTACHMENT_COLUMNS
            + " FROM attachments WHERE tenant_id = ? AND envelope_id = ? ORDER BY position",
        rs ->
            new AttachmentRecord(
                rs.getString("id"),
                new EnvelopeId(rs.getString("envelope_id")),
                new TenantId(rs.getString("tenant_id")),
                rs.getInt("position"),
                rs.getString("blob_key"),
                rs.getLong("ciphertext_size"),
                Jdbc.instant(rs, "created_at")),
        tenant.value(),
        envelopeId);
  }

  @Override
  public List<EnvelopeRecord> page(TenantId tenant, Optional<PagePosition> after, int limit) {
    // Keyset pagination on (created_at, id): stable under inserts, no OFFSET scans.
    if (after.isEmpty()) {
      return jdbc.query(
          "SELECT "
              + ENVELOPE_COLUMNS
              + " FROM envelopes WHERE tenant_id = ? ORDER BY created_at DESC, id DESC"
              + " FETCH FIRST "
              + limit
              + " ROWS ONLY",
          JdbcEnvelopeRepository::envelope,
          tenant.value());
    }
    PagePosition p = after.get();
    return jdbc.query(
        "SELECT "
            + ENVELOPE_COLUMNS
            + " FROM envelopes WHERE tenant_id = ? AND (created_at < ? OR (created_at = ? AND id <"
            + " ?)) ORDER BY created_at DESC, id DESC FETCH FIRST "
            + limit
            + " ROWS ONLY",
        JdbcEnvelopeRepository::envelope,
        tenant.value(),
        p.createdAt(),
        p.createdAt(),
        p.id());
  }

  @Override
  public boolean revokeAndShred(TenantId tenant, EnvelopeId envelopeId, Instant now) {
    int n =
        jdbc.update(
            "UPDATE envelopes SET status = CASE WHEN status = 'ACTIVE' THEN 'REVOKED' ELSE status"
                + " END, revoked_at = CASE WHEN status = 'ACTIVE' THEN ? ELSE revoked_at END,"
                + " shredded_at = COALESCE(shredded_at, ?), custody_key = NULL, version = version"
                + " + 1 WHERE tenant_id = ? AND id = ?",
            now,
            now,
            tenant.value(),
            envelopeId);
    if (n == 0) {
      return false;
    }
    // The objects go next; should the process die first, the orphan sweep deletes them.
    new JdbcBlobCleanup(jdbc).schedule(BlobKey.of(tenant.value(), envelopeId.value()), now);
    jdbc.update(
        "UPDATE recipients SET server_share = NULL, otp_hash = NULL, version = version + 1"
            + " WHERE tenant_id = ? AND envelope_id = ?",
        tenant.value(),
        envelopeId);
    // A notification not yet sent carries the wrapped link secret: destroy it, never send it.
    jdbc.update(
        "UPDATE outbox SET payload = NULL, status = 'CANCELLED' WHERE tenant_id = ? AND"
            + " envelope_id = ? AND status <> 'SENT'",
        tenant.value(),
        envelopeId);
    // Stored idempotent answers hold the links (sealed): forget them too.
    jdbc.update(
        "UPDATE idempotency_keys SET response_body = NULL WHERE envelope_id = ?", envelopeId);
    return true;
  }

  @Override
  public void markBlobsDeleted(TenantId tenant, EnvelopeId envelopeId, Instant now) {
    jdbc.update(
        "UPDATE attachments SET deleted_at = COALESCE(deleted_at, ?) WHERE tenant_id = ? AND"
            + " envelope_id = ?",
        now,
        tenant.value(),
        envelopeId);
    new JdbcBlobCleanup(jdbc).done(BlobKey.of(tenant.value(), envelopeId.value()));
  }

  @Override
  public void insertNotification(
      String id,
      TenantId tenant,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      String payload,
      Instant now) {
    jdbc.update(
        "INSERT INTO outbox (id, tenant_id, envelope_id, recipient_id, kind, payload, status,"
            + " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'NOTIFICATION', ?,"
            + " 'PENDING', 0, ?, ?)",
        id,
        tenant.value(),
        envelopeId,
        recipientId,
        payload,
        now,
        now);
  }

  private static EnvelopeRecord envelope(ResultSet rs) throws SQLException {
    int maxOpens = rs.getInt("max_opens");
    Integer max = rs.wasNull() ? null : maxOpens;
    return new EnvelopeRecord(
        new EnvelopeId(rs.getString("id")),
        new TenantId(rs.getString("tenant_id")),
        rs.getString("created_by"),
        EnvelopeStatus.valueOf(rs.getString("status")),
        Jdbc.instant(rs, "created_at"),
        Jdbc.instant(rs, "expires_at"),
        Jdbc.instant(rs, "revoked_at"),
        Jdbc.instant(rs, "expired_at"),
        Jdbc.instant(rs, "shredded_at"),
        max,
        rs.getBoolean("notify"),
        rs.getString("signing_kid"),
        rs.getString("manifest_blob"),
        rs.getLong("manifest_size"),
        rs.getLong("total_size"),
        rs.getString("custody_key"),
        rs.getString("custody_kid"),
        rs.getBoolean("allow_reply"));
  }

  private static RecipientRecord recipient(ResultSet rs) throws SQLException {
    String method = rs.getString("verification_method");
    return new RecipientRecord(
        new RecipientId(rs.getString("id")),
        new EnvelopeId(rs.getString("envelope_id")),
        new TenantId(rs.getString("tenant_id")),
        rs.getInt("position"),
        RecipientType.valueOf(rs.getString("recipient_type")),
        rs.getString("email"),
        rs.getString("locale"),
        Optional.ofNullable(rs.getString("partner_id")).map(PartnerId::new).orElse(null),
        rs.getString("kid"),
        method == null ? null : VerificationMethod.valueOf(method),
        rs.getString("secret_hash"),
        rs.getString("secret_hint"),
        rs.getString("link_token_hash"),
        rs.getString("server_share"),
        RecipientStatus.valueOf(rs.getString("status")),
        Jdbc.instant(rs, "notified_at"),
        Jdbc.instant(rs, "first_opened_at"),
        Jdbc.instant(rs, "last_opened_at"),
        Jdbc.instant(rs, "locked_at"),
        rs.getInt("open_count"),
        rs.getInt("failed_attempts"),
        Jdbc.instant(rs, "created_at"));
  }
}
