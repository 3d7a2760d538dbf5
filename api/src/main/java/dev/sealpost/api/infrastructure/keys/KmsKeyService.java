package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.util.Base64URL;
import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.RotatedSigningKey;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSigner;
import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.domain.WrappedKey;
import dev.sealpost.api.infrastructure.aws.AwsClientSettings;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore.StoredSigningKey;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * The {@code aws-kms} key service (AWS SDK v2, url-connection HTTP client).
 *
 * <p><b>Data keys</b>: {@code GenerateDataKey} (AES_256) under {@code sealpost.kms.key-id} and
 * {@code Decrypt}, both with the encryption context {@code tenant}, {@code envelope}, {@code
 * purpose} from the {@link KeyContext}: KMS binds the wrapped key to it (a copy moved to another
 * envelope's row does not decrypt) and CloudTrail records it with every call. Wrapped form:
 * base64url( 'K' || KMS ciphertext blob ); the blob names the KMS key and its rotated material.
 *
 * <p><b>Signing</b>: each tenant has its own asymmetric KMS key (ECC_NIST_P256), created on first
 * use and on rotation by {@link KmsTenantKeys} (aliased {@code alias/sealpost/tenant/<id>}, tagged
 * {@code sealpost:tenant} and {@code sealpost:purpose=signing}), so no two tenants share a public
 * key: a verifier that trusts a key rather than a kid still cannot take one tenant's manifest for
 * another's. Signing is {@code Sign} (ECDSA_SHA_256) with {@code MessageType DIGEST}: only the
 * SHA-256 of the JWS signing input leaves the server (the manifest holds the attachment keys), and
 * the DER signature is transcoded to JOSE's R||S. Each key version is a kid {@code <tenantId>.<n>}
 * (a row in {@code signing_keys} with the public JWK and the KMS key ARN as {@code key_ref}).
 *
 * <p><b>Legacy</b>: deployments before per-tenant keys signed every tenant with one {@code
 * sealpost.kms.signing-key-id}. That setting is now optional and only checked at start if set; rows
 * under it ({@code key_scope SHARED}) stay in the JWKS so old signatures keep verifying, and such a
 * tenant gets its own key (next version) on its next signature.
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
  private final KmsTenantKeys tenantKeys;

  private KmsKeyService(Builder b) {
    this.keyId = b.keyId;
    this.signingKeyId = b.signingKeyId;
    this.tx = b.tx;
    this.store = b.store;
    this.clock = b.clock;
    this.kms = b.aws.build().configure(KmsClient.builder()).build();
    this.tenantKeys = new KmsTenantKeys(kms, tx, store, clock);
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

    /** Optional, legacy: the key that signed for every tenant before per-tenant keys. */
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
      if (keyId == null || tx == null || store == null) {
        throw new IllegalStateException("keyId and signingKeys are required");
      }
      return new KmsKeyService(this);
    }
  }

  /**
   * Start check: a data key round trip under {@code key-id}, and the legacy signing key's public
   * key if that setting is given. Tenant keys are created on first use, never at start.
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
    if (signingKeyId != null) {
      try {
        KmsTenantKeys.publicKey(kms, signingKeyId, "sealpost.kms.signing-key-id");
      } catch (KeyUnavailableException e) {
        throw new StartCheckException("sealpost.kms.signing-key-id", e.getMessage());
      }
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

  /** Creates the tenant's own KMS key if it has none yet (tenant creation). */
  @Override
  public void ensureSigningKey(TenantId tenant) {
    if (tenantKeys.ownKey(tenant).isEmpty()) {
      tenantKeys.current(tenant);
    }
  }

  @Override
  public RotatedSigningKey rotateSigningKey(TenantId tenant) {
    return tenantKeys.rotate(tenant);
  }

  @Override
  public TenantSigner signer(TenantId tenant) {
    StoredSigningKey row = tenantKeys.current(tenant);
    return new KmsTenantSigner(kms, row.kid(), row.keyRef(), KmsTenantKeys.alias(tenant));
  }

  @Override
  public String publicJwksJson() {
    return tx.inTransaction(store::publicJwksJson);
  }

  /** {@code DescribeKey} of the data key: it exists and is enabled (no data key is made). */
  @Override
  public boolean healthy() {
    try {
      return kms.describeKey(q -> q.keyId(keyId)).keyMetadata().keyState() == KeyState.ENABLED;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    kms.close();
  }
}
