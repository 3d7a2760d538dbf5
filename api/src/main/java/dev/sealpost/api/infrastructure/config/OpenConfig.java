package dev.sealpost.api.infrastructure.config;

import java.time.Duration;

/**
 * The consumer link's access tokens: {@code sealpost.open.access-token-ttl} (ISO-8601, default
 * PT10M, at most PT1H), how long the access token that {@code verify} answers reads the manifest
 * and attachments. Short on purpose: it is a bearer token held by a browser page; a person who
 * comes back later opens the link again (and counts one more open).
 */
public record OpenConfig(Duration accessTokenTtl) {
  public static final String ACCESS_TOKEN_TTL = "sealpost.open.access-token-ttl";
  public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(10);
  public static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofHours(1);

  public static OpenConfig from(Settings s) {
    Duration ttl = s.positiveDuration(ACCESS_TOKEN_TTL, DEFAULT_ACCESS_TOKEN_TTL);
    if (ttl.compareTo(MAX_ACCESS_TOKEN_TTL) > 0) {
      throw new ConfigException(
          ACCESS_TOKEN_TTL, "must be at most PT1H (got '" + s.string(ACCESS_TOKEN_TTL, "") + "')");
    }
    return new OpenConfig(ttl);
  }
}
