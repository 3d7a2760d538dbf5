package dev.sealpost.api.application;

import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.AuditLog;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.domain.NotificationOutbox;
import dev.sealpost.api.domain.NotificationOutbox.NotificationTarget;
import dev.sealpost.api.domain.NotificationOutbox.NotificationTask;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The outbox relay: sends the link notifications that envelope creation recorded in its own
 * transaction.
 *
 * <p>For each due row: claim it atomically with a lease (one short transaction), open the sealed
 * link secret and send the mail (no transaction held), then in ONE transaction mark the row SENT
 * and drop its payload (the server alone can no longer rebuild the link), move the recipient to
 * NOTIFIED and append NOTIFICATION_SENT. A failed send is retried with exponential backoff and
 * jitter; after {@link Policy#maxAttempts()} the row is FAILED (payload dropped) with
 * NOTIFICATION_FAILED, and the sender can reissue the link.
 *
 * <p>Guarantees: a crash or a mail outage loses nothing (the row stays, due again when its lease
 * ends). Delivery is at least once, not exactly once: if the process dies after the mail server
 * accepted a mail but before the SENT transaction commits, the row is sent again after the lease,
 * so the recipient gets the same link twice (never two different links, and never none). No
 * protocol between a database and SMTP can close that window; the lease keeps it to a crash.
 */
@ApplicationScoped
public class NotificationRelay {
  private static final Logger LOG = Logger.getLogger(NotificationRelay.class.getName());

  /** Retry policy: delay before attempt n+1 is {@code min(max, base * 2^(n-1))} plus jitter. */
  public record Policy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration lease) {
    public static final Policy DEFAULT =
        new Policy(10, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(2));

    /** The same policy with another claim lease ({@code sealpost.mail.relay-lease}). */
    public Policy withLease(Duration lease) {
      return new Policy(maxAttempts, baseDelay, maxDelay, lease);
    }

    public Duration delayAfter(int attempts) {
      long base = baseDelay.toMillis();
      long exp = base << Math.min(30, Math.max(0, attempts - 1));
      return Duration.ofMillis(Math.min(maxDelay.toMillis(), exp < 0 ? Long.MAX_VALUE : exp));
    }
  }

  private final Transactions tx;
  private final NotificationOutbox outbox;
  private final SecretSealer secrets;
  private final Mailer mailer;
  private final AuditLog audit;
  private final Clock clock;
  private final PublicBaseUrl publicBaseUrl;
  private final Policy policy;

  @Inject
  public NotificationRelay(
      Transactions tx,
      NotificationOutbox outbox,
      SecretSealer secrets,
      Mailer mailer,
      AuditLog audit,
      Clock clock,
      PublicBaseUrl publicBaseUrl,
      Policy policy) {
    this.tx = tx;
    this.outbox = outbox;
    this.secrets = secrets;
    this.mailer = mailer;
    this.audit = audit;
    this.clock = clock;
    this.publicBaseUrl = publicBaseUrl;
    this.policy = policy;
  }

  /** One pass over the due rows; answers how many were sent. Never throws. */
  public int runOnce() {
    int sent = 0;
    try {
      Instant now = clock.instant();
      List<String> due = tx.inTransaction(() -> outbox.due(now, 20));
      for (String id : due) {
        if (process(id)) {
          sent++;
        }
      }
    } catch (RuntimeException e) {
      LOG.warning("notification relay pass failed: " + e.getClass().getSimpleName());
    }
    return sent;
  }

  private boolean process(String id) {
    Instant now = clock.instant();
    Optional<NotificationTask> claimed =
        tx.inTransaction(() -> outbox.claim(id, now, now.plus(policy.lease())));
    if (claimed.isEmpty()) {
      return false; // another instance has it
    }
    NotificationTask task = claimed.get();
    MailerMessage mail;
    try {
      mail = compose(task);
    } catch (RuntimeException e) {
      // No payload (revoked meanwhile), key shredded, recipient gone: retrying cannot help.
      giveUp(task, "cannot compose: " + e.getClass().getSimpleName());
      return false;
    }
    if (mail == null) {
      giveUp(task, "envelope no longer active");
      return false;
    }
    try {
      mailer.send(mail);
    } catch (RuntimeException e) {
      failed(task, e);
      return false;
    }
    tx.run(
        () -> {
          Instant at = clock.instant();
          if (outbox.markSent(task.id(), at)) {
            outbox.markRecipientNotified(task.tenantId(), task.recipientId(), at);
            audit.append(event(AuditEventType.NOTIFICATION_SENT, task, at));
          }
        });
    return true;
  }

  private MailerMessage compose(NotificationTask task) {
    if (task.payload() == null) {
      throw new IllegalStateException("no payload");
    }
    LinkNotificationPayload payload = LinkNotificationPayload.parse(task.payload());
    NotificationTarget target =
        tx.inTransaction(() -> outbox.target(task))
            .orElseThrow(() -> new IllegalStateException("no recipient"));
    if (!target.envelopeActive()
        || (target.expiresAt() != null && !target.expiresAt().isAfter(clock.instant()))) {
      return null;
    }
    byte[] secret =
        secrets.open(
            new KeyContext(task.tenantId(), task.envelopeId(), "link-secret:" + task.recipientId()),
            payload.sealedLinkSecret());
    try {
      String link =
          publicBaseUrl.consumerLink(
              task.envelopeId(), task.recipientId(), new String(secret, StandardCharsets.US_ASCII));
      return NotificationMails.link(
          target.email(),
          target.locale(),
          target.organisation(),
          payload.subject().orElse(null),
          link,
          target.expiresAt(),
          target.method());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private void failed(NotificationTask task, RuntimeException e) {
    String error = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
    LOG.warning(
        "notification "
            + task.id()
            + " attempt "
            + task.attempts()
            + " failed: "
            + e.getClass().getSimpleName());
    if (task.attempts() >= policy.maxAttempts()) {
      giveUp(task, error);
      return;
    }
    Duration delay = policy.delayAfter(task.attempts());
    long jitter =
        delay.toMillis() / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay.toMillis() / 5);
    Instant next = clock.instant().plus(delay).plusMillis(jitter);
    tx.run(() -> outbox.retryLater(task.id(), next, error));
  }

  private void giveUp(NotificationTask task, String error) {
    tx.run(
        () -> {
          Instant at = clock.instant();
          if (outbox.markFailed(task.id(), at, error)) {
            audit.append(event(AuditEventType.NOTIFICATION_FAILED, task, at));
          }
        });
  }

  private static AuditEvent event(AuditEventType type, NotificationTask task, Instant at) {
    return new AuditEvent(
        type, at, task.tenantId(), "system", task.envelopeId(), task.recipientId(), null, null);
  }
}
