package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.NotificationRelayTest.MutableClock;
import dev.sealpost.api.domain.ApiKeyId;
import dev.sealpost.api.domain.Caller;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.OpenLinkRepository.NewLink;
import dev.sealpost.api.domain.PublicBaseUrl;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.ReissuePolicy.Refusal;
import dev.sealpost.api.domain.ReissueRefusedException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.SecretSealer;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.api.infrastructure.blobs.FileSystemBlobStore;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcAuditLog;
import dev.sealpost.api.infrastructure.jdbc.JdbcEnvelopeRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcOpenLinkRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.api.infrastructure.keys.LocalKeyService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReissueLink's rules against a real H2 database: who may reissue, that a lock needs an ADMIN, the
 * limit, and that a reissue which lifts no lock keeps the wrong answers counted. The successful
 * re-wrap itself (a real sealed envelope with its custody entry) is ConsumerIT's.
 */
class ReissueLinkTest {
  private static final ClientInfo CLIENT = new ClientInfo("192.0.2.1", "test");
  private static final SecretSealer NO_MAIL =
      new SecretSealer() {
        @Override
        public String seal(KeyContext context, byte[] plaintext) {
          throw new AssertionError("a refused reissue mails nothing");
        }

        @Override
        public byte[] open(KeyContext context, String sealed) {
          throw new AssertionError("not used");
        }
      };

  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private JdbcOpenLinkRepository links;
  private ReissueLink reissue;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
  private final TenantId tenant = TenantId.random();
  private final EnvelopeId envelopeId = EnvelopeId.random();
  private final RecipientId recipientId = RecipientId.random();
  private final String sealerKeyId = UUID.randomUUID().toString();

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(2);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    LocalKeyService keys =
        LocalKeyService.open(dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), clock);
    Instant now = clock.instant();
    tx.run(
        () -> {
          new JdbcTenantRepository(jdbc)
              .insert(
                  new Tenant(
                      tenant,
                      "t",
                      new TenantSettings(
                          "Acme Insurance",
                          EnumSet.allOf(VerificationMethod.class),
                          TenantSettings.DEFAULT_EXPIRY,
                          TenantSettings.MAX_EXPIRY,
                          true),
                      false,
                      now));
          jdbc.update(
              "INSERT INTO envelopes (id, tenant_id, created_by, status, created_at, expires_at,"
                  + " notify, manifest_blob, custody_key, custody_kid, version) VALUES (?, ?, ?,"
                  + " 'ACTIVE', ?, ?, FALSE, ?, 'wrapped-custody', 'custody-kid', 0)",
              envelopeId.value(),
              tenant.value(),
              sealerKeyId,
              now,
              now.plus(Duration.ofDays(7)),
              tenant.value() + "/" + envelopeId.value() + "/manifest.jwe");
          jdbc.update(
              "INSERT INTO recipients (id, envelope_id, tenant_id, position, recipient_type, email,"
                  + " locale, kid, verification_method, link_token_hash, server_share, status,"
                  + " open_count, failed_attempts, otp_attempts, created_at, version) VALUES (?, ?,"
                  + " ?, 0, 'CONSUMER', 'a@example.com', 'en', ?, 'SHARED_SECRET', 'old-hash',"
                  + " 'old-share', 'PENDING', 0, 0, 0, ?, 0)",
              recipientId.value(),
              envelopeId.value(),
              tenant.value(),
              recipientId.value(),
              now);
        });
    links = new JdbcOpenLinkRepository(jdbc);
    reissue =
        new ReissueLink(
            tx,
            new JdbcEnvelopeRepository(jdbc),
            links,
            keys,
            FileSystemBlobStore.open(dir.resolve("blobs")),
            NO_MAIL,
            clock,
            new PublicBaseUrl("https://sealpost.test"),
            new JdbcAuditLog(tx, jdbc, keys, clock, 1000),
            new MaxReissues(3));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private Caller key(String id, Role role) {
    return new Caller(new ApiKeyId(id), tenant, role, Optional.empty(), false);
  }

  private Refusal refusal(Caller caller) {
    try {
      reissue.reissue(caller, envelopeId, recipientId, false, CLIENT);
      throw new AssertionError("the reissue was not refused");
    } catch (ReissueRefusedException e) {
      return e.refusal();
    }
  }

  private void recipient(String status, int failedAttempts, int reissues) {
    tx.run(
        () ->
            jdbc.update(
                "UPDATE recipients SET status = ?, failed_attempts = ?, reissue_count = ? WHERE"
                    + " id = ?",
                status,
                failedAttempts,
                reissues,
                recipientId.value()));
  }

  private <T> T column(String column, Class<T> type) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT " + column + " FROM recipients WHERE id = ?",
                    rs -> type.cast(rs.getObject(1)),
                    recipientId.value())
                .orElseThrow());
  }

  private long reissuedEvents() {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT COUNT(*) FROM audit_events WHERE event_type = 'LINK_REISSUED'",
                    rs -> rs.getLong(1))
                .orElseThrow());
  }

  @Test
  void anotherSenderKeyOfTheTenant_isRefused_andNothingChanges() {
    assertThat(refusal(key(UUID.randomUUID().toString(), Role.SENDER)))
        .isEqualTo(Refusal.NOT_SEALER_OR_ADMIN);
    assertThat(column("link_token_hash", String.class)).isEqualTo("old-hash");
    assertThat(reissuedEvents()).isZero();
  }

  @Test
  void anotherTenantsAdmin_doesNotFindTheEnvelope() {
    Caller stranger =
        new Caller(new ApiKeyId("x"), TenantId.random(), Role.ADMIN, Optional.empty(), false);
    assertThatThrownBy(() -> reissue.reissue(stranger, envelopeId, recipientId, false, CLIENT))
        .isInstanceOf(dev.sealpost.api.domain.NotFoundException.class);
  }

  @Test
  void theSealingSender_onALockedRecipient_isRefused_andTheLockStays() {
    recipient("LOCKED", 5, 0);
    assertThat(refusal(key(sealerKeyId, Role.SENDER))).isEqualTo(Refusal.LOCK_NEEDS_ADMIN);
    assertThat(column("status", String.class)).isEqualTo("LOCKED");
    assertThat(column("failed_attempts", Integer.class)).isEqualTo(5);
    assertThat(reissuedEvents()).isZero();
  }

  @Test
  void usedUpReissues_areRefused_evenToAnAdmin() {
    recipient("PENDING", 0, 3);
    assertThat(refusal(key(UUID.randomUUID().toString(), Role.ADMIN)))
        .isEqualTo(Refusal.LIMIT_REACHED);
    assertThat(refusal(key(sealerKeyId, Role.SENDER))).isEqualTo(Refusal.LIMIT_REACHED);
    assertThat(column("link_token_hash", String.class)).isEqualTo("old-hash");
  }

  @Test
  void aReissueThatLiftsNoLock_keepsTheWrongAnswersCounted() {
    recipient("PENDING", 2, 0);
    boolean done =
        tx.inTransaction(
            () ->
                links.reissue(
                    tenant,
                    envelopeId,
                    recipientId,
                    new NewLink("new-hash", "new-share"),
                    false,
                    3));
    assertThat(done).isTrue();
    assertThat(column("failed_attempts", Integer.class)).isEqualTo(2);
    assertThat(column("reissue_count", Integer.class)).isEqualTo(1);
    assertThat(column("link_token_hash", String.class)).isEqualTo("new-hash");
  }

  @Test
  void aReissueThatLiftsTheLock_resetsIt_andTheCountStopsAtTheLimit() {
    recipient("LOCKED", 5, 2);
    assertThat(
            tx.inTransaction(
                () ->
                    links.reissue(
                        tenant, envelopeId, recipientId, new NewLink("h1", "s1"), true, 3)))
        .isTrue();
    assertThat(column("status", String.class)).isEqualTo("PENDING");
    assertThat(column("failed_attempts", Integer.class)).isEqualTo(0);
    assertThat(
            tx.inTransaction(
                () ->
                    links.reissue(
                        tenant, envelopeId, recipientId, new NewLink("h2", "s2"), false, 3)))
        .isFalse();
    assertThat(column("link_token_hash", String.class)).isEqualTo("h1");
    assertThat(column("reissue_count", Integer.class)).isEqualTo(3);
  }
}
