package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.RotatedSigningKey;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore.StoredSigningKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * One asymmetric KMS key per tenant and key version (ECC_NIST_P256, SIGN_VERIFY), so no two tenants
 * share a public key. A key is created on first use (tenant creation, or the first signature of a
 * tenant whose kid still names the legacy shared key) and on rotation, tagged {@value
 * #TAG_TENANT}=&lt;tenant id&gt; and {@value #TAG_PURPOSE}={@value #PURPOSE} (the task role may
 * only use keys with that tag), and the alias {@code alias/sealpost/tenant/<id>} points at the
 * tenant's newest key.
 *
 * <p><b>Across instances</b> the {@code signing_keys} uniqueness on {@code (tenant_id, version)} is
 * the lock, not the alias: each racer creates a KMS key, then inserts its row for version n;
 * exactly one insert wins, every loser schedules its own (never used) key for deletion ({@value
 * #DELETION_WINDOW_DAYS} days, cancellable) and reads the winner's row. The alias cannot be that
 * lock, because a rotation needs a new key while the alias already exists. Only the winner moves
 * the alias; a failed alias update is logged, since signing uses the key ARN stored in {@code
 * key_ref}, never the alias.
 */
final class KmsTenantKeys {
  static final String ALIAS_PREFIX = "alias/sealpost/tenant/";
  static final String TAG_TENANT = "sealpost:tenant";
  static final String TAG_PURPOSE = "sealpost:purpose";
  static final String PURPOSE = "signing";
  static final int DELETION_WINDOW_DAYS = 30;
  private static final int ATTEMPTS = 4;
  private static final Logger LOG = Logger.getLogger(KmsTenantKeys.class.getName());

  private final KmsClient kms;
  private final Transactions tx;
  private final JdbcSigningKeyStore store;
  private final Clock clock;

  /** A KMS signing key: its ARN and public key. */
  record SigningKey(String arn, ECKey publicKey) {}

  KmsTenantKeys(KmsClient kms, Transactions tx, JdbcSigningKeyStore store, Clock clock) {
    this.kms = kms;
    this.tx = tx;
    this.store = store;
    this.clock = clock;
  }

  static String alias(TenantId tenant) {
    return ALIAS_PREFIX + tenant.value();
  }

  /** The tenant's current key row if it has one of its own, without calling KMS. */
  Optional<StoredSigningKey> ownKey(TenantId tenant) {
    return tx.inTransaction(() -> store.current(tenant)).filter(StoredSigningKey::tenantKey);
  }

  /**
   * The tenant's own current key; created (next version) when it has none or its current kid names
   * the legacy shared key.
   */
  StoredSigningKey current(TenantId tenant) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<StoredSigningKey> now = tx.inTransaction(() -> store.current(tenant));
      if (now.isPresent() && now.get().tenantKey()) {
        return now.get();
      }
      Optional<StoredSigningKey> made = create(tenant, now.map(k -> k.version() + 1).orElse(1));
      if (made.isPresent()) {
        return made.get();
      }
    }
    throw new KeyUnavailableException("could not register the tenant's signing key");
  }

  /** A new KMS key as version n+1; a concurrent rotation that won that version counts as done. */
  RotatedSigningKey rotate(TenantId tenant) {
    Optional<StoredSigningKey> before = tx.inTransaction(() -> store.current(tenant));
    int version = before.map(k -> k.version() + 1).orElse(1);
    StoredSigningKey now =
        create(tenant, version)
            .orElseGet(
                () ->
                    tx.inTransaction(() -> store.current(tenant))
                        .filter(k -> k.version() >= version && k.tenantKey())
                        .orElseThrow(
                            () -> new KeyUnavailableException("could not rotate the signing key")));
    return new RotatedSigningKey(before.map(StoredSigningKey::kid), now.kid());
  }

  /** Empty when another instance registered this version first (our key is then deleted). */
  private Optional<StoredSigningKey> create(TenantId tenant, int version) {
    String arn = createKey(tenant);
    SigningKey key = publicKey(kms, arn, alias(tenant));
    String kid = tenant.value() + "." + version;
    ECKey jwk =
        new ECKey.Builder(key.publicKey())
            .keyID(kid)
            .keyUse(KeyUse.SIGNATURE)
            .algorithm(JWSAlgorithm.ES256)
            .build();
    StoredSigningKey row =
        new StoredSigningKey(
            kid, tenant, version, jwk.toJSONString(), null, key.arn(), StoredSigningKey.TENANT);
    if (!tx.inTransaction(() -> store.insertIfVersionFree(row, clock.instant()))) {
      scheduleDeletion(key.arn());
      return Optional.empty();
    }
    pointAlias(tenant, key.arn());
    return Optional.of(row);
  }

  private String createKey(TenantId tenant) {
    try {
      return kms.createKey(
              q ->
                  q.keySpec(KeySpec.ECC_NIST_P256)
                      .keyUsage(KeyUsageType.SIGN_VERIFY)
                      .description("Sealpost signing key of tenant " + tenant.value())
                      .tags(
                          Tag.builder().tagKey(TAG_TENANT).tagValue(tenant.value()).build(),
                          Tag.builder().tagKey(TAG_PURPOSE).tagValue(PURPOSE).build()))
          .keyMetadata()
          .arn();
    } catch (SdkException e) {
      throw KmsFailures.unavailable("CreateKey", alias(tenant), e);
    }
  }

  private void pointAlias(TenantId tenant, String arn) {
    String alias = alias(tenant);
    try {
      try {
        kms.createAlias(q -> q.aliasName(alias).targetKeyId(arn));
      } catch (AlreadyExistsException e) {
        kms.updateAlias(q -> q.aliasName(alias).targetKeyId(arn));
      }
    } catch (SdkException e) {
      LOG.log(
          Level.WARNING,
          "could not point {0} at the tenant''s new signing key: {1}",
          new Object[] {alias, KmsFailures.unavailable("CreateAlias", alias, e).getMessage()});
    }
  }

  private void scheduleDeletion(String arn) {
    try {
      kms.scheduleKeyDeletion(q -> q.keyId(arn).pendingWindowInDays(DELETION_WINDOW_DAYS));
    } catch (SdkException e) {
      LOG.log(
          Level.WARNING,
          "an unused signing key (lost a creation race) is not scheduled for deletion: {0}",
          KmsFailures.unavailable("ScheduleKeyDeletion", arn, e).getMessage());
    }
  }

  /** {@code GetPublicKey}, checked to be an ECC_NIST_P256 SIGN_VERIFY key that signs ES256. */
  static SigningKey publicKey(KmsClient kms, String keyId, String label) {
    GetPublicKeyResponse r;
    try {
      r = kms.getPublicKey(q -> q.keyId(keyId));
    } catch (SdkException e) {
      throw KmsFailures.unavailable("GetPublicKey", label, e);
    }
    if (r.keySpec() != KeySpec.ECC_NIST_P256
        || r.keyUsage() != KeyUsageType.SIGN_VERIFY
        || !r.signingAlgorithms().contains(SigningAlgorithmSpec.ECDSA_SHA_256)) {
      throw new KeyUnavailableException(
          "the signing key is not an ECC_NIST_P256 SIGN_VERIFY key (got "
              + r.keySpecAsString()
              + ", "
              + r.keyUsageAsString()
              + ")");
    }
    try {
      ECPublicKey pub =
          (ECPublicKey)
              KeyFactory.getInstance("EC")
                  .generatePublic(new X509EncodedKeySpec(r.publicKey().asByteArray()));
      return new SigningKey(r.keyId(), new ECKey.Builder(Curve.P_256, pub).build());
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new KeyUnavailableException("KMS returned an unreadable public key");
    }
  }
}
