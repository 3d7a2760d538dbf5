package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.application.AuditStore;
import dev.sealpost.api.application.RequestCorrelation;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.audit.AuditChain;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The tamper-evident audit log over JDBC. {@link #append} runs in the caller's transaction: it
 * locks the tenant's row in {@code audit_heads} ({@code SELECT ... FOR UPDATE}, so appends of one
 * tenant are serialised across server instances while other tenants proceed), computes the event's
 * hash over its fields and the previous hash ({@link AuditChain}, the same code the CLI verifies
 * with), inserts it and moves the head. Every {@code checkpointEvery}-th event also signs a
 * checkpoint. Any failure propagates, so the action being recorded fails with it (fail closed).
 */
public final class JdbcAuditLog implements AuditLog, AuditStore {
  private static final Logger LOG = Logger.getLogger(JdbcAuditLog.class.getName());

  private final JdbcTransactions tx;
  private final Jdbc jdbc;
  private final JdbcAuditCheckpoints checkpoints;
  private final int checkpointEvery;
  private volatile Consumer<AuditEventType> appended = type -> {};
  private volatile Consumer<AuditEvent> inTransaction = event -> {};

  public JdbcAuditLog(
      JdbcTransactions tx, Jdbc jdbc, KeyService keys, Clock clock, int checkpointEvery) {
    this.tx = tx;
    this.jdbc = jdbc;
    this.checkpoints = new JdbcAuditCheckpoints(jdbc, keys, clock);
    this.checkpointEvery = checkpointEvery;
  }

  /** Told the type of every event appended (the {@code sealpost.audit.events} counter). */
  public JdbcAuditLog onAppended(Consumer<AuditEventType> listener) {
    this.appended = listener;
    return this;
  }

  /**
   * Told every event in the transaction that appends it, after its row (webhook outbox rows, which
   * then commit or roll back with the event).
   */
  public JdbcAuditLog alsoInTransaction(Consumer<AuditEvent> listener) {
    this.inTransaction = listener;
    return this;
  }

  @Override
  public void append(AuditEvent e) {
    String tenant = e.tenantId().value();
    Head head = lockHead(tenant);
    long seq = head.seq() + 1;
    AuditRecord r =
        new AuditRecord(
                tenant,
                seq,
                e.type().name(),
                e.time(),
                clip(e.actor(), 120),
                clip(Objects.toString(e.envelopeId(), null), 36),
                clip(Objects.toString(e.recipientId(), null), 36),
                clip(e.ip(), 64),
                escapeUserAgent(e.userAgent()),
                head.seq() == 0 ? AuditChain.GENESIS : head.hash(),
                null)
            .withDetail(detailWithRequestId(e.detail()))
            .sealed();
    jdbc.update(
        "INSERT INTO audit_events (tenant_id, seq, event_type, occurred_at, actor, envelope_id,"
            + " recipient_id, ip, user_agent, prev_hash, hash, detail) VALUES (?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?)",
        tenant,
        seq,
        r.type(),
        OffsetDateTime.ofInstant(r.time(), ZoneOffset.UTC),
        r.actor(),
        r.envelopeId(),
        r.recipientId(),
        r.ip(),
        r.userAgent(),
        r.prevHash(),
        r.hash(),
        r.detail());
    jdbc.update(
        "UPDATE audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?", seq, r.hash(), tenant);
    if (seq % checkpointEvery == 0) {
      checkpoints.coverLocked(e.tenantId(), new Head(seq, r.hash()));
    }
    inTransaction.accept(e);
    appended.accept(e.type());
  }

  /**
   * The event's detail, with the request id of the request that caused it appended (issue 16;
   * {@link RequestCorrelation#withRequestId}): hashed with the rest, so it cannot be changed later.
   * A long detail is cut so that the request id always fits.
   */
  static String detailWithRequestId(String detail) {
    String full = RequestCorrelation.withRequestId(detail);
    if (full == null || full.length() <= AuditEvent.MAX_DETAIL) {
      return full;
    }
    int note = full.length() - (detail == null ? 0 : detail.length());
    return RequestCorrelation.withRequestId(clip(detail, AuditEvent.MAX_DETAIL - note));
  }

  /** The tenant's head row, locked until the transaction ends; created at seq 0 if missing. */
  private Head lockHead(String tenant) {
    Optional<Head> head = selectHeadForUpdate(tenant);
    if (head.isPresent()) {
      return head.get();
    }
    // First event of this tenant. Two first appends may race to create the row: the loser's
    // insert fails on the primary key; roll back to the savepoint (PostgreSQL would otherwise
    // abort the whole transaction) and lock the winner's row.
    Connection c = tx.connection();
    Savepoint sp = null;
    try {
      sp = c.setSavepoint();
      jdbc.update("INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?, 0, NULL)", tenant);
      c.releaseSavepoint(sp);
    } catch (DuplicateKeyException dup) {
      rollbackTo(c, sp, dup);
    } catch (SQLException ex) {
      throw new DataAccessException("could not create the audit head", ex);
    }
    return selectHeadForUpdate(tenant)
        .orElseThrow(() -> new IllegalStateException("audit head missing after insert"));
  }

  private static void rollbackTo(Connection c, Savepoint sp, RuntimeException cause) {
    try {
      c.rollback(sp);
    } catch (SQLException ex) {
      cause.addSuppressed(ex);
      throw cause;
    }
  }

  private Optional<Head> selectHeadForUpdate(String tenant) {
    return jdbc.queryOne(
        "SELECT seq, hash FROM audit_heads WHERE tenant_id = ? FOR UPDATE",
        rs -> new Head(rs.getLong(1), rs.getString(2)),
        tenant);
  }

  @Override
  public Optional<Head> head(TenantId tenant) {
    return jdbc.queryOne(
        "SELECT seq, hash FROM audit_heads WHERE tenant_id = ?",
        rs -> new Head(rs.getLong(1), rs.getString(2)),
        tenant.value());
  }

  @Override
  public Optional<Head> lockedHead(TenantId tenant) {
    return selectHeadForUpdate(tenant.value());
  }

  @Override
  public Optional<AuditCheckpoint> checkpointHead(TenantId tenant) {
    Optional<Head> head = selectHeadForUpdate(tenant.value());
    if (head.isEmpty() || head.get().seq() == 0) {
      return Optional.empty();
    }
    return Optional.of(checkpoints.coverLocked(tenant, head.get()));
  }

  @Override
  public List<AuditCheckpoint> checkpoints(
      TenantId tenant, long afterSeq, long upToSeq, int limit) {
    return checkpoints.list(tenant, afterSeq, upToSeq, limit);
  }

  @Override
  public List<AuditRecord> chain(TenantId tenant, long afterSeq, long upToSeq, int limit) {
    return AuditEventRows.chain(jdbc, tenant, afterSeq, upToSeq, limit);
  }

  @Override
  public List<AuditRecord> events(TenantId tenant, Filter f, long afterSeq, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(AuditEventRows.COLUMNS)
            .append(" FROM audit_events WHERE tenant_id = ? AND seq > ?");
    List<Object> params = new ArrayList<>(List.of(tenant.value(), afterSeq));
    f.envelopeId().ifPresent(v -> add(sql, params, " AND envelope_id = ?", v));
    f.recipientId().ifPresent(v -> add(sql, params, " AND recipient_id = ?", v));
    f.type().ifPresent(v -> add(sql, params, " AND event_type = ?", v.name()));
    f.actor().ifPresent(v -> add(sql, params, " AND actor = ?", v));
    f.from()
        .ifPresent(
            v ->
                add(
                    sql,
                    params,
                    " AND occurred_at >= ?",
                    OffsetDateTime.ofInstant(v, ZoneOffset.UTC)));
    f.to()
        .ifPresent(
            v ->
                add(
                    sql,
                    params,
                    " AND occurred_at < ?",
                    OffsetDateTime.ofInstant(v, ZoneOffset.UTC)));
    sql.append(" ORDER BY seq LIMIT ?");
    params.add(limit);
    return jdbc.query(sql.toString(), rs -> AuditEventRows.record(tenant, rs), params.toArray());
  }

  private static void add(StringBuilder sql, List<Object> params, String clause, Object value) {
    sql.append(clause);
    params.add(value);
  }

  @Override
  public long prune(TenantId tenant, Instant olderThan) {
    Optional<Head> head = selectHeadForUpdate(tenant.value());
    if (head.isEmpty() || head.get().seq() <= 1) {
      return 0;
    }
    long headSeq = head.get().seq();
    // The oldest event young enough to keep; the newest event is kept in any case.
    long firstKept =
        jdbc.queryOne(
                "SELECT COALESCE(MIN(seq), ?) FROM audit_events WHERE tenant_id = ? AND"
                    + " occurred_at >= ?",
                rs -> rs.getLong(1),
                headSeq,
                tenant.value(),
                OffsetDateTime.ofInstant(olderThan, ZoneOffset.UTC))
            .orElse(headSeq);
    long anchor =
        jdbc.queryOne(
                "SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoints WHERE tenant_id = ? AND seq"
                    + " < ?",
                rs -> rs.getLong(1),
                tenant.value(),
                Math.min(firstKept, headSeq))
            .orElse(0L);
    if (anchor <= 0) {
      return 0;
    }
    int events =
        jdbc.update(
            "DELETE FROM audit_events WHERE tenant_id = ? AND seq <= ?", tenant.value(), anchor);
    jdbc.update(
        "DELETE FROM audit_checkpoints WHERE tenant_id = ? AND seq < ?", tenant.value(), anchor);
    if (events > 0) {
      LOG.info(
          "audit retention: deleted "
              + events
              + " events of tenant "
              + tenant
              + " up to seq "
              + anchor
              + " (older than "
              + olderThan
              + "); the checkpoint at seq "
              + anchor
              + " anchors the rest");
    }
    return anchor;
  }

  @Override
  public List<TenantId> tenantsWithEventsBefore(Instant olderThan) {
    return jdbc.query(
        // One index probe per tenant (ix_audit_events_tenant_time), not a scan of every event.
        "SELECT h.tenant_id FROM audit_heads h WHERE EXISTS (SELECT 1 FROM audit_events e"
            + " WHERE e.tenant_id = h.tenant_id AND e.occurred_at < ?)",
        rs -> new TenantId(rs.getString(1)),
        OffsetDateTime.ofInstant(olderThan, ZoneOffset.UTC));
  }

  @Override
  public List<TenantId> tenantsDueForCheckpoint(Instant signedBefore) {
    return jdbc.query(
        "SELECT h.tenant_id FROM audit_heads h WHERE h.seq > 0 AND NOT EXISTS (SELECT 1 FROM"
            + " audit_checkpoints c WHERE c.tenant_id = h.tenant_id AND (c.seq >= h.seq OR"
            + " c.created_at >= ?))",
        rs -> new TenantId(rs.getString(1)),
        OffsetDateTime.ofInstant(signedBefore, ZoneOffset.UTC));
  }

  private static String clip(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /**
   * The user agent as an inert, single-line string of at most 512 characters: backslash and control
   * characters (C0, DEL, C1, line and paragraph separators) become {@code \\uXXXX} escapes, so a
   * hostile header can neither forge log lines nor carry terminal escapes.
   */
  static String escapeUserAgent(String ua) {
    if (ua == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(Math.min(ua.length(), 512) + 16);
    for (int i = 0; i < ua.length() && sb.length() < 512; i++) {
      char c = ua.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return clip(sb.toString(), 512);
  }
}
