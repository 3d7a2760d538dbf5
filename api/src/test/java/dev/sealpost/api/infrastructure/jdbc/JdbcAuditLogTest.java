package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.AuditChainBrokenException;
import dev.sealpost.api.application.AuditQueries;
import dev.sealpost.api.application.AuditRetention;
import dev.sealpost.api.application.AuditRetentionPeriod;
import dev.sealpost.api.application.AuditStore;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import dev.sealpost.audit.AuditExportReader;
import dev.sealpost.audit.AuditRecord;
import dev.sealpost.audit.AuditVerification;
import dev.sealpost.envelope.TrustedKeys;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit chain on a real (in-memory H2) database migrated by the real Flyway scripts. */
class JdbcAuditLogTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private LocalKeyService keys;
  private JdbcAuditLog log;
  private AuditQueries queries;
  private final TenantId tenant = TenantId.random();
  private final TenantId other = TenantId.random();

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    JdbcTenantRepository tenants = new JdbcTenantRepository(jdbc);
    keys =
        LocalKeyService.open(
            dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), Clock.systemUTC());
    for (TenantId t : List.of(tenant, other)) {
      tx.run(
          () -> {
            tenants.insert(
                new Tenant(
                    t,
                    "t-" + t.value().substring(0, 8),
                    // Display names are unique across the server (by skeleton).
                    TenantSettings.defaults("T " + t.value().substring(0, 8)),
                    false,
                    Instant.now()));
            keys.ensureSigningKey(t);
          });
    }
    log = new JdbcAuditLog(tx, jdbc, keys, Clock.systemUTC(), 10);
    queries = new AuditQueries(tx, log, log, keys, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Caller auditor(TenantId t) {
    return new Caller(new ApiKeyId("k-auditor"), t, Role.AUDITOR, Optional.empty(), false);
  }

  private void append(TenantId t, int n) {
    for (int i = 0; i < n; i++) {
      int k = i;
      tx.run(
          () ->
              log.append(
                  AuditEvent.of(
                          AuditEventType.ENVELOPE_OPENED,
                          t,
                          "recipient:r" + k,
                          new ClientInfo("198.51.100." + (k % 250), "Mozilla/5.0 (" + k + ")"),
                          Instant.now())
                      .withEnvelope(new EnvelopeId("env-" + (k % 3)), new RecipientId("r" + k))));
    }
  }

  private AuditVerification verify() {
    return queries.verify(auditor(tenant)).result();
  }

  private void sql(String sql, Object... params) {
    tx.run(() -> jdbc.update(sql, params));
  }

  @Test
  void appends_chainAndSignEveryTenthEvent_andVerify() {
    append(tenant, 25);
    long checkpoints =
        tx.inTransaction(
            () ->
                jdbc.queryOne(
                        "SELECT COUNT(*) FROM audit_checkpoints WHERE tenant_id = ?",
                        rs -> rs.getLong(1),
                        tenant.value())
                    .orElseThrow());
    assertThat(checkpoints).isEqualTo(2);
    AuditVerification v = verify();
    assertThat(v.ok()).as(v.toString()).isTrue();
    assertThat(v.events()).isEqualTo(25);
    // verify signs the head it checked
    assertThat(v.checkpoint().seq()).isEqualTo(25);
    assertThat(tx.inTransaction(() -> log.head(tenant)).orElseThrow().seq()).isEqualTo(25);
  }

  private void appendAt(TenantId t, int n, Instant at) {
    for (int i = 0; i < n; i++) {
      tx.run(
          () ->
              log.append(
                  AuditEvent.of(
                      AuditEventType.API_KEY_CREATED,
                      t,
                      "system",
                      new ClientInfo("198.51.100.1", "retention-test"),
                      at)));
    }
  }

  private long countEvents(TenantId t) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT COUNT(*) FROM audit_events WHERE tenant_id = ?",
                    rs -> rs.getLong(1),
                    t.value())
                .orElseThrow());
  }

  @Test
  void retention_deletesOldEventsUpToASignedCheckpoint_andTheRestStillVerifies() throws Exception {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    Instant sevenYearsAgo = Instant.parse("2019-11-01T00:00:00Z");
    appendAt(tenant, 25, sevenYearsAgo); // checkpoints at seq 10 and 20
    appendAt(tenant, 5, now.minusSeconds(3600)); // seq 26..30, checkpoint at 30
    appendAt(other, 12, sevenYearsAgo); // another tenant, checkpoint at 10
    AuditRetention retention =
        new AuditRetention(
            tx, log, Clock.fixed(now, ZoneOffset.UTC), new AuditRetentionPeriod(Period.ofYears(6)));

    retention.run();

    // Seq 21..25 are old too, but no checkpoint ends there: they stay with the young events.
    assertThat(
            tx.inTransaction(() -> log.chain(tenant, 0, Long.MAX_VALUE, 100)).stream()
                .map(AuditRecord::seq)
                .toList())
        .containsExactly(21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L);
    assertThat(
            tx.inTransaction(() -> log.checkpoints(tenant, 0, Long.MAX_VALUE, 100)).stream()
                .map(c -> c.seq())
                .toList())
        .containsExactly(20L, 30L);
    AuditVerification v = verify();
    assertThat(v.ok()).as(v.toString()).isTrue();
    assertThat(v.events()).isEqualTo(10);
    // The export starts at the anchor and verifies offline.
    StringWriter out = new StringWriter();
    queries.export(auditor(tenant), false, new ClientInfo("192.0.2.1", "cli")).writeTo(out);
    AuditVerification offline =
        AuditExportReader.verify(
            new StringReader(out.toString()),
            TrustedKeys.fromJwksJson(keys.publicJwksJson()),
            List.of());
    assertThat(offline.ok()).as(offline.toString()).isTrue();
    // The other tenant keeps its newest event (seq 11, 12 after the anchor at 10).
    assertThat(countEvents(other)).isEqualTo(2);

    // A second pass finds nothing more to delete; tampering with what is left is still caught.
    retention.run();
    assertThat(countEvents(tenant)).isEqualTo(11); // + AUDIT_EXPORTED
    sql("DELETE FROM audit_events WHERE tenant_id = ? AND seq = 21", tenant.value());
    AuditVerification tampered = verify();
    assertThat(tampered.ok()).isFalse();
    assertThat(tampered.firstBadSeq()).isEqualTo(21);
  }

  @Test
  void retention_keepsEverythingYoungerThanThePeriod() {
    appendAt(tenant, 25, Instant.now().minus(java.time.Duration.ofDays(5 * 365)));
    new AuditRetention(tx, log, Clock.systemUTC(), new AuditRetentionPeriod(Period.ofYears(6)))
        .run();
    assertThat(countEvents(tenant)).isEqualTo(25);
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void editedEvent_isReportedAtItsSeq() {
    append(tenant, 15);
    sql(
        "UPDATE audit_events SET ip = '203.0.113.66' WHERE tenant_id = ? AND seq = 5",
        tenant.value());
    AuditVerification v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
  }

  @Test
  void deletedEvent_isReported() {
    append(tenant, 15);
    sql("DELETE FROM audit_events WHERE tenant_id = ? AND seq = 7", tenant.value());
    AuditVerification v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(7);
  }

  @Test
  void swappedEvents_areReported() {
    append(tenant, 15);
    sql("UPDATE audit_events SET seq = -1 WHERE tenant_id = ? AND seq = 3", tenant.value());
    sql("UPDATE audit_events SET seq = 3 WHERE tenant_id = ? AND seq = 4", tenant.value());
    sql("UPDATE audit_events SET seq = 4 WHERE tenant_id = ? AND seq = -1", tenant.value());
    AuditVerification v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(3);
  }

  @Test
  void droppedTail_isReported_evenWithTheHeadRowRewound() {
    append(tenant, 25);
    assertThat(verify().ok()).isTrue(); // signs 25
    sql("DELETE FROM audit_events WHERE tenant_id = ? AND seq > 22", tenant.value());
    AuditVerification v = verify();
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(23);
    String hash22 =
        tx.inTransaction(
            () ->
                jdbc.queryOne(
                        "SELECT hash FROM audit_events WHERE tenant_id = ? AND seq = 22",
                        rs -> rs.getString(1),
                        tenant.value())
                    .orElseThrow());
    sql("UPDATE audit_heads SET seq = 22, hash = ? WHERE tenant_id = ?", hash22, tenant.value());
    AuditVerification v2 = verify();
    assertThat(v2.ok()).isFalse();
    assertThat(v2.firstBadSeq()).isEqualTo(23);
    assertThat(v2.reason()).contains("removed from the end");
  }

  @Test
  void appendThatWouldSignOverAnAlteredChain_failsClosed() {
    append(tenant, 12);
    sql(
        "UPDATE audit_events SET actor = 'system' WHERE tenant_id = ? AND seq = 12",
        tenant.value());
    assertThatThrownBy(() -> append(tenant, 8)).isInstanceOf(AuditChainBrokenException.class);
    // nothing of the failed transaction stayed
    assertThat(tx.inTransaction(() -> log.head(tenant)).orElseThrow().seq()).isEqualTo(19);
  }

  @Test
  void export_ndjsonAndCsv_verifyOffline_andRecordTheExport() throws Exception {
    append(tenant, 23);
    TrustedKeys trusted = TrustedKeys.fromJwksJson(keys.publicJwksJson());
    for (boolean csv : new boolean[] {false, true}) {
      StringWriter out = new StringWriter();
      queries.export(auditor(tenant), csv, new ClientInfo("192.0.2.1", "cli")).writeTo(out);
      AuditVerification v =
          AuditExportReader.verify(new StringReader(out.toString()), trusted, List.of());
      assertThat(v.ok()).as(v.toString()).isTrue();
      assertThat(v.lastSeq()).isEqualTo(csv ? 25 : 24);
    }
    AuditQueries.Page exported =
        queries.events(
            auditor(tenant),
            new AuditStore.Filter(
                Optional.empty(),
                Optional.empty(),
                Optional.of(AuditEventType.AUDIT_EXPORTED),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()),
            null,
            10);
    assertThat(exported.items()).hasSize(2);
    assertThat(exported.items().get(0).ip()).isEqualTo("192.0.2.1");
  }

  @Test
  void events_filterAndPage_withinTheTenantOnly() {
    append(tenant, 30);
    append(other, 5);
    AuditStore.Filter env1 =
        new AuditStore.Filter(
            Optional.of("env-1"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    AuditQueries.Page p1 = queries.events(auditor(tenant), env1, null, 4);
    assertThat(p1.items()).hasSize(4).allMatch(r -> r.envelopeId().equals("env-1"));
    assertThat(p1.nextCursor()).isPresent();
    AuditQueries.Page p2 = queries.events(auditor(tenant), env1, p1.nextCursor().get(), 100);
    assertThat(p2.items()).hasSize(6);
    assertThat(p2.nextCursor()).isEmpty();
    assertThat(p2.items().get(0).seq()).isGreaterThan(p1.items().get(3).seq());
    assertThat(queries.events(auditor(other), AuditStore.Filter.none(), null, 100).items())
        .hasSize(5)
        .allMatch(r -> r.tenant().equals(other.value()));
    assertThatThrownBy(
            () ->
                queries.events(
                    new Caller(new ApiKeyId("k"), tenant, Role.SENDER, Optional.empty(), false),
                    AuditStore.Filter.none(),
                    null,
                    10))
        .isInstanceOf(ForbiddenException.class);
  }

  @Test
  void userAgent_controlCharactersAreEscaped_andIpKept() {
    tx.run(
        () ->
            log.append(
                AuditEvent.of(
                    AuditEventType.API_KEY_CREATED,
                    tenant,
                    "api-key:k",
                    new ClientInfo("2001:db8::1", "evil\r\nFAKE 200 \u001b[31m\\x"),
                    Instant.now())));
    AuditRecord r =
        queries.events(auditor(tenant), AuditStore.Filter.none(), null, 1).items().get(0);
    assertThat(r.userAgent()).isEqualTo("evil\\u000d\\u000aFAKE 200 \\u001b[31m\\\\x");
    assertThat(r.ip()).isEqualTo("2001:db8::1");
    assertThat(verify().ok()).isTrue();
  }
}
