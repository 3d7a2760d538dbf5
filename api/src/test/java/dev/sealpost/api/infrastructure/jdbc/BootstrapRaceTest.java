package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.Bootstrap;
import dev.sealpost.api.domain.ApiKeySecret;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.TenantSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances starting together on an empty PostgreSQL database (a first deployment with two
 * tasks) both bootstrap: each sees no bootstrap tenant, both insert one, the unique tenant name
 * lets one win. The loser must start anyway, not fail with a duplicate key.
 */
class BootstrapRaceTest {
  @TempDir Path dir;

  @Test
  void twoInstancesBootstrappingAnEmptyDatabaseAtOnce_bothStart_withOneBootstrapTenant()
      throws Exception {
    AuditPg pg = AuditPg.fresh("bootstrap_race", dir.resolve("keyring.json"));
    try {
      ApiKeySecret preset = ApiKeySecret.generate();
      // Both look before either inserts: the window two real starts can hit.
      CyclicBarrier bothLooked = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Optional<ApiKeySecret>>> starts = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Bootstrap bootstrap =
            new Bootstrap(
                pg.tx,
                new LookingTogether(new JdbcTenantRepository(pg.jdbc), bothLooked),
                new JdbcApiKeyRepository(pg.jdbc),
                pg.keys,
                new JdbcAuditLog(pg.tx, pg.jdbc, pg.keys, Clock.systemUTC(), 1000),
                Clock.systemUTC());
        starts.add(pool.submit(() -> bootstrap.ensure(Optional.of(preset))));
      }
      List<Optional<ApiKeySecret>> created = new ArrayList<>();
      for (Future<Optional<ApiKeySecret>> f : starts) {
        created.add(f.get(60, TimeUnit.SECONDS)); // throws if a start failed
      }
      pool.shutdownNow();

      assertThat(created.stream().filter(Optional::isPresent)).hasSize(1);
      assertThat(
              pg.tx.inTransaction(
                  () ->
                      pg.jdbc.queryOne(
                          "SELECT COUNT(*) FROM tenants WHERE bootstrap = TRUE",
                          rs -> rs.getInt(1))))
          .hasValue(1);
      assertThat(
              pg.tx.inTransaction(
                  () ->
                      pg.jdbc.queryOne(
                          "SELECT COUNT(*) FROM api_keys WHERE key_hash = ?",
                          rs -> rs.getInt(1),
                          preset.hash())))
          .hasValue(1);
    } finally {
      pg.dropSchema();
      pg.close();
    }
  }

  /** The real repository; the first lookups of the bootstrap tenant wait for each other. */
  private static final class LookingTogether implements TenantRepository {
    private final TenantRepository real;
    private final CyclicBarrier barrier;
    private boolean looked;

    LookingTogether(TenantRepository real, CyclicBarrier barrier) {
      this.real = real;
      this.barrier = barrier;
    }

    @Override
    public Optional<Tenant> findBootstrap() {
      Optional<Tenant> found = real.findBootstrap();
      if (!looked) {
        looked = true;
        try {
          barrier.await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("the other start never looked", e);
        }
      }
      return found;
    }

    @Override
    public void insert(Tenant tenant) {
      real.insert(tenant);
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
      return real.find(id);
    }

    @Override
    public Optional<Tenant> findByName(String name) {
      return real.findByName(name);
    }

    @Override
    public void updateSettings(TenantId id, TenantSettings settings) {
      real.updateSettings(id, settings);
    }
  }
}
