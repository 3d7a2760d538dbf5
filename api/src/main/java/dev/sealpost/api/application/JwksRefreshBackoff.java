package dev.sealpost.api.application;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per partner (on this instance): at most one JWKS refresh at a time, and after a failed one no
 * other before a back-off that starts at {@link #FIRST} and doubles up to {@link #MAX}; a success
 * forgets the partner. So a dead or slow partner host costs one fetch per back-off, whatever the
 * number of seals to it.
 */
final class JwksRefreshBackoff {
  static final Duration FIRST = Duration.ofSeconds(30);
  static final Duration MAX = Duration.ofMinutes(10);

  /** What a caller is told to wait while another request is fetching (no failure known yet). */
  static final long IN_FLIGHT_RETRY_AFTER_SECONDS = 5;

  private static final class State {
    int failures;
    Instant retryAt = Instant.MIN;
    boolean inFlight;
  }

  private final Map<String, State> states = new HashMap<>();

  /**
   * True if the caller may fetch now (and must then call {@link #succeeded} or {@link #failed}).
   */
  synchronized boolean tryBegin(String partner, Instant now) {
    State s = states.computeIfAbsent(partner, k -> new State());
    if (s.inFlight || now.isBefore(s.retryAt)) {
      return false;
    }
    s.inFlight = true;
    return true;
  }

  synchronized void succeeded(String partner) {
    states.remove(partner);
  }

  /** Records a failed fetch; returns the back-off now in force. */
  synchronized Duration failed(String partner, Instant now) {
    State s = states.computeIfAbsent(partner, k -> new State());
    s.inFlight = false;
    s.failures = Math.min(s.failures + 1, 30);
    Duration wait = FIRST.multipliedBy(1L << Math.min(s.failures - 1, 20));
    if (wait.compareTo(MAX) > 0) {
      wait = MAX;
    }
    s.retryAt = now.plus(wait);
    return wait;
  }

  /** Seconds until a fetch may be tried again (at least 1). */
  synchronized long retryAfterSeconds(String partner, Instant now) {
    State s = states.get(partner);
    if (s == null) {
      return 1;
    }
    if (now.isBefore(s.retryAt)) {
      long ms = Duration.between(now, s.retryAt).toMillis();
      return Math.max(1, (ms + 999) / 1000);
    }
    return IN_FLIGHT_RETRY_AFTER_SECONDS;
  }
}
