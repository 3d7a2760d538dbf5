package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.Mailer;
import dev.sealpost.api.domain.MailerException;
import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcAuditLog;
import dev.sealpost.api.infrastructure.jdbc.JdbcNotificationOutbox;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.api.infrastructure.keys.AesGcmSecretSealer;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import dev.sealpost.envelope.LinkSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox relay against a real H2 database, the real local KeyService and a Mailer that fails on
 * demand: retries with exponential backoff, gives up with NOTIFICATION_FAILED, and a crash between
 * the send and the commit loses nothing (the same link is sent again after the lease).
 */
class NotificationRelayTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions jdbcTx;
  private Jdbc jdbc;
  private LocalKeyService keys;
  private final TenantId tenant = TenantId.random();
  private final EnvelopeId envelopeId = EnvelopeId.random();
  private final RecipientId recipientId = RecipientId.random();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final List<MailerMessage> sent = new ArrayList<>();
  private LinkSecret link;
  private static final NotificationRelay.Policy POLICY =
      new NotificationRelay.Policy(
          4, Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(2));

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(2);
    jdbcTx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(jdbcTx);
    keys =
        LocalKeyService.open(
            dir.resolve("keyring.json"), jdbcTx, new JdbcSigningKeyStore(jdbc), clock);
    link = LinkSecret.generate();
    Instant now = clock.instant();
    String sealed =
        new AesGcmSecretSealer(keys)
            .seal(
                new KeyContext(tenant, envelopeId, "link-secret:" + recipientId),
                link.toBase64Url().getBytes(StandardCharsets.US_ASCII));
    jdbcTx.run(
        () -> {
          new JdbcTenantRepository(jdbc)
              .insert(
                  new Tenant(tenant, "t", TenantSettings.defaults("Acme Insurance"), false, now));
          jdbc.update(
              "INSERT INTO envelopes (id, tenant_id, status, created_at, expires_at, notify,"
                  + " version) VALUES (?, ?, 'ACTIVE', ?, ?, TRUE, 0)",
              envelopeId,
              tenant.value(),
              now,
              now.plus(Duration.ofDays(7)));
          jdbc.update(
              "INSERT INTO recipients (id, envelope_id, tenant_id, position, recipient_type, email,"
                  + " locale, kid, verification_method, status, open_count, failed_attempts,"
                  + " otp_attempts, created_at, version) VALUES (?, ?, ?, 0, 'CONSUMER',"
                  + " 'a@example.com', 'fr', ?, 'EMAIL_OTP', 'PENDING', 0, 0, 0, ?, 0)",
              recipientId,
              envelopeId,
              tenant.value(),
              recipientId,
              now);
          jdbc.update(
              "INSERT INTO outbox (id, tenant_id, envelope_id, recipient_id, kind, payload, status,"
                  + " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'NOTIFICATION', ?,"
                  + " 'PENDING', 0, ?, ?)",
              UUID.randomUUID().toString(),
              tenant.value(),
              envelopeId,
              recipientId,
              "{\"v\":1,\"subject\":\"Your policy documents\",\"linkSecret\":\"" + sealed + "\"}",
              now,
              now);
        });
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private NotificationRelay relay(Transactions tx, Mailer mailer) {
    return new NotificationRelay(
        tx,
        new JdbcNotificationOutbox(jdbc),
        new AesGcmSecretSealer(keys),
        mailer,
        new JdbcAuditLog(jdbcTx, jdbc, keys, clock, 1000),
        clock,
        new PublicBaseUrl("https://sealpost.example"),
        POLICY);
  }

  private Mailer failing(AtomicInteger failuresLeft) {
    return mail -> {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new MailerException("connection refused", null);
      }
      sent.add(mail);
    };
  }

  @Test
  void failingMailer_retriesWithExponentialBackoff_thenSendsOnce() {
    NotificationRelay relay = relay(jdbcTx, failing(new AtomicInteger(2)));

    assertThat(relay.runOnce()).isZero();
    Duration first = Duration.between(clock.instant(), nextAttempt());
    assertThat(first).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
    assertThat(status()).isEqualTo("PENDING");

    assertThat(relay.runOnce()).as("not due before its backoff").isZero();
    clock.advance(first);
    assertThat(relay.runOnce()).isZero();
    Duration second = Duration.between(clock.instant(), nextAttempt());
    assertThat(second).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24));

    clock.advance(second);
    assertThat(relay.runOnce()).isEqualTo(1);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).text())
        .contains(
            "https://sealpost.example/v/"
                + envelopeId
                + "/"
                + recipientId
                + "#"
                + link.toBase64Url())
        .contains("Acme Insurance")
        .contains("Your policy documents");
    assertThat(status()).isEqualTo("SENT");
    assertThat(payload()).as("link secret dropped after sending").isNull();
    assertThat(recipientStatus()).isEqualTo("NOTIFIED");
    assertThat(events("NOTIFICATION_SENT")).isEqualTo(1);
    assertThat(events("NOTIFICATION_FAILED")).isZero();

    clock.advance(Duration.ofHours(2));
    assertThat(relay.runOnce()).as("never sent twice").isZero();
    assertThat(sent).hasSize(1);
  }

  @Test
  void mailOutage_givesUpAfterMaxAttempts_recordsFailedAndDropsTheLink() {
    NotificationRelay relay = relay(jdbcTx, failing(new AtomicInteger(Integer.MAX_VALUE)));
    for (int i = 0; i < 10; i++) {
      relay.runOnce();
      clock.advance(Duration.ofMinutes(11));
    }
    assertThat(status()).isEqualTo("FAILED");
    assertThat(attempts()).isEqualTo(POLICY.maxAttempts());
    assertThat(payload()).isNull();
    assertThat(events("NOTIFICATION_FAILED")).isEqualTo(1);
    assertThat(recipientStatus()).isEqualTo("PENDING");
  }

  @Test
  void crashBetweenSendAndCommit_losesNothing_andResendsTheSameLinkAfterTheLease() {
    // The process "dies" right after the mail server accepted the mail: the transaction that
    // would mark the row SENT never commits. At-least-once: the row comes back after its lease.
    AtomicBoolean crashNextTransaction = new AtomicBoolean();
    Transactions crashing =
        new Transactions() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            if (crashNextTransaction.getAndSet(false)) {
              throw new IllegalStateException("simulated crash before commit");
            }
            return jdbcTx.inTransaction(work);
          }
        };
    Mailer accepting =
        mail -> {
          sent.add(mail);
          if (sent.size() == 1) {
            crashNextTransaction.set(true);
          }
        };
    NotificationRelay relay = relay(crashing, accepting);

    relay.runOnce();
    assertThat(sent).hasSize(1);
    assertThat(status()).isEqualTo("SENDING");
    assertThat(payload()).as("nothing lost").isNotNull();

    clock.advance(Duration.ofMinutes(1));
    relay.runOnce();
    assertThat(sent).as("leased: no second sender meanwhile").hasSize(1);

    clock.advance(Duration.ofMinutes(2));
    relay.runOnce();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).text()).isEqualTo(sent.get(0).text());
    assertThat(status()).isEqualTo("SENT");
    assertThat(payload()).isNull();
    assertThat(events("NOTIFICATION_SENT")).isEqualTo(1);
  }

  @Test
  void revokedBeforeSending_sendsNothing() {
    jdbcTx.run(
        () ->
            jdbc.update(
                "UPDATE outbox SET payload = NULL, status = 'CANCELLED' WHERE envelope_id = ?",
                envelopeId));
    NotificationRelay relay = relay(jdbcTx, failing(new AtomicInteger(0)));
    assertThat(relay.runOnce()).isZero();
    assertThat(sent).isEmpty();
    assertThat(status()).isEqualTo("CANCELLED");
  }

  @Test
  void backoffDoublesAndIsCapped() {
    assertThat(POLICY.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(POLICY.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(POLICY.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(POLICY.delayAfter(40)).isEqualTo(Duration.ofMinutes(10));
  }

  private String status() {
    return one("SELECT status FROM outbox WHERE envelope_id = ?");
  }

  private String payload() {
    return one("SELECT payload FROM outbox WHERE envelope_id = ?");
  }

  private int attempts() {
    return Integer.parseInt(
        one("SELECT CAST(attempts AS VARCHAR) FROM outbox WHERE envelope_id = ?"));
  }

  private String recipientStatus() {
    return one("SELECT status FROM recipients WHERE envelope_id = ?");
  }

  private Instant nextAttempt() {
    return jdbcTx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT next_attempt_at FROM outbox WHERE envelope_id = ?",
                    rs -> Jdbc.instant(rs, "next_attempt_at"),
                    envelopeId)
                .orElseThrow());
  }

  private int events(String type) {
    return jdbcTx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT COUNT(*) FROM audit_events WHERE envelope_id = ? AND event_type = ?",
                    rs -> rs.getInt(1),
                    envelopeId,
                    type)
                .orElseThrow());
  }

  private String one(String sql) {
    return jdbcTx.inTransaction(
        () ->
            jdbc.queryOne(sql, rs -> Optional.ofNullable(rs.getString(1)), envelopeId)
                .flatMap(v -> v)
                .orElse(null));
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
