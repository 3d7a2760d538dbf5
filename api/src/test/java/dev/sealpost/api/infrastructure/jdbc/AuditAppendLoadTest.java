package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.AuditQueries;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.TenantId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded load test of {@link JdbcAuditLog#append} on PostgreSQL: 8 threads, each appending one
 * event per transaction (as a request does), all on one tenant (they queue on its head lock) and
 * then on 8 tenants (one each: no shared lock). Figures go to docs/PERFORMANCE.md. Off by default:
 *
 * <pre>
 * ./mvnw -o -pl sdk-java,api test -Dtest=AuditAppendLoadTest -Daudit.load=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "audit.load", matches = "true")
class AuditAppendLoadTest {
  static final int THREADS = 8;
  static final long SECONDS = Long.getLong("audit.load.seconds", 15);

  @TempDir Path dir;

  @Test
  void appendsPerSecond_oneTenantVersusEightTenants() throws Exception {
    try (AuditPg pg = AuditPg.fresh("audit_load", dir.resolve("keyring.json"))) {
      try {
        JdbcAuditLog log = new JdbcAuditLog(pg.tx, pg.jdbc, pg.keys, Clock.systemUTC(), 1000);
        List<TenantId> eight = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          eight.add(pg.tenant("load-" + i));
        }
        run(pg, log, List.of(eight.get(0)), 3); // warm-up
        double one = run(pg, log, List.of(eight.get(0)), SECONDS);
        double many = run(pg, log, eight, SECONDS);
        System.out.printf(
            "AUDIT APPEND on PostgreSQL, %d threads, one event per transaction:%n"
                + "  1 tenant : %.0f events/s%n  8 tenants: %.0f events/s%n",
            THREADS, one, many);
        AuditQueries q = new AuditQueries(pg.tx, log, log, pg.keys, Clock.systemUTC());
        for (TenantId t : eight) {
          assertThat(
                  q.verify(new Caller(new ApiKeyId("k"), t, Role.AUDITOR, Optional.empty(), false))
                      .result()
                      .ok())
              .isTrue();
        }
      } finally {
        pg.dropSchema();
      }
    }
  }

  private static double run(AuditPg pg, JdbcAuditLog log, List<TenantId> tenants, long seconds)
      throws InterruptedException {
    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(THREADS);
    long t0 = System.nanoTime();
    for (int i = 0; i < THREADS; i++) {
      TenantId tenant = tenants.get(i % tenants.size());
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    pg.tx.run(
                        () ->
                            log.append(
                                AuditEvent.of(
                                        AuditEventType.ENVELOPE_OPENED,
                                        tenant,
                                        "recipient:r",
                                        new ClientInfo("198.51.100.7", "Mozilla/5.0 load"),
                                        Instant.now())
                                    .withEnvelope(new EnvelopeId("e"), new RecipientId("r"))));
                    count.incrementAndGet();
                  }
                } finally {
                  done.countDown();
                }
              });
      t.start();
    }
    done.await();
    return count.get() / ((System.nanoTime() - t0) / 1e9);
  }
}
