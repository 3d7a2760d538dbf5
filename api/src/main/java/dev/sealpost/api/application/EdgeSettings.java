package dev.sealpost.api.application;

import java.util.List;

/**
 * What the HTTP edge reads of {@code sealpost.*}: {@code trusted-proxies} (IP addresses or CIDR
 * blocks whose X-Forwarded-* headers are believed) and {@code rate-limit.per-minute} (per API key,
 * unless the key sets its own) and {@code bench.endpoint} (whether {@code GET /v1/bench/noop}
 * answers; off by default).
 */
public record EdgeSettings(
    List<String> trustedProxies, int rateLimitPerMinute, boolean benchEndpoint) {
  public EdgeSettings {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
