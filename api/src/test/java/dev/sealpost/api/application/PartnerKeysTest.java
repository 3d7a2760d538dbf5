package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.Partner;
import dev.sealpost.api.domain.PartnerId;
import dev.sealpost.api.domain.PartnerJwks;
import dev.sealpost.api.domain.PartnerJwksFetcher;
import dev.sealpost.api.domain.PartnerKeyCheck;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.RetryLaterException;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 4: a partner's JWKS is fetched outside any transaction, one fetch per partner
 * at a time, a failure backs off (growing), and a partner without usable keys is refused fast with
 * PARTNER_KEYS_UNAVAILABLE; other partners are not affected.
 */
class PartnerKeysTest {
  private static final Duration TTL = Duration.ofSeconds(1);
  private final TenantId tenant = TenantId.random();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final TrackingTransactions tx = new TrackingTransactions();
  private final InMemoryPartners partners = new InMemoryPartners();
  private final FakeFetcher fetcher = new FakeFetcher();
  private final PartnerKeys keys =
      new PartnerKeys(tx, partners, new FakeCheck(), fetcher, clock, new PartnerJwksTtl(TTL));

  private Partner uriPartner(String id, String storedJwks, Instant fetchedAt) {
    Partner p =
        new Partner(
            new PartnerId(id),
            tenant,
            id,
            Optional.ofNullable(storedJwks),
            Optional.of("https://" + id + ".example/jwks.json"),
            Optional.ofNullable(fetchedAt),
            Instant.EPOCH,
            Optional.empty(),
            Optional.empty());
    partners.rows.put(p.id(), p);
    return p;
  }

  @Test
  void theFetch_runsWithNoTransactionOpen_andTheFreshCopyIsWrittenInAShortOne() {
    uriPartner("p", "old", clock.instant().minus(TTL));
    fetcher.answer = () -> "new";
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:new");
    assertThat(fetcher.calls.get()).isEqualTo(1);
    assertThat(fetcher.transactionOpenDuringFetch).isFalse();
    assertThat(partners.rows.get(new PartnerId("p")).jwks()).contains("new");
    assertThat(tx.count.get()).isEqualTo(2); // read, then write back
    assertThat(tx.active.get()).isZero();
  }

  @Test
  void aFreshCopy_isNotFetchedAgain_untilTheTtlHasPassed() {
    uriPartner("p", "old", clock.instant());
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:old");
    assertThat(fetcher.calls.get()).isZero();
    clock.advance(TTL);
    fetcher.answer = () -> "rotated";
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:rotated");
    assertThat(fetcher.calls.get()).isEqualTo(1);
  }

  @Test
  void aFailedRefresh_usesTheLastGoodCopy_andBacksOff_soManySealsCostOneFetch() {
    uriPartner("p", "old", clock.instant().minus(TTL));
    fetcher.answer = FakeFetcher::timeout;
    for (int i = 0; i < 50; i++) {
      assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:old");
    }
    assertThat(fetcher.calls.get()).isEqualTo(1);
  }

  @Test
  void theLastGoodCopy_standsInForOneMoreTtlOnly_thenSealsAreRefusedFast() {
    uriPartner("p", "old", clock.instant().minus(TTL));
    fetcher.answer = FakeFetcher::timeout;
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:old");
    clock.advance(TTL);
    assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("p")))
        .isInstanceOfSatisfying(
            RetryLaterException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(RetryLaterException.Reason.PARTNER_KEYS_UNAVAILABLE));
    assertThat(fetcher.calls.get()).isEqualTo(1);
  }

  @Test
  void theBackOffGrows_andASuccessEndsIt() {
    uriPartner("p", "old", clock.instant().minus(TTL.multipliedBy(10)));
    fetcher.answer = FakeFetcher::timeout;
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("p")))
          .isInstanceOf(RetryLaterException.class);
    }
    assertThat(fetcher.calls.get()).isEqualTo(1);
    clock.advance(JwksRefreshBackoff.FIRST.minusSeconds(1));
    assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("p")))
        .isInstanceOfSatisfying(
            RetryLaterException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
    assertThat(fetcher.calls.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("p")))
        .isInstanceOf(RetryLaterException.class);
    assertThat(fetcher.calls.get()).as("retried after the first back-off").isEqualTo(2);
    clock.advance(JwksRefreshBackoff.FIRST);
    assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("p")))
        .isInstanceOfSatisfying(
            RetryLaterException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
    assertThat(fetcher.calls.get()).as("the back-off grows").isEqualTo(2);
    clock.advance(JwksRefreshBackoff.FIRST);
    fetcher.answer = () -> "back";
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:back");
    assertThat(fetcher.calls.get()).isEqualTo(3);
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("p"))).contains("key:back");
    assertThat(fetcher.calls.get()).isEqualTo(3);
  }

  @Test
  void noUsableKeys_andAFailingHost_isRefusedFastWithRetryAfter_untilTheBackOffEnds() {
    uriPartner("p", null, null);
    fetcher.answer = FakeFetcher::timeout;
    for (int i = 0; i < 30; i++) {
      assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("p")))
          .isInstanceOfSatisfying(
              RetryLaterException.class,
              e -> {
                assertThat(e.reason())
                    .isEqualTo(RetryLaterException.Reason.PARTNER_KEYS_UNAVAILABLE);
                assertThat(e.retryAfterSeconds()).isBetween(1L, 30L);
              });
    }
    assertThat(fetcher.calls.get()).isEqualTo(1);
    // Another partner of the same tenant is untouched.
    uriPartner("q", "q-keys", clock.instant());
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("q"))).contains("key:q-keys");
  }

  @Test
  void parallelSeals_duringASlowFetch_useTheStoredCopy_orAreRefused_withoutWaiting()
      throws Exception {
    uriPartner("stale", "old", clock.instant().minus(TTL));
    uriPartner("empty", null, null);
    CountDownLatch inFetch = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    fetcher.answer =
        () -> {
          inFetch.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return FakeFetcher.timeout();
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> a = pool.submit(() -> keys.currentEncryptionKey(tenant, new PartnerId("stale")));
      Future<?> b =
          pool.submit(
              () -> {
                try {
                  keys.currentEncryptionKey(tenant, new PartnerId("empty"));
                } catch (RetryLaterException expected) {
                  // the slow fetch failed
                }
              });
      assertThat(inFetch.await(5, TimeUnit.SECONDS)).isTrue();
      long t0 = System.nanoTime();
      for (int i = 0; i < 30; i++) {
        assertThat(keys.currentEncryptionKey(tenant, new PartnerId("stale"))).contains("key:old");
        assertThatThrownBy(() -> keys.currentEncryptionKey(tenant, new PartnerId("empty")))
            .isInstanceOf(RetryLaterException.class);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(fetcher.calls.get()).isEqualTo(2);
      release.countDown();
      a.get(5, TimeUnit.SECONDS);
      b.get(5, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void inlineKeys_andUnknownOrDisabledPartners_needNoFetch() {
    partners.rows.put(
        new PartnerId("inline"),
        new Partner(
            new PartnerId("inline"),
            tenant,
            "inline",
            Optional.of("inline-keys"),
            Optional.empty(),
            Optional.empty(),
            Instant.EPOCH,
            Optional.empty(),
            Optional.empty()));
    partners.rows.put(
        new PartnerId("off"),
        new Partner(
            new PartnerId("off"),
            tenant,
            "off",
            Optional.empty(),
            Optional.of("https://off.example/jwks.json"),
            Optional.empty(),
            Instant.EPOCH,
            Optional.empty(),
            Optional.of(Instant.EPOCH)));
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("inline")))
        .contains("key:inline-keys");
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("nobody"))).isEmpty();
    assertThat(keys.currentEncryptionKey(tenant, new PartnerId("off"))).isEmpty();
    assertThat(keys.currentEncryptionKey(TenantId.random(), new PartnerId("inline"))).isEmpty();
    assertThat(fetcher.calls.get()).isZero();
  }

  // ------------------------------------------------------------------ fakes

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

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

  /** Counts transactions and knows whether the calling thread holds one (a pooled connection). */
  static final class TrackingTransactions implements Transactions {
    final AtomicInteger count = new AtomicInteger();
    final AtomicInteger active = new AtomicInteger();
    private final ThreadLocal<Boolean> open = ThreadLocal.withInitial(() -> false);

    boolean openOnThisThread() {
      return open.get();
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
      if (open.get()) {
        return work.get();
      }
      count.incrementAndGet();
      active.incrementAndGet();
      open.set(true);
      try {
        return work.get();
      } finally {
        open.set(false);
        active.decrementAndGet();
      }
    }
  }

  private final class InMemoryPartners implements PartnerRepository {
    final Map<PartnerId, Partner> rows = new ConcurrentHashMap<>();

    @Override
    public void insert(Partner partner) {
      rows.put(partner.id(), partner);
    }

    @Override
    public Optional<Partner> find(TenantId t, PartnerId partnerId) {
      return Optional.ofNullable(rows.get(partnerId)).filter(p -> p.tenantId().equals(t));
    }

    @Override
    public void updateFetchedJwks(TenantId t, PartnerId partnerId, String jwks, Instant fetchedAt) {
      Partner p = rows.get(partnerId);
      rows.put(
          partnerId,
          new Partner(
              p.id(),
              p.tenantId(),
              p.name(),
              Optional.of(jwks),
              p.jwksUri(),
              Optional.of(fetchedAt),
              p.createdAt(),
              p.updatedAt(),
              p.disabledAt()));
    }

    @Override
    public List<Partner> page(TenantId t, Optional<Position> after, int limit) {
      throw new UnsupportedOperationException("not used by PartnerKeys");
    }

    @Override
    public boolean replaceKeys(
        TenantId t,
        PartnerId partner,
        String jwks,
        Optional<String> jwksUri,
        Optional<Instant> jwksFetchedAt,
        Instant at) {
      throw new UnsupportedOperationException("not used by PartnerKeys");
    }

    @Override
    public boolean disable(TenantId t, PartnerId partner, Instant at) {
      throw new UnsupportedOperationException("not used by PartnerKeys");
    }
  }

  private final class FakeFetcher implements PartnerJwksFetcher {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean transactionOpenDuringFetch;
    volatile Supplier<String> answer = FakeFetcher::timeout;

    static String timeout() {
      throw new InvalidInputException("jwksUri", "fetching the JWKS timed out");
    }

    @Override
    public void checkUri(String field, String uri) {}

    @Override
    public String fetch(String field, String uri) {
      calls.incrementAndGet();
      if (tx.openOnThisThread()) {
        transactionOpenDuringFetch = true;
      }
      return answer.get();
    }
  }

  /** Any non-blank document is a JWKS whose current key is "key:" + the document. */
  private static final class FakeCheck implements PartnerKeyCheck {
    @Override
    public PartnerJwks check(String field, String jwksJson) {
      if (jwksJson == null || jwksJson.isBlank()) {
        throw new InvalidInputException(field, "no usable key");
      }
      return new PartnerJwks(jwksJson, "kid", "key:" + jwksJson);
    }

    @Override
    public PartnerJwks checkEvery(String field, String jwksJson, int maxKeys) {
      return check(field, jwksJson);
    }
  }
}
