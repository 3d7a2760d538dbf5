package dev.sealpost.api.application;

import java.time.Duration;
import java.util.Objects;

/** {@code sealpost.partners.jwks-ttl}: how long a fetched partner JWKS is trusted. */
public record PartnerJwksTtl(Duration value) {
  public PartnerJwksTtl {
    Objects.requireNonNull(value, "value");
  }
}
