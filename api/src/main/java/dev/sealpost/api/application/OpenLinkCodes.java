package dev.sealpost.api.application;

import static dev.sealpost.api.application.OpenLinkEvents.event;

import dev.sealpost.api.application.OpenLink.Outcome;
import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.LinkAccess;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.OpenLinkRepository;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.OtpCode;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.Transactions;
import java.time.Clock;
import java.time.Instant;

/**
 * EMAIL_OTP codes: a fresh code stored (only its hash) under the per-recipient request limit inside
 * the challenge's transaction, then mailed after it committed.
 */
final class OpenLinkCodes {
  /** A code stored for the recipient of {@code link}, to be mailed. */
  record Pending(LinkState link, String code) {
    @Override
    public String toString() {
      return "Pending[redacted]";
    }
  }

  private final Transactions tx;
  private final OpenLinkRepository links;
  private final TenantRepository tenants;
  private final Mailer mailer;
  private final AuditLog audit;
  private final Clock clock;

  OpenLinkCodes(
      Transactions tx,
      OpenLinkRepository links,
      TenantRepository tenants,
      Mailer mailer,
      AuditLog audit,
      Clock clock) {
    this.tx = tx;
    this.links = links;
    this.tenants = tenants;
    this.mailer = mailer;
    this.audit = audit;
    this.clock = clock;
  }

  /** Under the row lock: stores a fresh code, or refuses when too many were requested. */
  Outcome<Pending> store(LinkState s, RecipientId recipientId, Instant now) {
    String c = OtpCode.generate();
    if (!links.storeCode(
        recipientId,
        OtpCode.hash(recipientId, c),
        LinkAccess.codeExpiry(now),
        now,
        LinkAccess.codeWindowCutoff(now),
        LinkAccess.CODE_REQUESTS)) {
      return Outcome.refused(
          new OpenLinkException(
              Reason.RATE_LIMITED,
              "too many codes requested; try again later",
              null,
              LinkAccess.codeRetryAfterSeconds(s, now)));
    }
    return Outcome.ok(new Pending(s, c));
  }

  /** After the commit: mails the code, then records CODE_SENT. */
  void send(Pending pending, ClientInfo client) {
    LinkState s = pending.link();
    String organisation =
        tx.inTransaction(() -> tenants.find(s.tenantId()))
            .map(t -> t.settings().displayName())
            .orElse("Sealpost");
    try {
      mailer.send(NotificationMails.code(s.email(), s.locale(), organisation, pending.code()));
    } catch (RuntimeException e) {
      throw new OpenLinkException(
          Reason.MAIL_UNAVAILABLE, "the code could not be sent; try again in a minute");
    }
    tx.run(() -> audit.append(event(AuditEventType.CODE_SENT, s, client, clock.instant())));
  }
}
