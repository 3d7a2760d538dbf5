package dev.sealpost.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant's webhook endpoints. Secrets are stored only as {@link SecretSealer} output. Every
 * lookup is scoped to the tenant: another tenant's id is simply not found. Call inside {@link
 * Transactions}.
 */
public interface WebhookRepository {
  /**
   * Where a delivery goes and its sealed signing secrets: the current one, and the previous one
   * while it still signs.
   */
  record DeliveryTarget(
      TenantId tenantId, String url, String current, String previous, Instant previousUntil) {
    @Override
    public String toString() {
      return "DeliveryTarget[redacted]";
    }
  }

  void insert(Webhook webhook, String sealedSecret);

  Optional<Webhook> find(TenantId tenant, WebhookId id);

  List<Webhook> list(TenantId tenant);

  /** Changes url and events; false if there is no such webhook for this tenant. */
  boolean update(
      TenantId tenant, WebhookId id, String url, Set<WebhookEventType> events, Instant now);

  /** The new secret signs from now on; the old one too until {@code previousUntil}. */
  boolean rotateSecret(
      TenantId tenant, WebhookId id, String sealedSecret, Instant previousUntil, Instant now);

  /** Deletes the webhook and its deliveries; false if there was none. */
  boolean delete(TenantId tenant, WebhookId id);

  Optional<DeliveryTarget> target(WebhookId id);

  /** The tenant's webhooks subscribed to {@code type}. */
  List<WebhookId> subscribers(TenantId tenant, WebhookEventType type);
}
