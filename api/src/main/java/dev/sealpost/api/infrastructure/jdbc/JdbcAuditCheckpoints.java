package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.application.AuditChainBrokenException;
import dev.sealpost.api.application.AuditStore.Head;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditRecord;
import dev.sealpost.audit.AuditVerification;
import dev.sealpost.audit.AuditVerifier;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.TrustedKeys;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The {@code audit_checkpoints} table of {@link JdbcAuditLog}: reading checkpoints, and signing a
 * new one over a locked head only after the events since the previous checkpoint are checked to
 * chain onto it.
 */
final class JdbcAuditCheckpoints {
  private static final Logger LOG = Logger.getLogger(JdbcAuditLog.class.getName());
  private static final String COLUMNS = "seq, head_hash, jws, created_at";

  private final Jdbc jdbc;
  private final KeyService keys;
  private final Clock clock;

  JdbcAuditCheckpoints(Jdbc jdbc, KeyService keys, Clock clock) {
    this.jdbc = jdbc;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * With the head locked: the latest checkpoint if it covers the head, else a new one, signed only
   * after the events since the previous checkpoint are checked to chain onto it and end at the head
   * (so the server never signs over a chain that was altered since it last signed).
   */
  AuditCheckpoint coverLocked(TenantId tenant, Head head) {
    Optional<AuditCheckpoint> latest = latest(tenant);
    if (latest.isPresent() && latest.get().seq() >= head.seq()) {
      return latest.get();
    }
    AuditVerifier verifier = new AuditVerifier(tenant.value());
    long after = 0;
    if (latest.isPresent()) {
      TrustedKeys trusted = TrustedKeys.fromJwksJson(keys.publicJwksJson());
      try {
        verifier.checkpoint(AuditCheckpoint.verify(latest.get().jws(), trusted, tenant.value()));
      } catch (RuntimeException e) {
        throw broken(tenant, "the latest checkpoint does not verify: " + e.getMessage());
      }
      after = latest.get().seq();
    }
    checkChain(verifier, tenant, after, head);
    return signAndStore(tenant, head);
  }

  /** Feeds the events after {@code after} up to the head to the verifier; throws if they break. */
  private void checkChain(AuditVerifier verifier, TenantId tenant, long after, Head head) {
    while (after < head.seq()) {
      List<AuditRecord> page = AuditEventRows.chain(jdbc, tenant, after, head.seq(), 1000);
      if (page.isEmpty()) {
        break;
      }
      boolean good = true;
      for (AuditRecord r : page) {
        good = good && verifier.accept(r);
      }
      if (!good) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    AuditVerification v = verifier.finish(head.seq(), head.hash());
    if (!v.ok()) {
      throw broken(tenant, "seq " + v.firstBadSeq() + ": " + v.reason());
    }
  }

  private AuditCheckpoint signAndStore(TenantId tenant, Head head) {
    TenantSigner signer = keys.signer(tenant);
    AuditCheckpoint cp =
        AuditCheckpoint.sign(
            tenant.value(),
            head.seq(),
            head.hash(),
            clock.instant(),
            new ManifestSigner() {
              @Override
              public String keyId() {
                return signer.keyId();
              }

              @Override
              public byte[] sign(byte[] signingInput) {
                return signer.sign(signingInput);
              }
            });
    jdbc.update(
        "INSERT INTO audit_checkpoints (id, tenant_id, seq, head_hash, jws, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        UUID.randomUUID().toString(),
        tenant.value(),
        cp.seq(),
        cp.head(),
        cp.jws(),
        OffsetDateTime.ofInstant(cp.time(), ZoneOffset.UTC));
    return cp;
  }

  private static AuditChainBrokenException broken(TenantId tenant, String why) {
    String message = "audit chain of tenant " + tenant + " does not verify; not signing: " + why;
    LOG.severe(message);
    return new AuditChainBrokenException(message);
  }

  private Optional<AuditCheckpoint> latest(TenantId tenant) {
    return jdbc
        .query(
            "SELECT "
                + COLUMNS
                + " FROM audit_checkpoints WHERE tenant_id = ?"
                + " ORDER BY seq DESC LIMIT 1",
            rs -> checkpoint(tenant, rs),
            tenant.value())
        .stream()
        .findFirst();
  }

  /** Stored checkpoints (signatures not checked) with {@code afterSeq < seq <= upToSeq}. */
  List<AuditCheckpoint> list(TenantId tenant, long afterSeq, long upToSeq, int limit) {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM audit_checkpoints WHERE tenant_id = ?"
            + " AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
        rs -> checkpoint(tenant, rs),
        tenant.value(),
        afterSeq,
        upToSeq,
        limit);
  }

  private static AuditCheckpoint checkpoint(TenantId tenant, ResultSet rs) throws SQLException {
    return AuditCheckpoint.unverified(
        tenant.value(),
        rs.getLong("seq"),
        rs.getString("head_hash"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getString("jws"));
  }
}
