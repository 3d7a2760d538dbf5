package dev.sealpost.api.infrastructure.webhooks;

import dev.sealpost.api.application.WebhookRelay;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.WebhookOutbox;
import dev.sealpost.api.domain.WebhookRepository;
import dev.sealpost.api.domain.WebhookSender;
import dev.sealpost.api.infrastructure.config.Configuration;
import dev.sealpost.api.infrastructure.config.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;

/** Webhooks ({@code sealpost.webhooks.*}): the HTTPS sender and the relay with its own pool. */
@ApplicationScoped
public class WebhookProducers {
  @Produces
  @ApplicationScoped
  WebhookSender sender(Configuration c) {
    WebhooksConfig w = c.webhooks();
    return new HttpsWebhookSender(w.timeout(), w.allowLoopback());
  }

  /** Dependent (a final class is not proxied): one, owned by the BackgroundScheduler. */
  @Produces
  WebhookRelay relay(
      Configuration c,
      Transactions tx,
      WebhookOutbox outbox,
      WebhookRepository webhooks,
      SecretSealer sealer,
      WebhookSender sender,
      Clock clock) {
    WebhooksConfig w = c.webhooks();
    // The lease outlasts one attempt: connect + read timeouts and the overall deadline, and more.
    Duration lease = w.timeout().multipliedBy(4).plusSeconds(30);
    WebhookRelay.Policy policy =
        new WebhookRelay.Policy(
            w.retryFor(),
            w.retryBaseDelay(),
            Duration.ofHours(1),
            lease,
            w.maxConcurrencyPerEndpoint(),
            w.threads());
    return new WebhookRelay(tx, outbox, webhooks, sealer, sender, clock, policy);
  }

  void close(@Disposes WebhookRelay relay) {
    relay.close();
  }
}
