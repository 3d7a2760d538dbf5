package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.NotificationRelayTest.MutableClock;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.AuditEvent;
import dev.sealpost.api.domain.AuditEventType;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookOutbox.Delivery;
import dev.sealpost.api.domain.WebhookOutbox.Status;
import dev.sealpost.api.domain.WebhookSender;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcAuditLog;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.api.infrastructure.jdbc.JdbcWebhookOutbox;
import dev.sealpost.api.infrastructure.jdbc.JdbcWebhookRepository;
import dev.sealpost.api.infrastructure.keys.AesGcmSecretSealer;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against a real H2 database, the real local KeyService and sealer, and the real audit
 * log: outbox rows commit with their audit event, the relay retries with back-off until delivered
 * or past retry-for, secrets rotate with a 24-hour overlap, payloads carry no personal data, and a
 * stuck endpoint holds back no other. The sender is a recording stand-in for the HTTPS port
 * (HttpsWebhookSender is exercised for real in ProductionIT).
 */
class WebhookRelayTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private JdbcAuditLog audit;
  private JdbcWebhookOutbox outbox;
  private JdbcWebhookRepository webhooks;
  private AesGcmSecretSealer sealer;
  private WebhookAdministration admin;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final RecordingSender sender = new RecordingSender();
  private final TenantId tenant = TenantId.random();
  private final Caller caller =
      new Caller(new ApiKeyId("admin-key"), tenant, Role.ADMIN, Optional.empty(), false);
  private static final ClientInfo CLIENT = new ClientInfo("192.0.2.7", "test-agent");
  private WebhookRelay relay;

  record Sent(String url, String id, long timestamp, String body, List<byte[]> secrets) {}

  static final class RecordingSender implements WebhookSender {
    final List<Sent> sent = new ArrayList<>();
    final Deque<Integer> answers = new ArrayDeque<>();

    @Override
    public synchronized Outcome send(
        String url, String messageId, long timestamp, String body, List<byte[]> secrets) {
      List<byte[]> copies = secrets.stream().map(byte[]::clone).toList();
      sent.add(new Sent(url, messageId, timestamp, body, copies));
      Integer status = answers.isEmpty() ? 200 : answers.poll();
      return new Outcome(status, null);
    }

    @Override
    public void checkUrl(String field, String url) {
      if (url == null || !url.startsWith("https://")) {
        throw new InvalidInputException(field, "must use https");
      }
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(4);
    tx = new JdbcTransactions(db.dataSource());
    Jdbc jdbc = new Jdbc(tx);
    LocalKeyService keys =
        LocalKeyService.open(dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), clock);
    sealer = new AesGcmSecretSealer(keys);
    webhooks = new JdbcWebhookRepository(jdbc);
    outbox = new JdbcWebhookOutbox(jdbc);
    audit =
        new JdbcAuditLog(tx, jdbc, keys, clock, 1000)
            .alsoInTransaction(new WebhookEvents(webhooks, outbox)::record);
    admin = new WebhookAdministration(tx, webhooks, outbox, sender, sealer, audit, clock);
    tx.run(
        () ->
            new JdbcTenantRepository(jdbc)
                .insert(
                    new Tenant(
                        tenant, "t", TenantSettings.defaults("Acme"), false, clock.instant())));
    relay = relay(Duration.ofHours(24), 2);
  }

  private WebhookRelay relay(Duration retryFor, int perEndpoint) {
    return new WebhookRelay(
        tx,
        outbox,
        webhooks,
        sealer,
        sender,
        clock,
        new WebhookRelay.Policy(
            retryFor,
            Duration.ofSeconds(10),
            Duration.ofHours(1),
            Duration.ofMinutes(2),
            perEndpoint,
            4));
  }

  @AfterEach
  void tearDown() {
    relay.close();
    db.close();
  }

  private void opened(EnvelopeId envelope) {
    tx.run(() -> audit.append(openedEvent(envelope, null)));
  }

  private AuditEvent openedEvent(EnvelopeId envelope, String detail) {
    return new AuditEvent(
        AuditEventType.ENVELOPE_OPENED,
        clock.instant(),
        tenant,
        "recipient:r",
        envelope,
        RecipientId.random(),
        "198.51.100.23",
        "Mozilla/5.0 canary-agent",
        detail);
  }

  private WebhookId hook(String url, String... events) {
    return admin.create(caller, url, List.of(events), CLIENT).id();
  }

  @Test
  void auditEvent_writesOneDeliveryPerSubscriber_inItsTransaction() {
    WebhookId opened = hook("https://a.example/hook", "envelope.opened");
    WebhookId revoked = hook("https://b.example/hook", "envelope.revoked");
    opened(EnvelopeId.random());
    assertThat(admin.deliveries(caller, opened, 50)).hasSize(1);
    assertThat(admin.deliveries(caller, revoked, 50)).isEmpty();

    assertThatThrownBy(
            () ->
                tx.run(
                    () -> {
                      audit.append(openedEvent(EnvelopeId.random(), null));
                      throw new IllegalStateException("the change failed");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(admin.deliveries(caller, opened, 50)).as("rolled back with its event").hasSize(1);
  }

  @Test
  void failedAttempts_retryWithBackoff_sameMessageId_thenDelivered() throws Exception {
    WebhookId id = hook("https://a.example/hook", "envelope.opened");
    opened(EnvelopeId.random());
    sender.answers.addAll(List.of(500, 500));

    assertThat(relay.runOnceAndWait()).isEqualTo(1);
    Delivery first = admin.deliveries(caller, id, 50).get(0);
    assertThat(first.status()).isEqualTo(Status.PENDING);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.lastStatus()).isEqualTo(500);
    Duration firstDelay = Duration.between(clock.instant(), first.nextAttemptAt());
    assertThat(firstDelay).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
    assertThat(relay.runOnceAndWait()).as("not due yet").isZero();

    clock.advance(firstDelay);
    assertThat(relay.runOnceAndWait()).isEqualTo(1);
    Delivery second = admin.deliveries(caller, id, 50).get(0);
    Duration secondDelay = Duration.between(clock.instant(), second.nextAttemptAt());
    assertThat(secondDelay).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(24));

    clock.advance(secondDelay);
    assertThat(relay.runOnceAndWait()).isEqualTo(1);
    Delivery done = admin.deliveries(caller, id, 50).get(0);
    assertThat(done.status()).isEqualTo(Status.DELIVERED);
    assertThat(done.attempts()).isEqualTo(3);
    assertThat(done.lastStatus()).isEqualTo(200);
    assertThat(done.nextAttemptAt()).isNull();
    assertThat(sender.sent).extracting(Sent::id).containsOnly(done.id()).hasSize(3);
    assertThat(sender.sent.get(2).timestamp()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(relay.runOnceAndWait()).isZero();
  }

  @Test
  void pastRetryFor_isFailed() throws Exception {
    relay.close();
    relay = relay(Duration.ofMinutes(1), 2);
    WebhookId id = hook("https://a.example/hook", "envelope.opened");
    opened(EnvelopeId.random());
    for (int i = 0; i < 10; i++) {
      sender.answers.add(503);
    }
    for (int i = 0;
        i < 10 && admin.deliveries(caller, id, 1).get(0).status() != Status.FAILED;
        i++) {
      relay.runOnceAndWait();
      clock.advance(Duration.ofSeconds(40));
    }
    Delivery d = admin.deliveries(caller, id, 1).get(0);
    assertThat(d.status()).isEqualTo(Status.FAILED);
    assertThat(d.lastStatus()).isEqualTo(503);
    assertThat(d.nextAttemptAt()).isNull();
    assertThat(d.attempts()).isBetween(2, 4);
  }

  @Test
  void secretShownOnce_signs_andRotationKeepsTheOldOneFor24Hours() throws Exception {
    WebhookAdministration.Created created =
        admin.create(caller, "https://a.example/hook", List.of("envelope.opened"), CLIENT);
    byte[] original = Base64.getDecoder().decode(created.secret().substring("whsec_".length()));
    assertThat(original).hasSize(32);
    assertThat(created.toString()).doesNotContain(created.secret());
    opened(EnvelopeId.random());
    relay.runOnceAndWait();
    assertThat(sender.sent.get(0).secrets()).containsExactly(original);

    String rotated = admin.update(caller, created.id(), null, null, true).orElseThrow();
    byte[] next = Base64.getDecoder().decode(rotated.substring("whsec_".length()));
    assertThat(admin.get(caller, created.id()).previousSecretUntil())
        .isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    opened(EnvelopeId.random());
    relay.runOnceAndWait();
    assertThat(sender.sent.get(1).secrets()).containsExactly(next, original);

    clock.advance(Duration.ofHours(24).plusSeconds(1));
    opened(EnvelopeId.random());
    relay.runOnceAndWait();
    assertThat(sender.sent.get(2).secrets()).containsExactly(next);
  }

  @Test
  void payload_carriesIdsTypesAndTimesOnly() throws Exception {
    hook("https://a.example/hook", "envelope.opened");
    EnvelopeId envelope = EnvelopeId.random();
    String canary = "CANARY-7f3a-alice@example.com";
    tx.run(() -> audit.append(openedEvent(envelope, "subject: " + canary)));
    relay.runOnceAndWait();
    String body = sender.sent.get(0).body();
    assertThat(body)
        .startsWith("{\"type\":\"envelope.opened\",\"timestamp\":\"" + clock.instant() + "\"")
        .contains("\"envelopeId\":\"" + envelope.value() + "\"")
        .doesNotContain("CANARY", "alice", "198.51.100.23", "canary-agent", "recipient:r");
  }

  @Test
  void replySent_raisesReplyReceived_withTheReplyId_andNothingElseOfTheDetail() throws Exception {
    hook("https://a.example/hook", "reply.received");
    EnvelopeId envelope = EnvelopeId.random();
    RecipientId recipient = RecipientId.random();
    String replyId = "0b6c2d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5";
    tx.run(
        () ->
            audit.append(
                new AuditEvent(
                    AuditEventType.REPLY_SENT,
                    clock.instant(),
                    tenant,
                    "recipient:" + recipient,
                    envelope,
                    recipient,
                    "198.51.100.23",
                    "Mozilla/5.0 canary-agent",
                    "reply: " + replyId + "; attachments: 2; bytes: 4242")));
    relay.runOnceAndWait();
    assertThat(sender.sent).hasSize(1);
    assertThat(sender.sent.get(0).body())
        .isEqualTo(
            "{\"type\":\"reply.received\",\"timestamp\":\""
                + clock.instant()
                + "\",\"data\":{\"envelopeId\":\""
                + envelope.value()
                + "\",\"recipientId\":\""
                + recipient.value()
                + "\",\"replyId\":\""
                + replyId
                + "\"}}");
  }

  @Test
  void anotherTenantsWebhook_isNotFound() {
    WebhookId id = hook("https://a.example/hook", "envelope.opened");
    Caller other =
        new Caller(new ApiKeyId("other"), TenantId.random(), Role.ADMIN, Optional.empty(), false);
    assertThatThrownBy(() -> admin.get(other, id)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.deliveries(other, id, 10)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.update(other, id, "https://evil.example/", null, true))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.delete(other, id, CLIENT)).isInstanceOf(NotFoundException.class);
    assertThat(admin.list(other)).isEmpty();
    assertThat(admin.get(caller, id).url()).isEqualTo("https://a.example/hook");
  }

  @Test
  void badInput_namesTheField() {
    assertThatThrownBy(
            () -> admin.create(caller, "http://a.example/", List.of("envelope.opened"), CLIENT))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("url");
    assertThatThrownBy(
            () -> admin.create(caller, "https://a.example/", List.of("envelope.read"), CLIENT))
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("events");
    assertThatThrownBy(() -> admin.create(caller, "https://a.example/", List.of(), CLIENT))
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("events");
  }

  @Test
  void deletedWebhook_takesItsDeliveriesAlong() throws Exception {
    WebhookId id = hook("https://a.example/hook", "envelope.opened");
    opened(EnvelopeId.random());
    admin.delete(caller, id, CLIENT);
    assertThat(relay.runOnceAndWait()).isZero();
    assertThat(sender.sent).isEmpty();
    assertThatThrownBy(() -> admin.get(caller, id)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void stuckEndpoint_holdsBackNoOther() throws Exception {
    WebhookId stuck = hook("https://stuck.example/hook", "envelope.opened");
    CountDownLatch release = new CountDownLatch(1);
    WebhookSender blocking =
        new WebhookSender() {
          @Override
          public Outcome send(String url, String id, long ts, String body, List<byte[]> s) {
            if (url.contains("stuck")) {
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return sender.send(url, id, ts, body, s);
          }

          @Override
          public void checkUrl(String field, String url) {}
        };
    relay.close();
    relay =
        new WebhookRelay(
            tx,
            outbox,
            webhooks,
            sealer,
            blocking,
            clock,
            new WebhookRelay.Policy(
                Duration.ofHours(24),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ofMinutes(2),
                1,
                4));
    for (int i = 0; i < 5; i++) {
      opened(EnvelopeId.random());
    }
    WebhookId healthy = hook("https://ok.example/hook", "envelope.opened");
    opened(EnvelopeId.random()); // one more for the stuck one, one for the healthy one
    assertThat(relay.runOnce()).as("one stuck, one healthy").isEqualTo(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (admin.deliveries(caller, healthy, 1).get(0).status() != Status.DELIVERED
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(admin.deliveries(caller, healthy, 1).get(0).status()).isEqualTo(Status.DELIVERED);
    assertThat(relay.runOnce()).as("the stuck endpoint is at its limit").isZero();
    assertThat(admin.deliveries(caller, stuck, 50))
        .filteredOn(d -> d.attempts() == 0)
        .as("the stuck endpoint's other rows were not even claimed")
        .hasSize(5);
    release.countDown();
  }
}
