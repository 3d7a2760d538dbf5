package dev.sealpost.api.domain;

import java.util.Objects;

/**
 * A request that cannot be served right now but may succeed later: a partner whose keys cannot be
 * had at the moment, a tenant over its share of a bounded resource, or a server at capacity. The
 * REST edge answers 503 or 429 with {@code Retry-After}.
 */
public class RetryLaterException extends DomainException {
  private static final long serialVersionUID = 1L;

  /** Why, which decides the answer. */
  public enum Reason {
    /** The partner has no usable public key and its JWKS cannot be fetched now (503). */
    PARTNER_KEYS_UNAVAILABLE,
    /** The caller's tenant is over its share (429). */
    TENANT_OVER_BUDGET,
    /** The server is at capacity for everyone (503). */
    SERVER_BUSY
  }

  private final Reason reason;
  private final long retryAfterSeconds;

  public RetryLaterException(Reason reason, String message, long retryAfterSeconds) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public Reason reason() {
    return reason;
  }

  /** Whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
