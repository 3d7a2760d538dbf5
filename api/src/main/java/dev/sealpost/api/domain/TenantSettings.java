package dev.sealpost.api.domain;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a tenant's ADMIN controls: display name, which verification methods senders may choose,
 * default and maximum envelope lifetime, whether the tenant keeps a custody copy, and whether its
 * recipients may reply ({@code allowReplies}, effective only while it has reply keys).
 */
public record TenantSettings(
    String displayName,
    Set<VerificationMethod> allowedVerificationMethods,
    Duration defaultExpiry,
    Duration maxExpiry,
    boolean custody,
    boolean allowReplies) {

  public static final Duration DEFAULT_EXPIRY = Duration.ofDays(30);
  public static final Duration MAX_EXPIRY = Duration.ofDays(365);

  public TenantSettings {
    Objects.requireNonNull(displayName, "displayName");
    allowedVerificationMethods = Set.copyOf(allowedVerificationMethods);
    Objects.requireNonNull(defaultExpiry, "defaultExpiry");
    Objects.requireNonNull(maxExpiry, "maxExpiry");
    if (displayName.isBlank() || displayName.length() > 200) {
      throw new InvalidInputException("displayName", "must be 1 to 200 characters");
    }
    if (allowedVerificationMethods.isEmpty()) {
      throw new InvalidInputException(
          "allowedVerificationMethods", "must allow at least one method");
    }
    if (defaultExpiry.isNegative() || defaultExpiry.isZero()) {
      throw new InvalidInputException("defaultExpiry", "must be positive");
    }
    if (maxExpiry.compareTo(defaultExpiry) < 0) {
      throw new InvalidInputException("maxExpiry", "must not be shorter than defaultExpiry");
    }
  }

  /** Settings with replies allowed (the default). */
  public TenantSettings(
      String displayName,
      Set<VerificationMethod> allowedVerificationMethods,
      Duration defaultExpiry,
      Duration maxExpiry,
      boolean custody) {
    this(displayName, allowedVerificationMethods, defaultExpiry, maxExpiry, custody, true);
  }

  /** A new tenant's settings: NONE is not allowed until an ADMIN turns it on. */
  public static TenantSettings defaults(String displayName) {
    return new TenantSettings(
        displayName,
        EnumSet.of(VerificationMethod.EMAIL_OTP, VerificationMethod.SHARED_SECRET),
        DEFAULT_EXPIRY,
        MAX_EXPIRY,
        false);
  }
}
