package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.application.NotificationRelayTest.MutableClock;
import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.ClientInfo;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.Digests;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.RecipientId;
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
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenLink against a real H2 database and an injected clock.
 *
 * <p>The access token's lifetime: the token that {@code verify} answers reads the manifest and
 * attachments until exactly its configured lifetime has passed, then answers session-ended (401 at
 * the API). A clock rather than a short lifetime on the test server: ConsumerIT's server is shared
 * by all its tests, and a lifetime short enough to wait out would make the slower browser tests
 * flaky on a loaded machine.
 */
class OpenLinkTest {
  private static final Duration TTL = Duration.ofMinutes(3);
  private static final ClientInfo CLIENT = new ClientInfo("192.0.2.1", "test");

  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private LocalKeyService keys;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
  private final TenantId tenant = TenantId.random();
  private final EnvelopeId envelopeId = EnvelopeId.random();
  private final RecipientId recipientId = RecipientId.random();
  private final String token = randomToken();
  private OpenLink openLink;

  private static String randomToken() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(2);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    keys =
        LocalKeyService.open(dir.resolve("keyring.json"), tx, new JdbcSigningKeyStore(jdbc), clock);
    Instant now = clock.instant();
    String serverShare;
    try (DataKey k =
        keys.generateDataKey(new KeyContext(tenant, envelopeId, "server-share:" + recipientId))) {
      serverShare = k.wrapped().value();
    }
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
                          false),
                      false,
                      now));
          jdbc.update(
              "INSERT INTO envelopes (id, tenant_id, status, created_at, expires_at, notify,"
                  + " manifest_blob, version) VALUES (?, ?, 'ACTIVE', ?, ?, FALSE, ?, 0)",
              envelopeId,
              tenant.value(),
              now,
              now.plus(Duration.ofDays(7)),
              tenant.value() + "/" + envelopeId + "/manifest.jwe");
          jdbc.update(
              "INSERT INTO recipients (id, envelope_id, tenant_id, position, recipient_type, email,"
                  + " locale, kid, verification_method, link_token_hash, server_share, status,"
                  + " open_count, failed_attempts, otp_attempts, created_at, version) VALUES (?, ?,"
                  + " ?, 0, 'CONSUMER', 'a@example.com', 'en', ?, 'NONE', ?, ?, 'PENDING', 0, 0, 0,"
                  + " ?, 0)",
              recipientId,
              envelopeId,
              tenant.value(),
              recipientId,
              Digests.sha256Hex(Base64.getUrlDecoder().decode(token)),
              serverShare,
              now);
        });
    openLink =
        new OpenLink(
            tx,
            new JdbcOpenLinkRepository(jdbc),
            new JdbcEnvelopeRepository(jdbc),
            new JdbcTenantRepository(jdbc),
            keys,
            FileSystemBlobStore.open(dir.resolve("blobs")),
            mail -> {
              throw new AssertionError("NONE mails nothing");
            },
            new JdbcAuditLog(tx, jdbc, keys, clock, 1000),
            clock,
            new AccessTokenTtl(TTL));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  /**
   * Past the session check, an unknown attachment is NOT_FOUND; a dead session never gets there.
   */
  private Reason attachmentRefusal(String accessToken) {
    try {
      openLink.attachment(envelopeId, UUID.randomUUID().toString(), accessToken, CLIENT);
      throw new AssertionError("no attachment was sealed");
    } catch (OpenLinkException e) {
      return e.reason();
    }
  }

  @Test
  void accessToken_readsUntilItsConfiguredLifetime_thenTheSessionHasEnded() {
    OpenLink.Opened opened = openLink.verify(envelopeId, recipientId, token, null, null, CLIENT);
    assertThat(opened.expiresIn()).isEqualTo(TTL.toSeconds());

    clock.advance(TTL.minusSeconds(1));
    assertThat(attachmentRefusal(opened.accessToken())).isEqualTo(Reason.NOT_FOUND);

    clock.advance(Duration.ofSeconds(1));
    assertThat(attachmentRefusal(opened.accessToken())).isEqualTo(Reason.SESSION_ENDED);
    assertThatThrownBy(() -> openLink.manifest(envelopeId, opened.accessToken()))
        .isInstanceOfSatisfying(
            OpenLinkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SESSION_ENDED));
  }

  @Test
  void aFreshVerify_afterTheLifetime_givesANewWorkingToken() {
    OpenLink.Opened first = openLink.verify(envelopeId, recipientId, token, null, null, CLIENT);
    clock.advance(TTL.plusMinutes(1));
    assertThat(attachmentRefusal(first.accessToken())).isEqualTo(Reason.SESSION_ENDED);
    OpenLink.Opened second = openLink.verify(envelopeId, recipientId, token, null, null, CLIENT);
    assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(attachmentRefusal(second.accessToken())).isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void concurrentSharedSecretVerifies_openExactlyMaxOpensTimes_andRefuseTheRestAsOpenLimit()
      throws Exception {
    String hash = dev.sealpost.api.domain.SharedSecretHash.hash("open-sesame");
    tx.run(
        () -> {
          jdbc.update("UPDATE envelopes SET max_opens = 3 WHERE id = ?", envelopeId);
          jdbc.update(
              "UPDATE recipients SET verification_method = 'SHARED_SECRET', secret_hash = ?"
                  + " WHERE id = ?",
              hash,
              recipientId);
        });
    int n = 12;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(n);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  openLink.verify(envelopeId, recipientId, token, null, "open-sesame", CLIENT);
                  return "OPENED";
                } catch (OpenLinkException e) {
                  return e.reason().name();
                }
              }));
    }
    go.countDown();
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (var f : results) {
      // Anything but OpenLinkException (a database lock timeout, say: a 500 at the API) fails here.
      counts.merge(f.get(120, java.util.concurrent.TimeUnit.SECONDS), 1, Integer::sum);
    }
    pool.shutdown();
    assertThat(counts).isEqualTo(Map.of("OPENED", 3, "OPEN_LIMIT", n - 3));
    assertThat(
            tx.inTransaction(
                () ->
                    jdbc.queryOne(
                        "SELECT open_count FROM recipients WHERE id = ?",
                        rs -> rs.getInt(1),
                        recipientId)))
        .hasValue(3);
  }

  @Test
  void challenge_whenTheOpensAreUsedUp_isRefusedBeforeAnythingIsSent() {
    tx.run(() -> jdbc.update("UPDATE envelopes SET max_opens = 1 WHERE id = ?", envelopeId));
    openLink.verify(envelopeId, recipientId, token, null, null, CLIENT);
    // As EMAIL_OTP, a challenge would mail a code (the mailer here fails the test if it is called).
    tx.run(
        () ->
            jdbc.update(
                "UPDATE recipients SET verification_method = 'EMAIL_OTP' WHERE id = ?",
                recipientId));
    assertThatThrownBy(() -> openLink.challenge(envelopeId, recipientId, token, CLIENT))
        .isInstanceOfSatisfying(
            OpenLinkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OPEN_LIMIT));
  }
}
