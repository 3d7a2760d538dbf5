package dev.sealpost.api.infrastructure.metrics;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The gauges an on-call person reads at {@code /metrics} (issue 16, docs/OPERATIONS.md "Metrics"):
 * the notification outbox's backlog and the age of its oldest waiting mail (one indexed query per
 * scrape, at most once a second), and the database pool's connections (active, idle, total) and the
 * threads waiting for one.
 */
public final class OperationalGauges {
  private static final Duration FRESH = Duration.ofSeconds(1);

  private final Jdbc jdbc;
  private final Clock clock;
  private volatile Backlog last = new Backlog(0, 0, Instant.EPOCH);

  private record Backlog(long pending, long oldestAgeSeconds, Instant at) {}

  private OperationalGauges(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Registers the gauges (idempotent: a gauge registered twice keeps the first supplier). */
  public static void register(MetricRegistry registry, Database database, Jdbc jdbc, Clock clock) {
    OperationalGauges g = new OperationalGauges(jdbc, clock);
    registry.gauge("sealpost.outbox.pending", () -> g.backlog().pending());
    registry.gauge("sealpost.outbox.oldest.age.seconds", () -> g.backlog().oldestAgeSeconds());
    Supplier<HikariPoolMXBean> pool = () -> database.dataSource().getHikariPoolMXBean();
    registry.gauge(
        "sealpost.db.pool.waiting",
        () -> poolFigure(pool, HikariPoolMXBean::getThreadsAwaitingConnection));
    registry.gauge(
        "sealpost.db.pool.active", () -> poolFigure(pool, HikariPoolMXBean::getActiveConnections));
    registry.gauge(
        "sealpost.db.pool.idle", () -> poolFigure(pool, HikariPoolMXBean::getIdleConnections));
    registry.gauge(
        "sealpost.db.pool.total", () -> poolFigure(pool, HikariPoolMXBean::getTotalConnections));
  }

  private static int poolFigure(
      Supplier<HikariPoolMXBean> pool, java.util.function.ToIntFunction<HikariPoolMXBean> f) {
    HikariPoolMXBean p = pool.get();
    return p == null ? 0 : f.applyAsInt(p);
  }

  /** Notifications not yet sent (waiting or being sent) and the age of the oldest, in seconds. */
  private Backlog backlog() {
    Backlog b = last;
    Instant now = clock.instant();
    if (Duration.between(b.at(), now).compareTo(FRESH) < 0) {
      return b;
    }
    try {
      b =
          jdbc.queryOne(
                  "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox"
                      + " WHERE status IN ('PENDING', 'SENDING')",
                  rs -> {
                    long n = rs.getLong("n");
                    Instant oldest = Jdbc.instant(rs, "oldest");
                    long age =
                        oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds());
                    return new Backlog(n, age, now);
                  })
              .orElse(new Backlog(0, 0, now));
    } catch (RuntimeException e) {
      return b; // the database is away: readiness says so; the gauge keeps its last figures
    }
    last = b;
    return b;
  }
}
