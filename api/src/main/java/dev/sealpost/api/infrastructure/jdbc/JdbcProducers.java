package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.application.AuditStore;
import dev.sealpost.api.application.WebhookEvents;
import dev.sealpost.api.domain.ApiKeyRepository;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.BlobCleanup;
import dev.sealpost.api.domain.EnvelopeRepository;
import dev.sealpost.api.domain.ExpiredEnvelopes;
import dev.sealpost.api.domain.IdempotencyStore;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.NotificationOutbox;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.PartnerInbox;
import dev.sealpost.api.domain.PartnerRepository;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.WebhookOutbox;
import dev.sealpost.api.domain.WebhookRepository;
import dev.sealpost.api.infrastructure.config.AuditConfig;
import dev.sealpost.api.infrastructure.config.DatabaseConfig;
import dev.sealpost.api.infrastructure.metrics.Metered;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import java.time.Clock;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The database and everything on it: the pool (opened and migrated on first use, closed with the
 * application), the one {@link JdbcTransactions} that binds connections to threads, and the JDBC
 * repositories as their domain ports.
 */
@ApplicationScoped
public class JdbcProducers {
  @Produces
  @ApplicationScoped
  Database database(DatabaseConfig config) {
    return Database.start(config);
  }

  void close(@Disposes Database database) {
    database.close();
  }

  /**
   * One instance: its thread-bound connection is what makes the repositories share a transaction.
   */
  @Produces
  @ApplicationScoped
  JdbcTransactions transactions(Database database) {
    return new JdbcTransactions(database.dataSource());
  }

  /** Stateless over the (proxied) transactions: a fresh one per injection point is fine. */
  @Produces
  Jdbc jdbc(JdbcTransactions tx) {
    return new Jdbc(tx);
  }

  @Produces
  @ApplicationScoped
  TenantRepository tenants(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        TenantRepository.class, new JdbcTenantRepository(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  ApiKeyRepository apiKeys(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        ApiKeyRepository.class, new JdbcApiKeyRepository(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  EnvelopeRepository envelopes(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        EnvelopeRepository.class,
        new JdbcEnvelopeRepository(jdbc),
        metrics,
        Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  BlobCleanup blobCleanup(Jdbc jdbc) {
    return new JdbcBlobCleanup(jdbc);
  }

  @Produces
  @ApplicationScoped
  IdempotencyStore idempotency(
      JdbcTransactions tx, Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        IdempotencyStore.class,
        new JdbcIdempotencyStore(tx, jdbc),
        metrics,
        Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  ExpiredEnvelopes expiredEnvelopes(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        ExpiredEnvelopes.class, new JdbcExpiredEnvelopes(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  NotificationOutbox outbox(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        NotificationOutbox.class,
        new JdbcNotificationOutbox(jdbc),
        metrics,
        Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  OpenLinkRepository openLinks(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        OpenLinkRepository.class,
        new JdbcOpenLinkRepository(jdbc),
        metrics,
        Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  PartnerInbox partnerInbox(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        PartnerInbox.class, new JdbcPartnerInbox(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  PartnerRepository partners(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        PartnerRepository.class, new JdbcPartnerRepository(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  WebhookRepository webhooks(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        WebhookRepository.class, new JdbcWebhookRepository(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  ReplyRepository replies(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        ReplyRepository.class, new JdbcReplyRepository(jdbc), metrics, Metered.tracer(tracers));
  }

  @Produces
  @ApplicationScoped
  WebhookOutbox webhookOutbox(Jdbc jdbc, MetricRegistry metrics, Instance<Tracer> tracers) {
    return Metered.wrapDatabase(
        WebhookOutbox.class, new JdbcWebhookOutbox(jdbc), metrics, Metered.tracer(tracers));
  }

  /**
   * One audit log, seen as the domain's {@link AuditLog} and the application's {@link AuditStore}.
   */
  @Produces
  @ApplicationScoped
  @Typed({AuditLog.class, AuditStore.class})
  JdbcAuditLog auditLog(
      JdbcTransactions tx,
      Jdbc jdbc,
      KeyService keys,
      Clock clock,
      AuditConfig config,
      MetricRegistry metrics,
      WebhookRepository webhooks,
      WebhookOutbox webhookOutbox) {
    return new JdbcAuditLog(tx, jdbc, keys, clock, config.checkpointEvery())
        .alsoInTransaction(new WebhookEvents(webhooks, webhookOutbox)::record)
        .onAppended(
            type -> metrics.counter("sealpost.audit.events", new Tag("type", type.name())).inc());
  }
}
