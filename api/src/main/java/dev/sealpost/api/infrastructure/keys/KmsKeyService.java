package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.api.infrastructure.aws.AwsClientSettings;
import dev.sealpost.api.infrastructure.jdbc.DuplicateKeyException;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore.StoredSigningKey;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * The {@code aws-kms} key service (AWS SDK v2, url-connection HTTP client).
 *
 * <p><b>Data keys</b>: {@code GenerateDataKey} (AES_256) under {@code sealpost.kms.key-id} and
 * {@code Decrypt}, both with the encryption context {@code tenant}, {@code envelope}, {@code
 * purpose} from the {@link KeyContext}: KMS binds the wrapped key to it (a copy moved to another
 * envelope's row does not decrypt) and CloudTrail records it with every call. Wrapped form:
 * base64url( 'K' || KMS ciphertext blob ); the blob names the KMS key and its rotated material.
 *
 * <p><b>Signing</b>: one asymmetric KMS key (ECC_NIST_P256, {@code sealpost.kms.signing-key-id})
 * per deployment signs for every tenant, through {@code Sign} (ECDSA_SHA_256) with {@code
 * MessageType DIGEST}: only the SHA-256 of the JWS signing input leaves the server (the manifest
 * holds the attachment keys), and the DER signature is transcoded to JOSE's R||S. Each tenant still
 * gets its own {@code kid} {@code <tenantId>.<n>} (a row in {@code signing_keys} with the public
 * JWK and the KMS key ARN as {@code key_ref}): a verifier checks the kid's tenant against the
 * manifest's tenant, and the JWS header binds the kid under the signature, so one tenant's
 * signature is never valid under another tenant's kid. Pointing {@code sealpost.kms.signing-key-id}
 * at a new key rotates: each tenant gets a new version on its next signature, old versions stay in
 * the JWKS.
 *
 * <p>Throttling is retried by the SDK's standard strategy (exponential backoff with jitter, up to
 * {@value #MAX_ATTEMPTS} attempts). Access denied, a disabled or missing key and unreachable KMS
 * become {@link KeyUnavailableException} with a message naming the cause, never key material.
 */
public final class KmsKeyService implements KeyService, AutoCloseable {
  static final int MAX_ATTEMPTS = 5;
  private static final byte WRAP_FORMAT = 'K';

  private final KmsClient kms;
  private final String keyId;
  private final String signingKeyId;
  private final Transactions tx;
  private final JdbcSigningKeyStore store;
  private final Clock clock;
  private volatile SigningKey active;

  private record SigningKey(String arn, ECKey publicKey) {}

  private KmsKeyService(Builder b) {
    this.keyId = b.keyId;
    this.signingKeyId = b.signingKeyId;
    this.tx = b.tx;
    this.store = b.store;
    this.clock = b.clock;
    this.kms = b.aws.build().configure(KmsClient.builder()).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Settings; key ids, the signing key store, transactions and clock are required. */
  public static final class Builder {
    private String keyId;
    private String signingKeyId;
    private final AwsClientSettings.Builder aws =
        AwsClientSettings.builder().standardRetries(MAX_ATTEMPTS);
    private Transactions tx;
    private JdbcSigningKeyStore store;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder keyId(String keyId) {
      this.keyId = keyId;
      return this;
    }

    public Builder signingKeyId(String signingKeyId) {
      this.signingKeyId = signingKeyId;
      return this;
    }

    public Builder region(Optional<String> region) {
      aws.region(region);
      return this;
    }

    public Builder endpoint(Optional<URI> endpoint) {
      aws.endpoint(endpoint);
      return this;
    }

    /** Default: the SDK's default chain. */
    public Builder credentials(AwsCredentialsProvider credentials) {
      aws.credentials(credentials);
      return this;
    }

    public Builder signingKeys(Transactions tx, JdbcSigningKeyStore store) {
      this.tx = tx;
      this.store = store;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public KmsKeyService build() {
      if (keyId == null || signingKeyId == null || tx == null || store == null) {
        throw new IllegalStateException("keyId, signingKeyId and signingKeys are required");
      }
      return new KmsKeyService(this);
    }
  }

  /**
   * Start check: a data key round trip under {@code key-id} and the signing key's public key.
   *
   * @throws StartCheckException naming the setting whose key does not work
   */
  public void checkKeys() {
    KeyContext probe =
        new KeyContext(new TenantId("sealpost-start-check"), new EnvelopeId("-"), "start-check");
    try (DataKey k = generateDataKey(probe);
        DataKey back = decryptDataKey(k.wrapped(), probe)) {
      if (!k.sameKeyAs(back)) {
        throw new StartCheckException("sealpost.kms.key-id", "data key did not round-trip");
      }
    } catch (KeyUnavailableException e) {
      throw new StartCheckException("sealpost.kms.key-id", e.getMessage());
    }
    try {
      active = fetchSigningKey();
    } catch (KeyUnavailableException e) {
      throw new StartCheckException("sealpost.kms.signing-key-id", e.getMessage());
    }
  }

  /** A key setting that does not work; {@link #key()} names it. */
  public static final class StartCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    StartCheckException(String key, String problem) {
      super(problem);
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  private static Map<String, String> encryptionContext(KeyContext c) {
    return Map.of(
        "tenant", c.tenantId().value(), "envelope", c.envelopeId().value(), "purpose", c.purpose());
  }

  @Override
  public DataKey generateDataKey(KeyContext context) {
    byte[] plain = null;
    try {
      var r =
          kms.generateDataKey(
              q ->
                  q.keyId(keyId)
                      .keySpec(DataKeySpec.AES_256)
                      .encryptionContext(encryptionContext(context)));
      plain = r.plaintext().asByteArray();
      byte[] blob = r.ciphertextBlob().asByteArray();
      byte[] wrapped = new byte[blob.length + 1];
      wrapped[0] = WRAP_FORMAT;
      System.arraycopy(blob, 0, wrapped, 1, blob.length);
      return new DataKey(plain, new WrappedKey(Base64URL.encode(wrapped).toString()));
    } catch (SdkException e) {
      throw KmsFailures.unavailable("GenerateDataKey", "sealpost.kms.key-id", e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  @Override
  public DataKey decryptDataKey(WrappedKey wrapped, KeyContext context) {
    byte[] bytes;
    try {
      bytes = new Base64URL(wrapped.value()).decode();
    } catch (RuntimeException e) {
      throw new KeyUnavailableException("wrapped key is not base64url");
    }
    if (bytes.length < 2 || bytes[0] != WRAP_FORMAT) {
      throw new KeyUnavailableException(
          "wrapped key was not made by the aws-kms key service (sealpost.keys changed?)");
    }
    byte[] plain = null;
    try {
      var r =
          kms.decrypt(
              q ->
                  q.keyId(keyId)
                      .ciphertextBlob(
                          SdkBytes.fromByteArray(Arrays.copyOfRange(bytes, 1, bytes.length)))
                      .encryptionContext(encryptionContext(context)));
      plain = r.plaintext().asByteArray();
      return new DataKey(plain, wrapped);
    } catch (InvalidCiphertextException e) {
      throw new KeyUnavailableException("wrapped key does not unwrap in this context");
    } catch (SdkException e) {
      throw KmsFailures.unavailable("Decrypt", "sealpost.kms.key-id", e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private SigningKey fetchSigningKey() {
    GetPublicKeyResponse r;
    try {
      r = kms.getPublicKey(q -> q.keyId(signingKeyId));
    } catch (SdkException e) {
      throw KmsFailures.unavailable("GetPublicKey", "sealpost.kms.signing-key-id", e);
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

  private SigningKey active() {
    SigningKey k = active;
    if (k == null) {
      k = fetchSigningKey();
      active = k;
    }
    return k;
  }

  @Override
  public void ensureSigningKey(TenantId tenant) {
    current(tenant);
  }

  /** The tenant's row for the active KMS key, created (next version) if it has none. */
  private StoredSigningKey current(TenantId tenant) {
    SigningKey key = active();
    for (int attempt = 0; ; attempt++) {
      Optional<StoredSigningKey> now = tx.inTransaction(() -> store.current(tenant));
      if (now.isPresent() && key.arn().equals(now.get().keyRef())) {
        return now.get();
      }
      int version = now.map(s -> s.version() + 1).orElse(1);
      String kid = tenant.value() + "." + version;
      ECKey jwk =
          new ECKey.Builder(key.publicKey())
              .keyID(kid)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .build();
      StoredSigningKey row =
          new StoredSigningKey(kid, tenant, version, jwk.toJSONString(), null, key.arn());
      try {
        tx.run(() -> store.insert(row, clock.instant()));
        return row;
      } catch (DuplicateKeyException e) {
        // another instance created it at the same moment: read again
        if (attempt >= 3) {
          throw new KeyUnavailableException("could not register the tenant's signing key");
        }
      }
    }
  }

  @Override
  public TenantSigner signer(TenantId tenant) {
    StoredSigningKey row = current(tenant);
    return new KmsTenantSigner(kms, row.kid(), row.keyRef());
  }

  @Override
  public String publicJwksJson() {
    return tx.inTransaction(store::publicJwksJson);
  }

  /** {@code GetPublicKey} of the signing key: the one call the task role allows without context. */
  @Override
  public boolean healthy() {
    try {
      kms.getPublicKey(q -> q.keyId(signingKeyId));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    kms.close();
  }
}
