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
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
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
 * no KMS emulator runs here, so a local endpoint speaks KMS's JSON wire protocol with real AES-GCM
 * and real ECDSA P-256. Request shapes, SigV4, encryption contexts, DER-to-JOSE signatures, retries
 * and error mapping are exercised for real; only the key storage is local.
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
    tx.run(
        () ->
            new JdbcTenantRepository(jdbc)
                .insert(
                    new Tenant(tenant, "t", TenantSettings.defaults("T"), false, Instant.now())));
    keys = service("alias/sealpost-envelope", "alias/sealpost-signing");
  }

  private KmsKeyService service(String keyId, String signingKeyId) {
    return KmsKeyService.builder()
        .keyId(keyId)
        .signingKeyId(signingKeyId)
        .endpoint(Optional.of(kms.endpoint()))
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
  void newSigningKeySetting_rotatesTheTenantToVersion2_oldKeyStaysInJwks() throws Exception {
    String firstKid = keys.signer(tenant).keyId();
    String newArn = kms.createSigningKey(null);
    try (KmsKeyService rotated = service("alias/sealpost-envelope", newArn)) {
      TenantSigner s2 = rotated.signer(tenant);
      assertThat(s2.keyId()).isEqualTo(tenant.value() + ".2");
      JWKSet jwks = JWKSet.parse(rotated.publicJwksJson());
      assertThat(jwks.getKeyByKeyId(firstKid)).isNotNull();
      assertThat(jwks.getKeyByKeyId(s2.keyId())).isNotNull();
      byte[] input = "a.b".getBytes(StandardCharsets.US_ASCII);
      assertThat(
              new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(s2.keyId()))
                  .verify(
                      new JWSHeader(JWSAlgorithm.ES256), input, Base64URL.encode(s2.sign(input))))
          .isTrue();
    }
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
    kms.disable(signingKeyArn);
    assertThatThrownBy(() -> signer.sign(new byte[] {1}))
        .isInstanceOf(KeyUnavailableException.class)
        .hasMessage("KMS Sign: the KMS key is disabled (sealpost.kms.signing-key-id)");
    assertThat(keys.healthy()).isFalse();
    kms.enable(signingKeyArn);
    assertThat(keys.healthy()).isTrue();
    try (KmsKeyService missing = service("alias/missing", signingKeyArn)) {
      assertThatThrownBy(() -> missing.generateDataKey(ctx))
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessage("KMS GenerateDataKey: the KMS key does not exist (sealpost.kms.key-id)");
    }
  }
}
