package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final RateLimiter limiter = new RateLimiter(now::get);

  @Test
  void burstUpToTheLimit_thenRefusesWithRetryAfter() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("k", 3).allowed()).isTrue();
    }
    RateLimiter.Decision d = limiter.acquire("k", 3);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfterSeconds()).isEqualTo(20);
  }

  @Test
  void tokensRefillOverTime() {
    limiter.acquire("k", 60);
    for (int i = 0; i < 59; i++) {
      limiter.acquire("k", 60);
    }
    assertThat(limiter.acquire("k", 60).allowed()).isFalse();
    now.addAndGet(1_000_000_000L);
    assertThat(limiter.acquire("k", 60).allowed()).isTrue();
  }

  @Test
  void keysAreIndependent() {
    assertThat(limiter.acquire("a", 1).allowed()).isTrue();
    assertThat(limiter.acquire("a", 1).allowed()).isFalse();
    assertThat(limiter.acquire("b", 1).allowed()).isTrue();
  }
}
