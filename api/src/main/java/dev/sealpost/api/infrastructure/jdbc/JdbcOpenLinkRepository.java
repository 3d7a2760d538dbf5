package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.EnvelopeStatus;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.RecipientStatus;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Instant;
import java.util.Optional;

/** Recipient counters and open_sessions (V1 + V20). Every limit is a guarded UPDATE. */
public final class JdbcOpenLinkRepository implements OpenLinkRepository {
  private final Jdbc jdbc;

  public JdbcOpenLinkRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<LinkState> lock(EnvelopeId envelopeId, RecipientId recipientId) {
    // Lock the recipient row first (plain single-table FOR UPDATE works alike on H2 and
    // PostgreSQL).
    Optional<String> locked =
        jdbc.queryOne(
            "SELECT id FROM recipients WHERE id = ? AND envelope_id = ? AND recipient_type ="
                + " 'CONSUMER' FOR UPDATE",
            rs -> rs.getString(1),
            recipientId,
            envelopeId);
    if (locked.isEmpty()) {
      return Optional.empty();
    }
    return jdbc.queryOne(STATE + " WHERE r.id = ?", JdbcOpenLinkRepository::state, recipientId);
  }

  @Override
  public Optional<LinkState> read(EnvelopeId envelopeId, RecipientId recipientId) {
    return jdbc.queryOne(
        STATE + " WHERE r.id = ? AND r.envelope_id = ? AND r.recipient_type = 'CONSUMER'",
        JdbcOpenLinkRepository::state,
        recipientId,
        envelopeId);
  }

  private static final String STATE =
      "SELECT r.tenant_id, r.envelope_id, r.id, r.email, r.locale, r.verification_method,"
          + " r.secret_hash, r.secret_hint, r.link_token_hash, r.server_share, r.status,"
          + " r.failed_attempts, r.open_count, r.otp_hash, r.otp_expires_at, r.otp_requests,"
          + " r.otp_window_start, e.status AS envelope_status, e.expires_at, e.max_opens,"
          + " e.manifest_blob FROM recipients r JOIN envelopes e ON e.id = r.envelope_id";

  private static LinkState state(java.sql.ResultSet rs) throws java.sql.SQLException {

    int maxOpens = rs.getInt("max_opens");
    Integer max = rs.wasNull() ? null : maxOpens;
    String m = rs.getString("verification_method");
    return new LinkState(
        new TenantId(rs.getString("tenant_id")),
        new EnvelopeId(rs.getString("envelope_id")),
        new RecipientId(rs.getString("id")),
        rs.getString("email"),
        rs.getString("locale"),
        m == null ? VerificationMethod.EMAIL_OTP : VerificationMethod.valueOf(m),
        rs.getString("secret_hash"),
        rs.getString("secret_hint"),
        rs.getString("link_token_hash"),
        rs.getString("server_share"),
        RecipientStatus.valueOf(rs.getString("status")),
        rs.getInt("failed_attempts"),
        rs.getInt("open_count"),
        rs.getString("otp_hash"),
        Jdbc.instant(rs, "otp_expires_at"),
        rs.getInt("otp_requests"),
        Jdbc.instant(rs, "otp_window_start"),
        EnvelopeStatus.valueOf(rs.getString("envelope_status")),
        Jdbc.instant(rs, "expires_at"),
        max,
        rs.getString("manifest_blob"));
  }

  @Override
  public boolean storeCode(
      RecipientId recipientId,
      String otpHash,
      Instant otpExpiresAt,
      Instant now,
      Instant windowCutoff,
      int maxRequests) {
    return jdbc.update(
            "UPDATE recipients SET otp_hash = ?, otp_expires_at = ?, otp_attempts = 0,"
                + " otp_requests = CASE WHEN otp_window_start IS NULL OR otp_window_start <= ? THEN"
                + " 1 ELSE otp_requests + 1 END, otp_window_start = CASE WHEN otp_window_start IS"
                + " NULL OR otp_window_start <= ? THEN ? ELSE otp_window_start END, version ="
                + " version + 1 WHERE id = ? AND status <> 'LOCKED' AND (otp_window_start IS NULL OR"
                + " otp_window_start <= ? OR otp_requests < ?)",
            otpHash,
            otpExpiresAt,
            windowCutoff,
            windowCutoff,
            now,
            recipientId,
            windowCutoff,
            maxRequests)
        == 1;
  }

  @Override
  public int recordFailure(RecipientId recipientId, Instant now, int maxAttempts) {
    jdbc.update(
        "UPDATE recipients SET failed_attempts = failed_attempts + 1, otp_attempts = otp_attempts"
            + " + 1, status = CASE WHEN failed_attempts + 1 >= ? THEN 'LOCKED' ELSE status END,"
            + " locked_at = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_at END, otp_hash"
            + " = CASE WHEN failed_attempts + 1 >= ? THEN NULL ELSE otp_hash END, version = version"
            + " + 1 WHERE id = ? AND status <> 'LOCKED'",
        maxAttempts,
        maxAttempts,
        now,
        maxAttempts,
        recipientId);
    return jdbc.queryOne(
            "SELECT failed_attempts FROM recipients WHERE id = ?", rs -> rs.getInt(1), recipientId)
        .orElse(maxAttempts);
  }

  @Override
  public boolean recordOpen(RecipientId recipientId, Instant now, String otpHash) {
    String sql =
        "UPDATE recipients SET open_count = open_count + 1, status = 'OPENED', first_opened_at ="
            + " COALESCE(first_opened_at, ?), last_opened_at = ?, failed_attempts = 0, otp_hash ="
            + " NULL, otp_expires_at = NULL, otp_attempts = 0, version = version + 1 WHERE id = ?"
            + " AND status <> 'LOCKED' AND server_share IS NOT NULL"
            + (otpHash == null ? "" : " AND otp_hash = ? AND otp_expires_at > ?")
            + " AND EXISTS (SELECT 1 FROM envelopes e WHERE e.id = recipients.envelope_id AND"
            + " e.status = 'ACTIVE' AND (e.expires_at IS NULL OR e.expires_at > ?) AND"
            + " (e.max_opens IS NULL OR recipients.open_count < e.max_opens))";
    int n =
        otpHash == null
            ? jdbc.update(sql, now, now, recipientId, now)
            : jdbc.update(sql, now, now, recipientId, otpHash, now, now);
    return n == 1;
  }

  @Override
  public void insertSession(String tokenHash, OpenSession s, Instant now) {
    jdbc.update(
        "INSERT INTO open_sessions (token_hash, tenant_id, envelope_id, recipient_id, created_at,"
            + " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        tokenHash,
        s.tenantId().value(),
        s.envelopeId(),
        s.recipientId(),
        now,
        s.expiresAt());
    // Housekeeping: expired tokens are useless; keep the table small.
    jdbc.update("DELETE FROM open_sessions WHERE expires_at < ?", now.minusSeconds(3600));
  }

  @Override
  public Optional<OpenSession> session(String tokenHash) {
    return jdbc.queryOne(
        "SELECT tenant_id, envelope_id, recipient_id, expires_at FROM open_sessions WHERE"
            + " token_hash = ?",
        rs ->
            new OpenSession(
                new TenantId(rs.getString("tenant_id")),
                new EnvelopeId(rs.getString("envelope_id")),
                new RecipientId(rs.getString("recipient_id")),
                Jdbc.instant(rs, "expires_at")),
        tokenHash);
  }

  @Override
  public int reissueCount(EnvelopeId envelopeId, RecipientId recipientId) {
    return jdbc.queryOne(
            "SELECT reissue_count FROM recipients WHERE id = ? AND envelope_id = ?",
            rs -> rs.getInt(1),
            recipientId.value(),
            envelopeId.value())
        .orElse(0);
  }

  @Override
  public boolean reissue(
      TenantId tenant,
      EnvelopeId envelopeId,
      RecipientId recipientId,
      NewLink link,
      boolean liftLock,
      int maxReissues) {
    String lift =
        liftLock
            ? " status = CASE WHEN status = 'LOCKED' THEN 'PENDING' ELSE status END, locked_at ="
                + " NULL, failed_attempts = 0, otp_requests = 0, otp_window_start = NULL,"
            : "";
    int n =
        jdbc.update(
            "UPDATE recipients SET link_token_hash = ?, server_share = ?,"
                + lift
                + " otp_hash = NULL, otp_expires_at = NULL, otp_attempts = 0, reissue_count ="
                + " reissue_count + 1, version = version + 1 WHERE tenant_id = ? AND envelope_id"
                + " = ? AND id = ? AND recipient_type = 'CONSUMER' AND reissue_count < ?",
            link.tokenHash(),
            link.serverShare(),
            tenant.value(),
            envelopeId.value(),
            recipientId.value(),
            maxReissues);
    if (n != 1) {
      return false;
    }
    jdbc.update(
        "DELETE FROM open_sessions WHERE envelope_id = ? AND recipient_id = ?",
        envelopeId.value(),
        recipientId.value());
    return true;
  }
}
