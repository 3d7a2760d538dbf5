package dev.sealpost.api.infrastructure.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.RotatedSigningKey;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore.StoredSigningKey;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.SealedEnvelope;
import dev.sealpost.envelope.TrustedKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The aws-kms key service with the REAL AWS SDK KmsClient against {@link LocalKmsProtocolServer}:
 * AWS KMS cannot run here, and no KMS emulator does, so a local endpoint speaks KMS's JSON wire
 * protocol with real AES-GCM and real ECDSA P-256. Request shapes, SigV4, encryption contexts,
 * DER-to-JOSE signatures, per-tenant CreateKey/CreateAlias/ScheduleKeyDeletion, retries and error
 * mapping are exercised for real; what this cannot show is AWS's IAM evaluation and key policies.
 */
class KmsKeyServiceAgainstLocalKmsProtocolTest {
  private static LocalKmsProtocolServer kms;
  private static String dataKeyArn;
  private static String signingKeyArn;

  private Database db;
  private JdbcTransactions tx;
  private JdbcSigningKeyStore store;
  private final TenantId tenant = TenantId.random();
  private KmsKeyService keys;
  private JdbcTenantRepository tenants;

  @BeforeAll
  static void startKms() throws Exception {
    kms = LocalKmsProtocolServer.start();
    dataKeyArn = kms.createSymmetricKey("sealpost-envelope");
    signingKeyArn = kms.createSigningKey("sealpost-signing");
  }

  @AfterAll
  static void stopKms() {
    kms.close();
  }

  @BeforeEach
  void setUp() {
    db = InMemoryDatabase.start(2);
    tx = new JdbcTransactions(db.dataSource());
    Jdbc jdbc = new Jdbc(tx);
    store = new JdbcSigningKeyStore(jdbc);
    tenants = new JdbcTenantRepository(jdbc);
    insertTenant(tenant);
    keys = service("alias/sealpost-envelope", "alias/sealpost-signing");
  }

  private void insertTenant(TenantId id) {
    tx.run(
        () ->
            tenants.insert(
                new Tenant(
                    id,
                    "t-" + id.value(),
                    TenantSettings.defaults("T " + id.value()),
                    false,
                    Instant.now())));
  }

  private TenantId newTenant() {
    TenantId id = TenantId.random();
    insertTenant(id);
    return id;
  }

  private KmsKeyService service(String keyId, String signingKeyId) {
    KmsKeyService.Builder b = KmsKeyService.builder().keyId(keyId);
    if (signingKeyId != null) {
      b.signingKeyId(signingKeyId);
    }
    return b.endpoint(Optional.of(kms.endpoint()))
        .credentials(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .signingKeys(tx, store)
        .build();
  }

  @AfterEach
  void tearDown() {
    keys.close();
    db.close();
    kms.enable(dataKeyArn);
    kms.allow(dataKeyArn);
    kms.enable(signingKeyArn);
    kms.throttleNext(0);
  }

  @Test
  void dataKey_roundTrips_underItsContext() {
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-1"), "server-share:r1");
    try (DataKey k = keys.generateDataKey(ctx);
        DataKey back = keys.decryptDataKey(k.wrapped(), ctx)) {
      assertThat(k.bytes()).hasSize(32);
      assertThat(back.sameKeyAs(k)).isTrue();
      assertThat(k.wrapped().value()).doesNotContain(Base64URL.encode(k.bytes()).toString());
    }
    assertThat(kms.operations()).contains("GenerateDataKey", "Decrypt");
  }

  @Test
  void dataKey_doesNotUnwrap_underAnotherTenantEnvelopeOrPurpose() {
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-1"), "custody");
    DataKey k = keys.generateDataKey(ctx);
    for (KeyContext other :
        List.of(
            new KeyContext(TenantId.random(), new EnvelopeId("env-1"), "custody"),
            new KeyContext(tenant, new EnvelopeId("env-2"), "custody"),
            new KeyContext(tenant, new EnvelopeId("env-1"), "server-share:r1"))) {
      assertThatThrownBy(() -> keys.decryptDataKey(k.wrapped(), other))
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessageContaining("does not unwrap in this context");
    }
  }

  @Test
  void startCheck_passes_andNamesTheSettingOfABrokenKey() {
    keys.checkKeys();
    try (KmsKeyService missing = service("alias/no-such-key", signingKeyArn)) {
      assertThatThrownBy(missing::checkKeys)
          .isInstanceOfSatisfying(
              KmsKeyService.StartCheckException.class,
              e -> assertThat(e.key()).isEqualTo("sealpost.kms.key-id"))
          .hasMessageContaining("does not exist");
    }
    try (KmsKeyService wrongKind = service(dataKeyArn, dataKeyArn)) {
      assertThatThrownBy(wrongKind::checkKeys)
          .isInstanceOfSatisfying(
              KmsKeyService.StartCheckException.class,
              e -> assertThat(e.key()).isEqualTo("sealpost.kms.signing-key-id"));
    }
  }

  @Test
  void sign_givesJoseSignature_thatVerifiesWithTheJwksKey() throws Exception {
    TenantSigner signer = keys.signer(tenant);
    assertThat(signer.keyId()).isEqualTo(tenant.value() + ".1");
    byte[] input = "eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = signer.sign(input);
    assertThat(sig).hasSize(64);

    ECKey pub = (ECKey) JWKSet.parse(keys.publicJwksJson()).getKeyByKeyId(signer.keyId());
    assertThat(pub.isPrivate()).isFalse();
    ECDSAVerifier verifier = new ECDSAVerifier(pub);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).build();
    assertThat(verifier.verify(header, input, Base64URL.encode(sig))).isTrue();
    input[0] ^= 1;
    assertThat(verifier.verify(header, input, Base64URL.encode(sig))).isFalse();
    // only a digest went to KMS, never the signing input (the manifest holds attachment keys)
    assertThat(kms.operations()).contains("Sign", "GetPublicKey");
  }

  @Test
  void envelopeSignedThroughKms_opensWithTheServersJwks_andTenantBinding() throws Exception {
    TenantSigner signer = keys.signer(tenant);
    ManifestSigner manifestSigner =
        new ManifestSigner() {
          @Override
          public String keyId() {
            return signer.keyId();
          }

          @Override
          public byte[] sign(byte[] signingInput) {
            return signer.sign(signingInput);
          }
        };
    LinkSecret secret = LinkSecret.generate();
    EnvelopeSealer sealer =
        EnvelopeSealer.builder().tenant(tenant.value()).signer(manifestSigner).build();
    LinkKek kek =
        LinkKek.derive(LinkKek.generateServerShare(), secret.linkShare(), sealer.envelopeId());
    SealedEnvelope sealed = sealer.seal("s", "m", List.of(Recipient.link("r1", kek)));
    var opened =
        EnvelopeOpener.builder()
            .trust(TrustedKeys.fromJwksJson(keys.publicJwksJson()))
            .requireSignerOfManifestTenant()
            .build()
            .open(sealed.json(), RecipientKey.link(kek));
    assertThat(opened.signerKeyId()).isEqualTo(tenant.value() + ".1");
  }

  @Test
  void eachTenant_getsItsOwnKmsKey_aliasedAndTagged_andSignaturesVerifyOnlyPerTenant()
      throws Exception {
    TenantId other = newTenant();
    keys.ensureSigningKey(tenant);
    keys.ensureSigningKey(other);
    String arnA = kms.aliasTarget("alias/sealpost/tenant/" + tenant.value());
    String arnB = kms.aliasTarget("alias/sealpost/tenant/" + other.value());
    assertThat(arnA).isNotNull().isNotEqualTo(arnB);
    assertThat(kms.tags(arnA))
        .containsEntry("sealpost:tenant", tenant.value())
        .containsEntry("sealpost:purpose", "signing");
    assertThat(kms.tags(arnB)).containsEntry("sealpost:tenant", other.value());

    JWKSet jwks = JWKSet.parse(keys.publicJwksJson());
    ECKey pubA = (ECKey) jwks.getKeyByKeyId(tenant.value() + ".1");
    ECKey pubB = (ECKey) jwks.getKeyByKeyId(other.value() + ".1");
    assertThat(pubA.toECPublicKey()).isNotEqualTo(pubB.toECPublicKey());
    byte[] input = "a.b".getBytes(StandardCharsets.US_ASCII);
    Base64URL sigA = Base64URL.encode(keys.signer(tenant).sign(input));
    Base64URL sigB = Base64URL.encode(keys.signer(other).sign(input));
    JWSHeader h = new JWSHeader(JWSAlgorithm.ES256);
    assertThat(new ECDSAVerifier(pubA).verify(h, input, sigA)).isTrue();
    assertThat(new ECDSAVerifier(pubB).verify(h, input, sigB)).isTrue();
    // a verifier that trusts a key, not a kid, still tells the tenants apart
    assertThat(new ECDSAVerifier(pubB).verify(h, input, sigA)).isFalse();
    assertThat(new ECDSAVerifier(pubA).verify(h, input, sigB)).isFalse();
  }

  @Test
  void ensureSigningKey_isIdempotent_oneKmsKeyPerTenant() {
    keys.ensureSigningKey(tenant);
    int creates = count("CreateKey");
    keys.ensureSigningKey(tenant);
    keys.signer(tenant);
    assertThat(count("CreateKey")).isEqualTo(creates);
    assertThat(tx.inTransaction(store::all)).hasSize(1);
  }

  @Test
  void rotation_createsANewKmsKey_movesTheAlias_andTheOldKidStaysVerifiable() throws Exception {
    TenantSigner s1 = keys.signer(tenant);
    byte[] input = "a.b".getBytes(StandardCharsets.US_ASCII);
    Base64URL oldSig = Base64URL.encode(s1.sign(input));
    String oldArn = kms.aliasTarget("alias/sealpost/tenant/" + tenant.value());

    RotatedSigningKey r = keys.rotateSigningKey(tenant);

    assertThat(r.previousKid()).contains(tenant.value() + ".1");
    assertThat(r.kid()).isEqualTo(tenant.value() + ".2");
    String newArn = kms.aliasTarget("alias/sealpost/tenant/" + tenant.value());
    assertThat(newArn).isNotEqualTo(oldArn);
    TenantSigner s2 = keys.signer(tenant);
    assertThat(s2.keyId()).isEqualTo(r.kid());
    JWKSet jwks = JWKSet.parse(keys.publicJwksJson());
    JWSHeader h = new JWSHeader(JWSAlgorithm.ES256);
    ECKey oldPub = (ECKey) jwks.getKeyByKeyId(s1.keyId());
    ECKey newPub = (ECKey) jwks.getKeyByKeyId(s2.keyId());
    assertThat(new ECDSAVerifier(oldPub).verify(h, input, oldSig)).isTrue();
    assertThat(new ECDSAVerifier(newPub).verify(h, input, Base64URL.encode(s2.sign(input))))
        .isTrue();
    assertThat(new ECDSAVerifier(newPub).verify(h, input, oldSig)).isFalse();
  }

  @Test
  void legacySharedKeyRow_staysPublished_andTheTenantMovesToItsOwnKeyAsVersion2() throws Exception {
    // a deployment before per-tenant keys: the tenant's kid 1 names the shared signing key
    String legacyJwk;
    try (var client = kmsClientOf()) {
      legacyJwk =
          new ECKey.Builder(KmsTenantKeys.publicKey(client, signingKeyArn, "t").publicKey())
              .keyID(tenant.value() + ".1")
              .build()
              .toJSONString();
    }
    tx.run(
        () ->
            store.insert(
                new StoredSigningKey(
                    tenant.value() + ".1", tenant, 1, legacyJwk, null, signingKeyArn, "SHARED"),
                Instant.now()));
    TenantSigner s = keys.signer(tenant);
    assertThat(s.keyId()).isEqualTo(tenant.value() + ".2");
    assertThat(kms.aliasTarget("alias/sealpost/tenant/" + tenant.value()))
        .isNotEqualTo(signingKeyArn);
    JWKSet jwks = JWKSet.parse(keys.publicJwksJson());
    assertThat(jwks.getKeyByKeyId(tenant.value() + ".1")).isNotNull();
    assertThat(jwks.getKeyByKeyId(tenant.value() + ".2")).isNotNull();
  }

  @Test
  void twoInstancesRacingOnFirstUse_registerOneKey_andTheLosersKeyIsScheduledForDeletion()
      throws Exception {
    int createdBefore = count("CreateKey");
    int deletedBefore = count("ScheduleKeyDeletion");
    for (int round = 0; round < 4; round++) {
      TenantId t = newTenant();
      try (KmsKeyService a = service("alias/sealpost-envelope", null);
          KmsKeyService b = service("alias/sealpost-envelope", null)) {
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
          var fa = pool.submit(() -> awaitThen(start, () -> a.signer(t).keyId()));
          var fb = pool.submit(() -> awaitThen(start, () -> b.signer(t).keyId()));
          assertThat(fa.get()).isEqualTo(t.value() + ".1").isEqualTo(fb.get());
        } finally {
          pool.shutdown();
        }
      }
      List<StoredSigningKey> rows =
          tx.inTransaction(store::all).stream().filter(k -> k.tenantId().equals(t)).toList();
      assertThat(rows).hasSize(1);
      String winner = rows.get(0).keyRef();
      assertThat(kms.aliasTarget("alias/sealpost/tenant/" + t.value())).isEqualTo(winner);
      assertThat(kms.pendingDeletion()).doesNotContain(winner);
    }
    // every key made by a loser is pending deletion: created = one per tenant + deleted
    assertThat(count("CreateKey") - createdBefore)
        .isEqualTo(4 + count("ScheduleKeyDeletion") - deletedBefore);
  }

  private static <T> T awaitThen(
      java.util.concurrent.CyclicBarrier barrier, java.util.concurrent.Callable<T> work)
      throws Exception {
    barrier.await();
    return work.call();
  }

  private int count(String operation) {
    return (int) kms.operations().stream().filter(operation::equals).count();
  }

  private software.amazon.awssdk.services.kms.KmsClient kmsClientOf() {
    return software.amazon.awssdk.services.kms.KmsClient.builder()
        .endpointOverride(kms.endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .build();
  }

  @Test
  void throttling_isRetriedWithBackoff_thenSucceeds() {
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-t"), "custody");
    int before = kms.operations().size();
    kms.throttleNext(2);
    try (DataKey k = keys.generateDataKey(ctx)) {
      assertThat(k.bytes()).hasSize(32);
    }
    assertThat(kms.operations().subList(before, kms.operations().size()))
        .containsExactly("GenerateDataKey", "GenerateDataKey", "GenerateDataKey");
  }

  @Test
  void throttlingBeyondTheRetries_isKeyUnavailable() {
    kms.throttleNext(KmsKeyService.MAX_ATTEMPTS + 1);
    assertThatThrownBy(
            () -> keys.generateDataKey(new KeyContext(tenant, new EnvelopeId("e"), "custody")))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("throttling");
  }

  @Test
  void accessDeniedDisabledAndMissingKeys_giveClearErrors() {
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-e"), "custody");
    DataKey k = keys.generateDataKey(ctx);
    kms.deny(dataKeyArn);
    assertThatThrownBy(() -> keys.decryptDataKey(k.wrapped(), ctx))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessage("KMS Decrypt: access denied to the KMS key (sealpost.kms.key-id)");
    kms.allow(dataKeyArn);
    kms.disable(dataKeyArn);
    assertThatThrownBy(() -> keys.generateDataKey(ctx))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessage("KMS GenerateDataKey: the KMS key is disabled (sealpost.kms.key-id)");
    kms.enable(dataKeyArn);
    TenantSigner signer = keys.signer(tenant);
    String alias = "alias/sealpost/tenant/" + tenant.value();
    String tenantKey = kms.aliasTarget(alias);
    kms.disable(tenantKey);
    assertThatThrownBy(() -> signer.sign(new byte[] {1}))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessage("KMS Sign: the KMS key is disabled (" + alias + ")");
    kms.enable(tenantKey);
    kms.disable(dataKeyArn);
    assertThat(keys.healthy()).isFalse();
    kms.enable(dataKeyArn);
    assertThat(keys.healthy()).isTrue();
    try (KmsKeyService missing = service("alias/missing", signingKeyArn)) {
      assertThatThrownBy(() -> missing.generateDataKey(ctx))
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessage("KMS GenerateDataKey: the KMS key does not exist (sealpost.kms.key-id)");
    }
  }
}
