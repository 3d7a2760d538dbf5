package dev.sealpost.api.application;

import java.time.Duration;
import java.util.Objects;

/** {@code sealpost.open.access-token-ttl}: how long an opened link's access token lives. */
public record AccessTokenTtl(Duration value) {
  public AccessTokenTtl {
    Objects.requireNonNull(value, "value");
  }
}
