package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.PartnerKeysTest.MutableClock;
import dev.sealpost.api.domain.RetryLaterException;
import dev.sealpost.api.domain.RetryLaterException.Reason;
import dev.sealpost.api.domain.SharedSecretHash;
import dev.sealpost.api.domain.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12, finding 5: SHARED_SECRET hashing on seal has a budget per tenant and per instance. */
class SecretHashBudgetTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final TenantId a = TenantId.random();
  private final TenantId b = TenantId.random();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
  }

  /** A hasher that holds its slot until {@link #release}, counting how many run at once. */
  private final UnaryOperator<String> blocking =
      s -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          running.decrementAndGet();
        }
        return "h:" + s;
      };

  private static List<String> secrets(int n) {
    return Collections.nCopies(n, "open-sesame");
  }

  @Test
  void theHashes_comeBackInOrder_andVerify() {
    SecretHashBudget budget =
        new SecretHashBudget(new SecretHashLimits(2, 1, 120, Duration.ofSeconds(1)), clock);
    List<String> hashes = budget.hashAll(a, List.of("first-secret", "second-secret"));
    assertThat(SharedSecretHash.verify("first-secret", hashes.get(0))).isTrue();
    assertThat(SharedSecretHash.verify("second-secret", hashes.get(1))).isTrue();
    assertThat(budget.hashAll(a, List.of())).isEmpty();
  }

  @Test
  void aTenantOverItsRate_gets429WithRetryAfter_andItsBudgetRefillsOverTheMinute() {
    SecretHashBudget budget =
        new SecretHashBudget(
            new SecretHashLimits(2, 1, 32, Duration.ofSeconds(1)), clock, s -> "h:" + s);
    budget.hashAll(a, secrets(16));
    budget.hashAll(a, secrets(16));
    assertThatThrownBy(() -> budget.hashAll(a, secrets(16)))
        .isInstanceOfSatisfying(
            RetryLaterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.TENANT_OVER_BUDGET);
              assertThat(e.retryAfterSeconds()).isEqualTo(30); // 16 tokens at 32 per minute
            });
    assertThat(budget.hashAll(b, secrets(16))).hasSize(16); // another tenant is not affected
    clock.advance(Duration.ofSeconds(30));
    assertThat(budget.hashAll(a, secrets(16))).hasSize(16);
  }

  @Test
  void aTenant_hashesAtMostItsShareAtOnce_theNextWaitsBoundedThenGets429() throws Exception {
    SecretHashBudget budget =
        new SecretHashBudget(
            new SecretHashLimits(2, 1, 1000, Duration.ofMillis(200)), clock, blocking);
    Future<List<String>> first = pool.submit(() -> budget.hashAll(a, secrets(1)));
    awaitRunning(1);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> budget.hashAll(a, secrets(1)))
        .isInstanceOfSatisfying(
            RetryLaterException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TENANT_OVER_BUDGET));
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isBetween(Duration.ofMillis(150), Duration.ofSeconds(2));
    // Another tenant still gets the second global slot.
    Future<List<String>> other = pool.submit(() -> budget.hashAll(b, secrets(1)));
    awaitRunning(2);
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly("h:open-sesame");
    assertThat(other.get(5, TimeUnit.SECONDS)).containsExactly("h:open-sesame");
    assertThat(maxRunning.get()).isEqualTo(2);
  }

  @Test
  void theServerAtCapacity_answers503AfterTheBoundedWait_andNeverRunsMoreThanItsSlots()
      throws Exception {
    SecretHashBudget budget =
        new SecretHashBudget(
            new SecretHashLimits(2, 2, 1000, Duration.ofMillis(200)), clock, blocking);
    Future<?> x = pool.submit(() -> budget.hashAll(a, secrets(16)));
    Future<?> y = pool.submit(() -> budget.hashAll(b, secrets(16)));
    awaitRunning(2);
    TenantId c = TenantId.random();
    assertThatThrownBy(() -> budget.hashAll(c, secrets(1)))
        .isInstanceOfSatisfying(
            RetryLaterException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.SERVER_BUSY);
              assertThat(e.retryAfterSeconds()).isPositive();
            });
    release.countDown();
    x.get(5, TimeUnit.SECONDS);
    y.get(5, TimeUnit.SECONDS);
    assertThat(maxRunning.get()).isEqualTo(2);
    // A refused seal spent none of its tenant's budget; the slots are free again.
    assertThat(budget.hashAll(c, secrets(16))).hasSize(16);
  }

  private void awaitRunning(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (running.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(running.get()).isEqualTo(n);
  }
}
