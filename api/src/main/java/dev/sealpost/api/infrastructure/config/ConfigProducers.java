package dev.sealpost.api.infrastructure.config;

import dev.sealpost.api.application.AccessTokenTtl;
import dev.sealpost.api.application.AuditCheckpointInterval;
import dev.sealpost.api.application.AuditRetentionPeriod;
import dev.sealpost.api.application.EdgeSettings;
import dev.sealpost.api.application.EnvelopeLimits;
import dev.sealpost.api.application.ExpirySweepInterval;
import dev.sealpost.api.application.IdempotencyTtl;
import dev.sealpost.api.application.MaxReissues;
import dev.sealpost.api.application.NotificationRelay;
import dev.sealpost.api.application.OrphanBlobPolicy;
import dev.sealpost.api.application.PartnerJwksTtl;
import dev.sealpost.api.application.ReplyLimits;
import dev.sealpost.api.application.SecretHashLimits;
import dev.sealpost.api.domain.ExpiryCeiling;
import dev.sealpost.api.domain.PublicBaseUrl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * Hands the validated settings out to CDI: each area's {@code *Config} record for the adapters'
 * producers, and the few values the use cases need as their own small types (the application layer
 * knows nothing of this package). Everything reads through {@link Configuration}, so the first
 * wrong setting fails the start with its one line.
 */
@ApplicationScoped
public class ConfigProducers {
  @Produces
  ServerConfig server(Configuration c) {
    return c.server();
  }

  @Produces
  DatabaseConfig database(Configuration c) {
    return c.database();
  }

  @Produces
  BlobsConfig blobs(Configuration c) {
    return c.blobs();
  }

  @Produces
  KeysConfig keys(Configuration c) {
    return c.keys();
  }

  @Produces
  MailConfig mail(Configuration c) {
    return c.mail();
  }

  @Produces
  ExpiryConfig expiry(Configuration c) {
    return c.expiry();
  }

  @Produces
  PartnersConfig partners(Configuration c) {
    return c.partners();
  }

  @Produces
  AuditConfig audit(Configuration c) {
    return c.audit();
  }

  @Produces
  OpenConfig open(Configuration c) {
    return c.open();
  }

  @Produces
  EnvelopeConfig envelope(Configuration c) {
    return c.envelope();
  }

  @Produces
  SealHashConfig sealHash(Configuration c) {
    return c.sealHash();
  }

  @Produces
  BootstrapConfig bootstrap(Configuration c) {
    return c.bootstrap();
  }

  @Produces
  PublicBaseUrl publicBaseUrl(ServerConfig server) {
    return new PublicBaseUrl(server.publicBaseUrl().toString());
  }

  @Produces
  EdgeSettings edgeSettings(ServerConfig server) {
    return new EdgeSettings(
        server.trustedProxies(), server.rateLimitPerMinute(), server.benchEndpoint());
  }

  @Produces
  EnvelopeLimits envelopeLimits(EnvelopeConfig envelope) {
    return new EnvelopeLimits(envelope.maxBytes());
  }

  @Produces
  AccessTokenTtl accessTokenTtl(OpenConfig open) {
    return new AccessTokenTtl(open.accessTokenTtl());
  }

  @Produces
  ReissueConfig reissue(Configuration c) {
    return c.reissue();
  }

  @Produces
  ReplyLimits replyLimits(Configuration c) {
    return new ReplyLimits(c.reply().maxPerRecipient(), c.reply().maxBytes());
  }

  @Produces
  MaxReissues maxReissues(ReissueConfig reissue) {
    return new MaxReissues(reissue.maxReissues());
  }

  @Produces
  PartnerJwksTtl partnerJwksTtl(PartnersConfig partners) {
    return new PartnerJwksTtl(partners.jwksTtl());
  }

  @Produces
  SecretHashLimits secretHashLimits(SealHashConfig c) {
    return new SecretHashLimits(
        c.concurrency(), c.concurrencyPerTenant(), c.perMinutePerTenant(), c.maxWait());
  }

  @Produces
  ExpirySweepInterval expirySweepInterval(ExpiryConfig expiry) {
    return new ExpirySweepInterval(expiry.sweepInterval());
  }

  @Produces
  AuditCheckpointInterval auditCheckpointInterval(AuditConfig audit) {
    return new AuditCheckpointInterval(audit.checkpointInterval());
  }

  @Produces
  AuditRetentionPeriod auditRetentionPeriod(AuditConfig audit) {
    return new AuditRetentionPeriod(audit.retention());
  }

  @Produces
  IdempotencyTtl idempotencyTtl(Configuration c) {
    return new IdempotencyTtl(c.idempotency().ttl());
  }

  @Produces
  ExpiryCeiling expiryCeiling(Configuration c) {
    return new ExpiryCeiling(c.envelopeExpiry().maxExpiry());
  }

  @Produces
  NotificationRelay.Policy notificationPolicy(Configuration c) {
    return NotificationRelay.Policy.DEFAULT.withLease(c.mail().relayLease());
  }

  @Produces
  OrphanBlobPolicy orphanBlobPolicy(Configuration c) {
    return new OrphanBlobPolicy(c.blobs().orphanGrace(), c.blobs().orphanSweepInterval());
  }

  @Produces
  Clock clock() {
    return Clock.systemUTC();
  }
}
