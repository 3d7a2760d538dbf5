package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.BlobKey;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.infrastructure.blobs.FileSystemBlobStore;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcAuditLog;
import dev.sealpost.api.infrastructure.jdbc.JdbcEnvelopeRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcExpiredEnvelopes;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expiry sweep over a real (file) H2 database, real audit log, real blob store. */
class ExpireEnvelopesTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private FileSystemBlobStore blobs;
  private JdbcAuditLog audit;
  private final TenantId tenant = TenantId.random();
  private final Instant now = Instant.parse("2026-11-29T20:00:00Z");

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(8);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    blobs = FileSystemBlobStore.open(dir.resolve("blobs"));
    LocalKeyService keys =
        LocalKeyService.open(
            dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), Clock.systemUTC());
    audit = new JdbcAuditLog(tx, jdbc, keys, Clock.systemUTC(), 1000);
    tx.run(
        () ->
            new JdbcTenantRepository(jdbc)
                .insert(new Tenant(tenant, "t", TenantSettings.defaults("T"), false, now)));
    keys.ensureSigningKey(tenant);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private String envelope(Instant expiresAt) throws Exception {
    String id = UUID.randomUUID().toString();
    tx.run(
        () -> {
          jdbc.update(
              "INSERT INTO envelopes (id, tenant_id, status, created_at, expires_at, notify,"
                  + " custody_key, version) VALUES (?, ?, 'ACTIVE', ?, ?, FALSE, 'wrapped', 0)",
              id,
              tenant.value(),
              now.minusSeconds(3600),
              expiresAt);
          jdbc.update(
              "INSERT INTO recipients (id, envelope_id, tenant_id, position, recipient_type,"
                  + " server_share, status, open_count, failed_attempts, otp_attempts,"
                  + " created_at, version) VALUES (?, ?, ?, 0, 'CONSUMER', 'share', 'PENDING', 0,"
                  + " 0, 0, ?, 0)",
              UUID.randomUUID().toString(),
              id,
              tenant.value(),
              now);
        });
    blobs.put(
        BlobKey.of(tenant.value(), id, "manifest.jwe"), new ByteArrayInputStream(new byte[1]));
    return id;
  }

  private ExpireEnvelopes sweeper() {
    return new ExpireEnvelopes(
        tx,
        new JdbcExpiredEnvelopes(jdbc),
        new JdbcEnvelopeRepository(jdbc),
        blobs,
        audit,
        Clock.fixed(now, java.time.ZoneOffset.UTC),
        new ExpirySweepInterval(Duration.ofMinutes(1)));
  }

  private String status(String id) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne("SELECT status FROM envelopes WHERE id = ?", rs -> rs.getString(1), id)
                .orElseThrow());
  }

  private List<String> events(String id) {
    return tx.inTransaction(
        () ->
            jdbc.query(
                "SELECT event_type FROM audit_events WHERE envelope_id = ? ORDER BY seq",
                rs -> rs.getString(1),
                id));
  }

  @Test
  void expiredEnvelope_isShredded_auditedAndItsObjectsDeleted() throws Exception {
    String expired = envelope(now.minusSeconds(1));
    String atTheSecond = envelope(now);
    String alive = envelope(now.plusSeconds(60));

    assertThat(sweeper().sweep()).isEqualTo(2);

    for (String id : List.of(expired, atTheSecond)) {
      assertThat(status(id)).isEqualTo("EXPIRED");
      assertThat(events(id)).containsExactly("ENVELOPE_EXPIRED", "KEYS_SHREDDED");
      assertThat(blobs.exists(BlobKey.of(tenant.value(), id, "manifest.jwe"))).isFalse();
      assertThat(
              tx.inTransaction(
                  () ->
                      jdbc.query(
                          "SELECT server_share FROM recipients WHERE envelope_id = ?",
                          rs -> Optional.ofNullable(rs.getString(1)),
                          id)))
          .containsOnly(Optional.empty());
      assertThat(
              tx.inTransaction(
                  () ->
                      jdbc.queryOne(
                          "SELECT custody_key FROM envelopes WHERE id = ?",
                          rs -> Optional.ofNullable(rs.getString(1)),
                          id)))
          .contains(Optional.empty());
    }
    assertThat(status(alive)).isEqualTo("ACTIVE");
    assertThat(events(alive)).isEmpty();
    assertThat(blobs.exists(BlobKey.of(tenant.value(), alive, "manifest.jwe"))).isTrue();

    assertThat(sweeper().sweep()).isZero(); // nothing twice
    assertThat(events(expired)).hasSize(2);
  }

  @Test
  void sweepersRacing_expireEachEnvelopeExactlyOnce() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(envelope(now.minusSeconds(10 + i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> sweeps = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        sweeps.add(() -> sweeper().sweep());
      }
      int total = 0;
      for (Future<Integer> f : pool.invokeAll(sweeps)) {
        total += f.get();
      }
      assertThat(total).isEqualTo(30);
    } finally {
      pool.shutdown();
    }
    for (String id : ids) {
      assertThat(status(id)).isEqualTo("EXPIRED");
      assertThat(events(id)).containsExactly("ENVELOPE_EXPIRED", "KEYS_SHREDDED");
    }
  }
}
