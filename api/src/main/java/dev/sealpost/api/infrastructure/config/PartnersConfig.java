package dev.sealpost.api.infrastructure.config;

import java.time.Duration;

/**
 * Partner JWKS fetching: {@code sealpost.partners.jwks-ttl} (how long a fetched JWKS is used before
 * it is fetched again, default PT5M), {@code sealpost.partners.jwks-timeout} (connect and read,
 * default PT3S), {@code sealpost.partners.jwks-max-bytes} (default 65536) and, for development and
 * tests only, {@code sealpost.partners.allow-loopback-jwks-uri} (default false): lets a jwksUri
 * point at a loopback address, over plain http too. Private, link-local, unique-local, multicast
 * and unspecified addresses stay refused whatever the setting.
 */
public record PartnersConfig(
    Duration jwksTtl, Duration jwksTimeout, int jwksMaxBytes, boolean allowLoopbackJwksUri) {
  public static PartnersConfig from(Settings s) {
    return new PartnersConfig(
        s.positiveDuration("sealpost.partners.jwks-ttl", Duration.ofMinutes(5)),
        s.positiveDuration("sealpost.partners.jwks-timeout", Duration.ofSeconds(3)),
        s.integer("sealpost.partners.jwks-max-bytes", 65_536, 1_024, 1_048_576),
        s.bool("sealpost.partners.allow-loopback-jwks-uri", false));
  }
}
