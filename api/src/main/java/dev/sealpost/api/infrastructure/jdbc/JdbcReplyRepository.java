package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.ReplyRecord;
import dev.sealpost.api.domain.ReplyRefusedException;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Replies, their attachment objects and the tenant's reply keys (V71). */
public final class JdbcReplyRepository implements ReplyRepository {
  private static final String COLUMNS =
      "id, tenant_id, envelope_id, recipient_id, received_at, manifest_blob, manifest_size,"
          + " manifest_sha256, receipt";

  private final Jdbc jdbc;

  public JdbcReplyRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<String> replyKeys(TenantId tenant) {
    return jdbc.queryOne(
            "SELECT reply_jwks FROM tenants WHERE id = ?",
            rs -> Optional.ofNullable(rs.getString(1)),
            tenant)
        .flatMap(x -> x);
  }

  @Override
  public void setReplyKeys(TenantId tenant, Optional<String> jwks) {
    jdbc.update("UPDATE tenants SET reply_jwks = ? WHERE id = ?", jwks.orElse(null), tenant);
  }

  @Override
  public boolean allowsReply(TenantId tenant, EnvelopeId envelope) {
    return jdbc.queryOne(
            "SELECT allow_reply FROM envelopes WHERE id = ? AND tenant_id = ?",
            rs -> rs.getBoolean(1),
            envelope,
            tenant)
        .orElse(false);
  }

  @Override
  public int countByRecipient(RecipientId recipient) {
    return jdbc.queryOne(
            "SELECT COUNT(*) FROM replies WHERE recipient_id = ?", rs -> rs.getInt(1), recipient)
        .orElse(0);
  }

  @Override
  public boolean exists(String replyId) {
    return jdbc.queryOne("SELECT 1 FROM replies WHERE id = ?", rs -> true, replyId).isPresent();
  }

  @Override
  public void insert(ReplyRecord r) {
    boolean inserted =
        jdbc.updateUnlessDuplicate(
            "INSERT INTO replies (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            r.id(),
            r.tenantId(),
            r.envelopeId(),
            r.recipientId(),
            r.received(),
            r.manifestBlob(),
            r.manifestSize(),
            r.manifestSha256(),
            r.receipt());
    if (!inserted) {
      throw new ReplyRefusedException(
          ReplyRefusedException.Reason.ID_USED, "this replyId is already used");
    }
    int position = 0;
    for (ReplyRecord.Part a : r.attachments()) {
      jdbc.update(
          "INSERT INTO reply_attachments (reply_id, position, id, blob_key, size, sha256)"
              + " VALUES (?, ?, ?, ?, ?, ?)",
          r.id(),
          position++,
          a.id(),
          a.blobKey(),
          a.size(),
          a.sha256());
    }
  }

  @Override
  public List<ReplyRecord> list(TenantId tenant, EnvelopeId envelope) {
    List<ReplyRecord> heads =
        jdbc.query(
            "SELECT "
                + COLUMNS
                + " FROM replies WHERE tenant_id = ? AND envelope_id = ?"
                + " ORDER BY received_at, id",
            JdbcReplyRepository::head,
            tenant,
            envelope);
    List<ReplyRecord> out = new ArrayList<>();
    for (ReplyRecord h : heads) {
      out.add(withAttachments(h));
    }
    return out;
  }

  @Override
  public Optional<ReplyRecord> find(TenantId tenant, EnvelopeId envelope, String replyId) {
    return jdbc.queryOne(
            "SELECT "
                + COLUMNS
                + " FROM replies WHERE tenant_id = ? AND envelope_id = ? AND id = ?",
            JdbcReplyRepository::head,
            tenant,
            envelope,
            replyId)
        .map(this::withAttachments);
  }

  private ReplyRecord withAttachments(ReplyRecord h) {
    List<ReplyRecord.Part> parts =
        jdbc.query(
            "SELECT id, blob_key, size, sha256 FROM reply_attachments WHERE reply_id = ?"
                + " ORDER BY position",
            rs ->
                new ReplyRecord.Part(
                    rs.getString("id"),
                    rs.getString("blob_key"),
                    rs.getLong("size"),
                    rs.getString("sha256")),
            h.id());
    return new ReplyRecord(
        h.id(),
        h.tenantId(),
        h.envelopeId(),
        h.recipientId(),
        h.received(),
        h.manifestBlob(),
        h.manifestSize(),
        h.manifestSha256(),
        parts,
        h.receipt());
  }

  private static ReplyRecord head(ResultSet rs) throws SQLException {
    return new ReplyRecord(
        rs.getString("id"),
        new TenantId(rs.getString("tenant_id")),
        new EnvelopeId(rs.getString("envelope_id")),
        new RecipientId(rs.getString("recipient_id")),
        Jdbc.instant(rs, "received_at"),
        rs.getString("manifest_blob"),
        rs.getLong("manifest_size"),
        rs.getString("manifest_sha256"),
        List.of(),
        rs.getString("receipt"));
  }
}
