package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.AuditQueries;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.audit.AuditChain;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditExportReader;
import dev.sealpost.audit.AuditRecord;
import dev.sealpost.audit.AuditVerification;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.TrustedKeys;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/**
 * A 1,000,000-event chain on PostgreSQL is exported (NDJSON, through the server's own export code)
 * and verified offline, streaming, in a forked JVM with a 64 MiB heap: neither side holds the log
 * in memory. Skipped when PostgreSQL is not reachable.
 */
class AuditExportLargeTest {
  static final int EVENTS = 1_000_000;
  static final int CHECKPOINT_EVERY = 1000;

  @TempDir Path dir;

  @Test
  void millionEventExport_streamsAndVerifiesUnder64MiBHeap() throws Exception {
    Path keyring = dir.resolve("keyring.json");
    try (AuditPg pg = AuditPg.fresh("audit_big", keyring)) {
      try {
        TenantId tenant = pg.tenant("big");
        long t0 = System.nanoTime();
        generate(pg, tenant);
        long generated = System.nanoTime();
        Process p =
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Fork.class.getName(),
                    pg.schema,
                    keyring.toString(),
                    tenant.value())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.printf(
            "1M-event audit chain: generated in %d ms; export+verify in a 64 MiB JVM in %d ms%n",
            (generated - t0) / 1_000_000, (System.nanoTime() - generated) / 1_000_000);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ok=true events=" + (EVENTS + 1));
      } finally {
        pg.dropSchema();
      }
    }
  }

  /** Chained rows straight into PostgreSQL with COPY, a signed checkpoint every 1000. */
  private static void generate(AuditPg pg, TenantId tenant) throws Exception {
    TenantSigner ts = pg.keys.signer(tenant);
    ManifestSigner signer =
        new ManifestSigner() {
          @Override
          public String keyId() {
            return ts.keyId();
          }

          @Override
          public byte[] sign(byte[] input) {
            return ts.sign(input);
          }
        };
    StringBuilder checkpoints = new StringBuilder();
    String[] head = {AuditChain.GENESIS};
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    Reader rows =
        new Reader() {
          long seq = 0;
          String pending = "";
          int pos = 0;

          @Override
          public int read(char[] buf, int off, int len) {
            if (pos == pending.length()) {
              if (seq == EVENTS) {
                return -1;
              }
              seq++;
              AuditRecord r =
                  new AuditRecord(
                          tenant.value(),
                          seq,
                          "ENVELOPE_OPENED",
                          start.plusMillis(seq * 10),
                          "recipient:" + (seq % 977),
                          "env-" + (seq % 10007),
                          "rcp-" + (seq % 977),
                          "198.51.100." + (seq % 250),
                          "Mozilla/5.0 Firefox/133.0",
                          head[0],
                          null)
                      .sealed();
              head[0] = r.hash();
              pending =
                  String.join(
                          "\t",
                          tenant.value(),
                          Long.toString(seq),
                          r.type(),
                          r.time().toString(),
                          r.actor(),
                          r.envelopeId(),
                          r.recipientId(),
                          r.ip(),
                          r.userAgent(),
                          r.prevHash(),
                          r.hash())
                      + "\n";
              pos = 0;
              if (seq % CHECKPOINT_EVERY == 0) {
                AuditCheckpoint cp =
                    AuditCheckpoint.sign(tenant.value(), seq, r.hash(), r.time(), signer);
                checkpoints
                    .append(UUID.randomUUID())
                    .append('\t')
                    .append(tenant.value())
                    .append('\t')
                    .append(seq)
                    .append('\t')
                    .append(cp.head())
                    .append('\t')
                    .append(cp.jws())
                    .append('\t')
                    .append(cp.time())
                    .append('\n');
              }
            }
            int n = Math.min(len, pending.length() - pos);
            pending.getChars(pos, pos + n, buf, off);
            pos += n;
            return n;
          }

          @Override
          public void close() {}
        };
    try (Connection c = pg.db.dataSource().getConnection()) {
      // Only the (tenant, seq) key matters to the export: the query indexes would just slow the
      // load (this is a throw-away schema).
      try (var st = c.createStatement()) {
        for (String ix :
            List.of(
                "ix_audit_events_tenant_time",
                "ix_audit_events_envelope",
                "ix_audit_events_tenant_envelope",
                "ix_audit_events_tenant_recipient",
                "ix_audit_events_tenant_actor")) {
          st.execute("DROP INDEX " + ix);
        }
      }
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn(
          "COPY audit_events (tenant_id, seq, event_type, occurred_at, actor, envelope_id,"
              + " recipient_id, ip, user_agent, prev_hash, hash) FROM STDIN",
          rows);
      copy.copyIn(
          "COPY audit_checkpoints (id, tenant_id, seq, head_hash, jws, created_at) FROM STDIN",
          new java.io.StringReader(checkpoints.toString()));
    }
    pg.tx.run(
        () ->
            pg.jdbc.update(
                "UPDATE audit_heads SET seq = ?, hash = ? WHERE tenant_id = ?",
                (long) EVENTS,
                head[0],
                tenant.value()));
  }

  /** The forked, small-heap side: export through AuditQueries into a pipe, verify from it. */
  public static final class Fork {
    public static void main(String[] args) throws Exception {
      String schema = args[0];
      Path keyring = Path.of(args[1]);
      TenantId tenant = new TenantId(args[2]);
      try (AuditPg pg = AuditPg.existing(schema, keyring)) {
        JdbcAuditLog log =
            new JdbcAuditLog(pg.tx, pg.jdbc, pg.keys, Clock.systemUTC(), CHECKPOINT_EVERY);
        AuditQueries queries = new AuditQueries(pg.tx, log, log, pg.keys, Clock.systemUTC());
        TrustedKeys trusted = TrustedKeys.fromJwksJson(pg.keys.publicJwksJson());
        AuditQueries.Export export =
            queries.export(
                new Caller(new ApiKeyId("k"), tenant, Role.AUDITOR, Optional.empty(), false),
                false,
                new ClientInfo("192.0.2.1", "fork"));
        PipedWriter pw = new PipedWriter();
        PipedReader pr = new PipedReader(pw, 1 << 16);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        Future<AuditVerification> verified =
            ex.submit(() -> AuditExportReader.verify(pr, trusted, List.of()));
        try (BufferedWriter w = new BufferedWriter(pw, 1 << 16)) {
          export.writeTo(w);
        } catch (IOException e) {
          System.out.println("export failed: " + e);
        }
        AuditVerification v = verified.get();
        ex.shutdown();
        Runtime rt = Runtime.getRuntime();
        System.out.println(
            "ok="
                + v.ok()
                + " events="
                + v.events()
                + " reason="
                + v.reason()
                + " maxHeapMiB="
                + rt.maxMemory() / (1 << 20));
        System.exit(v.ok() ? 0 : 1);
      }
    }
  }
}
