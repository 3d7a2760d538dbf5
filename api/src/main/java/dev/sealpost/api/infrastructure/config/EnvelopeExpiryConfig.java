package dev.sealpost.api.infrastructure.config;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code sealpost.envelope.max-expiry}: the longest lifetime of any envelope, the ceiling of every
 * tenant's {@code defaultExpiry} and {@code maxExpiry}. ISO-8601, a period ({@code P2Y}, {@code
 * P18M}, {@code P90D}; a year counts 365 days, a month 30) or a duration ({@code PT36H}); default
 * P2Y, from P1D to P10Y.
 */
public record EnvelopeExpiryConfig(Duration maxExpiry) {
  public static final String MAX_EXPIRY = "sealpost.envelope.max-expiry";
  public static final Duration DEFAULT_MAX_EXPIRY = Duration.ofDays(2 * 365);
  private static final Duration LOWEST = Duration.ofDays(1);
  private static final Duration HIGHEST = Duration.ofDays(10 * 365);

  public static EnvelopeExpiryConfig from(Settings s) {
    Optional<String> raw = s.optional(MAX_EXPIRY);
    if (raw.isEmpty()) {
      return new EnvelopeExpiryConfig(DEFAULT_MAX_EXPIRY);
    }
    Duration d = parse(raw.get());
    if (d.compareTo(LOWEST) < 0 || d.compareTo(HIGHEST) > 0) {
      throw new ConfigException(
          MAX_EXPIRY, "must be between P1D and P10Y (got '" + raw.get() + "')");
    }
    return new EnvelopeExpiryConfig(d);
  }

  private static Duration parse(String raw) {
    try {
      if (raw.toUpperCase(java.util.Locale.ROOT).contains("T")) {
        return Duration.parse(raw);
      }
      Period p = Period.parse(raw);
      return Duration.ofDays(365L * p.getYears() + 30L * p.getMonths() + p.getDays());
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          MAX_EXPIRY, "must be an ISO-8601 period such as P2Y or P90D (got '" + raw + "')");
    }
  }
}
