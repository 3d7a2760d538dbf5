package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.Webhook;
import dev.sealpost.api.domain.WebhookEventType;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookOutbox;
import dev.sealpost.api.domain.WebhookOutbox.Delivery;
import dev.sealpost.api.domain.WebhookRepository;
import dev.sealpost.api.domain.WebhookSender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tenant ADMIN's webhook endpoints: register (the secret is answered once, stored sealed), list,
 * read, change url and events, rotate the secret (the old one keeps signing for {@link
 * #PREVIOUS_SECRET_VALID}), delete, and list deliveries. Another tenant's id is not found.
 */
@ApplicationScoped
public class WebhookAdministration {
  /** How long the secret replaced by a rotation still signs beside the new one. */
  public static final Duration PREVIOUS_SECRET_VALID = Duration.ofHours(24);

  /** At most this many endpoints per tenant. */
  public static final int MAX_PER_TENANT = 20;

  static final int MAX_URL = 2048;

  /** Registered: the id and the secret, shown only in this answer. */
  public record Created(WebhookId id, String secret) {
    @Override
    public String toString() {
      return "Created[id=" + id + ", secret=redacted]";
    }
  }

  private final Transactions tx;
  private final WebhookRepository webhooks;
  private final WebhookOutbox outbox;
  private final WebhookSender sender;
  private final SecretSealer sealer;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  public WebhookAdministration(
      Transactions tx,
      WebhookRepository webhooks,
      WebhookOutbox outbox,
      WebhookSender sender,
      SecretSealer sealer,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.webhooks = webhooks;
    this.outbox = outbox;
    this.sender = sender;
    this.sealer = sealer;
    this.audit = audit;
    this.clock = clock;
  }

  public Created create(Caller caller, String url, List<String> events, ClientInfo client) {
    String checkedUrl = url(url);
    Set<WebhookEventType> types = events(events);
    WebhookId id = WebhookId.random();
    WebhookSecret secret = WebhookSecret.generate();
    String sealed = seal(caller.tenantId(), id, secret);
    Instant now = clock.instant();
    tx.run(
        () -> {
          if (webhooks.list(caller.tenantId()).size() >= MAX_PER_TENANT) {
            throw new ConflictException("a tenant has at most " + MAX_PER_TENANT + " webhooks");
          }
          webhooks.insert(
              new Webhook(id, caller.tenantId(), checkedUrl, types, now, now, null), sealed);
          audit.append(
              AuditEvent.of(
                      AuditEventType.WEBHOOK_CREATED,
                      caller.tenantId(),
                      caller.actor(),
                      client,
                      now)
                  .withDetail("webhook: " + id.value()));
        });
    String shown = secret.reveal();
    secret.destroy();
    return new Created(id, shown);
  }

  public List<Webhook> list(Caller caller) {
    return tx.inTransaction(() -> webhooks.list(caller.tenantId()));
  }

  public Webhook get(Caller caller, WebhookId id) {
    return tx.inTransaction(() -> webhooks.find(caller.tenantId(), id))
        .orElseThrow(() -> new NotFoundException("webhook"));
  }

  /**
   * Changes what is given; answers the new secret when {@code rotateSecret}. Nulls leave a field as
   * it is.
   */
  public Optional<String> update(
      Caller caller, WebhookId id, String url, List<String> events, boolean rotateSecret) {
    Webhook current = get(caller, id);
    String newUrl = url == null ? current.url() : url(url);
    Set<WebhookEventType> newEvents = events == null ? current.events() : events(events);
    WebhookSecret secret = rotateSecret ? WebhookSecret.generate() : null;
    String sealed = secret == null ? null : seal(caller.tenantId(), id, secret);
    Instant now = clock.instant();
    tx.run(
        () -> {
          boolean found =
              webhooks.update(caller.tenantId(), id, newUrl, newEvents, now)
                  && (sealed == null
                      || webhooks.rotateSecret(
                          caller.tenantId(), id, sealed, now.plus(PREVIOUS_SECRET_VALID), now));
          if (!found) {
            throw new NotFoundException("webhook");
          }
        });
    if (secret == null) {
      return Optional.empty();
    }
    String shown = secret.reveal();
    secret.destroy();
    return Optional.of(shown);
  }

  public void delete(Caller caller, WebhookId id, ClientInfo client) {
    Instant now = clock.instant();
    tx.run(
        () -> {
          if (!webhooks.delete(caller.tenantId(), id)) {
            throw new NotFoundException("webhook");
          }
          audit.append(
              AuditEvent.of(
                      AuditEventType.WEBHOOK_DELETED,
                      caller.tenantId(),
                      caller.actor(),
                      client,
                      now)
                  .withDetail("webhook: " + id.value()));
        });
  }

  public List<Delivery> deliveries(Caller caller, WebhookId id, int limit) {
    return tx.inTransaction(
        () -> {
          webhooks.find(caller.tenantId(), id).orElseThrow(() -> new NotFoundException("webhook"));
          return outbox.deliveries(id, limit);
        });
  }

  /** What a secret is sealed under: the tenant and the webhook (a KeyContext names an envelope). */
  static KeyContext secretContext(TenantId tenant, WebhookId id) {
    return new KeyContext(tenant, new EnvelopeId("webhook:" + id.value()), "webhook-secret");
  }

  private String seal(TenantId tenant, WebhookId id, WebhookSecret secret) {
    return sealer.seal(
        secretContext(tenant, id), secret.reveal().getBytes(StandardCharsets.US_ASCII));
  }

  private String url(String url) {
    if (url == null || url.isBlank()) {
      throw new InvalidInputException("url", "is required");
    }
    if (url.length() > MAX_URL) {
      throw new InvalidInputException("url", "is longer than " + MAX_URL + " characters");
    }
    sender.checkUrl("url", url);
    return url;
  }

  private static Set<WebhookEventType> events(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new InvalidInputException("events", "must name at least one event type");
    }
    Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
    for (String name : names) {
      types.add(
          WebhookEventType.ofWireName(name)
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "events",
                          "unknown event type; one of envelope.opened, recipient.locked,"
                              + " envelope.revoked, envelope.expired, reply.received,"
                              + " notification.failed")));
    }
    return types;
  }
}
