package dev.sealpost.api.infrastructure.config;

import java.time.Duration;

/**
 * Webhook delivery: {@code sealpost.webhooks.retry-for} (give up this long after the event, default
 * PT24H), {@code sealpost.webhooks.retry-base-delay} (first retry delay, doubled each time up to
 * one hour, default PT5S), {@code sealpost.webhooks.timeout} (connect and read, each; default
 * PT10S), {@code sealpost.webhooks.max-concurrency-per-endpoint} (default 2), {@code
 * sealpost.webhooks.threads} (deliveries in flight per instance, default 8) and, for development
 * and tests only, {@code sealpost.webhooks.allow-loopback} (default false): lets a webhook URL
 * point at a loopback address, over plain http too.
 */
public record WebhooksConfig(
    Duration retryFor,
    Duration retryBaseDelay,
    Duration timeout,
    int maxConcurrencyPerEndpoint,
    int threads,
    boolean allowLoopback) {
  public static WebhooksConfig from(Settings s) {
    return new WebhooksConfig(
        s.positiveDuration("sealpost.webhooks.retry-for", Duration.ofHours(24)),
        s.positiveDuration("sealpost.webhooks.retry-base-delay", Duration.ofSeconds(5)),
        s.positiveDuration("sealpost.webhooks.timeout", Duration.ofSeconds(10)),
        s.integer("sealpost.webhooks.max-concurrency-per-endpoint", 2, 1, 64),
        s.integer("sealpost.webhooks.threads", 8, 1, 256),
        s.bool("sealpost.webhooks.allow-loopback", false));
  }
}
