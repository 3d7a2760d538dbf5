package dev.sealpost.api.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code sealpost.envelope.max-expiry}: the longest lifetime any envelope on this server may have,
 * whatever a tenant's settings say. A tenant's {@code defaultExpiry} and {@code maxExpiry} and an
 * envelope's {@code policy.expiresIn} must lie between {@link #MIN} and this ceiling.
 */
public record ExpiryCeiling(Duration value) {
  /** The shortest lifetime an envelope may have. */
  public static final Duration MIN = Duration.ofMinutes(5);

  /** The default ceiling, {@code P2Y}: two years of 365 days. */
  public static final ExpiryCeiling DEFAULT = new ExpiryCeiling(Duration.ofDays(730));

  public ExpiryCeiling {
    Objects.requireNonNull(value, "value");
    if (value.compareTo(MIN) < 0) {
      throw new IllegalArgumentException("the expiry ceiling must be at least " + MIN);
    }
  }

  /**
   * Refuses a lifetime shorter than {@link #MIN} (zero and negative too) or longer than the
   * ceiling.
   *
   * @throws InvalidInputException naming {@code field}
   */
  public Duration check(String field, Duration lifetime) {
    if (lifetime.compareTo(MIN) < 0 || lifetime.compareTo(value) > 0) {
      throw new InvalidInputException(
          field,
          "must be between "
              + iso(MIN)
              + " and "
              + iso(value)
              + " (the server's maximum, sealpost.envelope.max-expiry)");
    }
    return lifetime;
  }

  /** New tenants' settings, their default and maximum expiry cut down to the ceiling. */
  public TenantSettings clamp(TenantSettings s) {
    if (s.maxExpiry().compareTo(value) <= 0) {
      return s;
    }
    Duration max = value;
    Duration dflt = s.defaultExpiry().compareTo(max) > 0 ? max : s.defaultExpiry();
    return new TenantSettings(
        s.displayName(), s.allowedVerificationMethods(), dflt, max, s.custody(), s.allowReplies());
  }

  /** Whole days as {@code P730D}, anything else as {@code PT5M}: the way the API writes them. */
  static String iso(Duration d) {
    return d.toSeconds() % 86_400 == 0 && !d.isZero() ? "P" + d.toDays() + "D" : d.toString();
  }
}
