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
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTenantRepository;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a real (in-memory H2) database migrated by the real Flyway scripts. */
class LocalKeyServiceTest {
  @TempDir Path dir;
  private Database db;
  private JdbcTransactions tx;
  private JdbcSigningKeyStore store;
  private final TenantId tenant = TenantId.random();

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
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private LocalKeyService open() throws Exception {
    return LocalKeyService.open(dir.resolve("keyring.json"), tx, store, Clock.systemUTC());
  }

  @Test
  void firstStart_createsOwnerOnlyKeyring_andReopensIt() throws Exception {
    LocalKeyService keys = open();
    Path ring = dir.resolve("keyring.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ring)))
        .isEqualTo("rw-------");
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-1"), "custody");
    DataKey k = keys.generateDataKey(ctx);
    try (DataKey back = open().decryptDataKey(k.wrapped(), ctx)) {
      assertThat(back.sameKeyAs(k)).isTrue();
    }
    assertThat(k.toString()).doesNotContain(Base64URL.encode(k.bytes()).toString());
  }

  @Test
  void wrappedKey_onlyUnwrapsInItsOwnContext() throws Exception {
    LocalKeyService keys = open();
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-1"), "server-share:r1");
    WrappedKey w = keys.generateDataKey(ctx).wrapped();
    assertThatThrownBy(
            () ->
                keys.decryptDataKey(
                    w, new KeyContext(tenant, new EnvelopeId("env-2"), "server-share:r1")))
        .isInstanceOf(KeyUnavailableException.class);
    assertThatThrownBy(
            () ->
                keys.decryptDataKey(
                    w,
                    new KeyContext(TenantId.random(), new EnvelopeId("env-1"), "server-share:r1")))
        .isInstanceOf(KeyUnavailableException.class);
    byte[] bytes = new Base64URL(w.value()).decode();
    bytes[bytes.length - 1] ^= 1;
    assertThatThrownBy(
            () -> keys.decryptDataKey(new WrappedKey(Base64URL.encode(bytes).toString()), ctx))
        .isInstanceOf(KeyUnavailableException.class);
  }

  @Test
  void rotation_keepsOldWrappedKeysReadable() throws Exception {
    LocalKeyService keys = open();
    KeyContext ctx = new KeyContext(tenant, new EnvelopeId("env-1"), "custody");
    DataKey old = keys.generateDataKey(ctx);
    assertThat(keys.rotateMasterKey()).isEqualTo(2);
    DataKey fresh = keys.generateDataKey(ctx);
    LocalKeyService reopened = open();
    assertThat(reopened.decryptDataKey(old.wrapped(), ctx).sameKeyAs(old)).isTrue();
    assertThat(reopened.decryptDataKey(fresh.wrapped(), ctx).sameKeyAs(fresh)).isTrue();
  }

  @Test
  void tenantSigner_signsES256_verifiableWithThePublishedKey() throws Exception {
    LocalKeyService keys = open();
    keys.ensureSigningKey(tenant);
    keys.ensureSigningKey(tenant); // idempotent
    TenantSigner signer = keys.signer(tenant);
    assertThat(signer.keyId()).isEqualTo(tenant.value() + ".1");
    byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = signer.sign(input);
    assertThat(sig).hasSize(64);

    JWKSet jwks = JWKSet.parse(keys.publicJwksJson());
    assertThat(jwks.getKeys()).hasSize(1);
    ECKey pub = (ECKey) jwks.getKeyByKeyId(signer.keyId());
    assertThat(pub.isPrivate()).isFalse();
    boolean ok =
        new ECDSAVerifier(pub)
            .verify(new JWSHeader(JWSAlgorithm.ES256), input, Base64URL.encode(sig));
    assertThat(ok).isTrue();
    // The private key is stored only wrapped.
    assertThat(tx.inTransaction(store::all).get(0).wrappedPrivate()).doesNotContain("\"d\"");
  }

  @Test
  void signingKeyRotation_signsWithANewKey_andTheOldKidStaysVerifiable() throws Exception {
    LocalKeyService keys = open();
    TenantSigner s1 = keys.signer(ensure(keys));
    byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
    Base64URL oldSig = Base64URL.encode(s1.sign(input));

    var rotated = keys.rotateSigningKey(tenant);

    assertThat(rotated.previousKid()).contains(tenant.value() + ".1");
    assertThat(rotated.kid()).isEqualTo(tenant.value() + ".2");
    TenantSigner s2 = keys.signer(tenant);
    assertThat(s2.keyId()).isEqualTo(rotated.kid());
    JWKSet jwks = JWKSet.parse(keys.publicJwksJson());
    JWSHeader h = new JWSHeader(JWSAlgorithm.ES256);
    ECKey oldPub = (ECKey) jwks.getKeyByKeyId(s1.keyId());
    ECKey newPub = (ECKey) jwks.getKeyByKeyId(s2.keyId());
    assertThat(new ECDSAVerifier(oldPub).verify(h, input, oldSig)).isTrue();
    assertThat(new ECDSAVerifier(newPub).verify(h, input, Base64URL.encode(s2.sign(input))))
        .isTrue();
    assertThat(oldPub.toECPublicKey()).isNotEqualTo(newPub.toECPublicKey());
  }

  private dev.sealpost.api.domain.TenantId ensure(LocalKeyService keys) {
    keys.ensureSigningKey(tenant);
    return tenant;
  }

  @Test
  void healthy_whenTheKeyringWorks() throws Exception {
    assertThat(open().healthy()).isTrue();
  }
}
