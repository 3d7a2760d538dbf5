package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/** A registered webhook endpoint as its tenant's ADMIN sees it: never its secret. */
public record Webhook(
    WebhookId id,
    TenantId tenantId,
    String url,
    Set<WebhookEventType> events,
    Instant createdAt,
    Instant updatedAt,
    Instant previousSecretUntil) {
  public Webhook {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(url, "url");
    events = Set.copyOf(events);
  }
}
