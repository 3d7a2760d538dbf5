package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.IdempotencySweep;
import dev.sealpost.api.application.IdempotencyTtl;
import dev.sealpost.api.application.IdempotentSeal;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} records live for {@code sealpost.idempotency.ttl} only (issue 12, finding
 * 3: a stored answer holds live links): replayed within the window, never after it, and deleted by
 * the sweep, on H2 with the real migrations and an injected clock.
 */
class JdbcIdempotencyStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofHours(24);

  private final TenantId tenant = TenantId.random();
  private final ApiKeyId apiKey = ApiKeyId.random();
  private final MutableClock clock = new MutableClock();
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private JdbcIdempotencyStore store;

  @BeforeEach
  void setUp() {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    store = new JdbcIdempotencyStore(tx, jdbc);
    tx.run(
        () -> {
          jdbc.update(
              "INSERT INTO tenants (id, name, display_name, verification_methods, default_expiry,"
                  + " max_expiry, custody_enabled, bootstrap, created_at)"
                  + " VALUES (?, 'acme', 'Acme', 'EMAIL_OTP', 'P30D', 'P365D', FALSE, FALSE, ?)",
              tenant.value(),
              T0);
          jdbc.update(
              "INSERT INTO api_keys (id, key_hash, role, tenant_id, name, bootstrap, created_at)"
                  + " VALUES (?, ?, 'SENDER', ?, 'sender', FALSE, ?)",
              apiKey,
              "0".repeat(64),
              tenant.value(),
              T0);
        });
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void theAnswerIsReplayedWithinTheWindow_andNeverAfterIt() {
    IdempotentSeal seal = seal();
    Caller caller = new Caller(apiKey, tenant, Role.SENDER, Optional.empty(), false);
    clock.now = T0;
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1")).isEmpty();
    tx.run(
        () ->
            store.complete(
                apiKey,
                "k",
                "h1",
                201,
                new PrefixSealer().seal(answerContext("env-1"), bytes("{\"links\":\"live\"}")),
                new EnvelopeId("env-1"),
                T0));

    clock.now = T0.plus(TTL).minusSeconds(1);
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1"))
        .hasValueSatisfying(
            a -> {
              assertThat(a.replayed()).isTrue();
              assertThat(a.json()).isEqualTo("{\"links\":\"live\"}");
            });

    clock.now = T0.plus(TTL);
    assertThat(seal.claimOrReplay(caller, "k", "h1", () -> "h1")).isEmpty();
    IdempotencyStore.Entry fresh = store.find(apiKey, "k").orElseThrow();
    assertThat(fresh.done()).isFalse();
    assertThat(fresh.response()).isNull();
    assertThat(fresh.createdAt()).isEqualTo(T0.plus(TTL));
  }

  @Test
  void forgetExpired_deletesOnlyARecordPastTheCutoff() {
    store.claim(apiKey, "k", "h1", T0);
    assertThat(store.forgetExpired(apiKey, "k", T0.minusSeconds(1))).isFalse();
    assertThat(store.find(apiKey, "k")).isPresent();
    assertThat(store.forgetExpired(apiKey, "k", T0)).isTrue();
    assertThat(store.find(apiKey, "k")).isEmpty();
  }

  @Test
  void theSweepDeletesRecordsPastTheTtl_inBatches_andKeepsTheRest() {
    int old = 1_234;
    int young = 40;
    claimMany("old-", old, T0);
    Instant youngAt = T0.plus(Duration.ofHours(2));
    claimMany("young-", young, youngAt);
    clock.now = T0.plus(TTL).plus(Duration.ofHours(1));

    assertThat(sweep().sweep()).isEqualTo(old);
    assertThat(count("old-%")).isZero();
    assertThat(count("young-%")).isEqualTo(young);
    assertThat(sweep().sweep()).isZero();

    clock.now = youngAt.plus(TTL).plus(Duration.ofMinutes(1));
    assertThat(sweep().sweep()).isEqualTo(young);
    assertThat(count("%")).isZero();
  }

  @Test
  void twoInstancesSweepingAtOnce_deleteEachRecordOnce_withoutFailing() throws Exception {
    int old = 1_500;
    claimMany("old-", old, T0);
    store.claim(apiKey, "young", "h", T0.plus(TTL));
    clock.now = T0.plus(TTL).plus(Duration.ofMinutes(1));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        IdempotencySweep instance = sweep();
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  return instance.sweep();
                }));
      }
      start.countDown();
      int deleted = 0;
      for (Future<Integer> run : runs) {
        deleted += run.get();
      }
      // A run that meets the other's rows stops early; the next period finishes the work.
      deleted += sweep().sweep();
      assertThat(deleted).isEqualTo(old);
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("old-%")).isZero();
    assertThat(count("young")).isEqualTo(1);
  }

  /** {@code n} in-progress claims, {@code prefix + i}, one second apart from {@code at}. */
  private void claimMany(String prefix, int n, Instant at) {
    tx.run(
        () -> {
          for (int i = 0; i < n; i++) {
            store.claim(apiKey, prefix + i, "h", at.plusSeconds(i % 60));
          }
        });
  }

  private IdempotentSeal seal() {
    return new IdempotentSeal(null, store, new PrefixSealer(), clock, new IdempotencyTtl(TTL));
  }

  private IdempotencySweep sweep() {
    return new IdempotencySweep(store, clock, new IdempotencyTtl(TTL));
  }

  private long count(String keyPattern) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key LIKE ?",
                    rs -> rs.getLong(1),
                    keyPattern)
                .orElseThrow());
  }

  private KeyContext answerContext(String envelopeId) {
    return new KeyContext(tenant, new EnvelopeId(envelopeId), "idempotent-answer");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Not encryption: enough to see that the stored text comes back through the sealer. */
  private static final class PrefixSealer implements SecretSealer {
    @Override
    public String seal(KeyContext context, byte[] plaintext) {
      return "sealed:" + new String(plaintext, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] open(KeyContext context, String sealed) {
      return bytes(sealed.substring("sealed:".length()));
    }
  }

  private static final class MutableClock extends Clock {
    volatile Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
