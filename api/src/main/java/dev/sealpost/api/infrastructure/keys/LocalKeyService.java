package dev.sealpost.api.infrastructure.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore.StoredSigningKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code local} key service: master keys in a {@link Keyring} file under the data directory;
 * data keys and tenant signing keys stored only wrapped by them (AES-256-GCM, associated data
 * naming what the key is for).
 *
 * <p>Wrapped form: base64url( 0x01 || master version (4, big-endian) || nonce (12) || ciphertext ||
 * tag (16) ).
 */
public final class LocalKeyService implements KeyService {
  private static final byte WRAP_FORMAT = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Keyring keyring;
  private final Transactions tx;
  private final JdbcSigningKeyStore store;
  private final Clock clock;
  private final Map<String, ECKey> signingKeyCache = new ConcurrentHashMap<>();

  private LocalKeyService(
      Keyring keyring, Transactions tx, JdbcSigningKeyStore store, Clock clock) {
    this.keyring = keyring;
    this.tx = tx;
    this.store = store;
    this.clock = clock;
  }

  /** Opens {@code keyringFile}, creating it (mode 0600) with a fresh master key on first start. */
  public static LocalKeyService open(
      Path keyringFile, Transactions tx, JdbcSigningKeyStore store, Clock clock)
      throws IOException {
    return new LocalKeyService(Keyring.openOrCreate(keyringFile), tx, store, clock);
  }

  @Override
  public DataKey generateDataKey(KeyContext context) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    try {
      return new DataKey(key, new WrappedKey(wrap(key, context.associatedData())));
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public DataKey decryptDataKey(WrappedKey wrapped, KeyContext context) {
    byte[] key = unwrap(wrapped.value(), context.associatedData());
    try {
      return new DataKey(key, wrapped);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  /** Adds a master key version; new wraps use it, old ones still unwrap. */
  public int rotateMasterKey() throws IOException {
    return keyring.rotate();
  }

  private String wrap(byte[] plaintext, byte[] aad) {
    int version = keyring.primaryVersion();
    byte[] master = keyring.key(version);
    try {
      byte[] sealed = AesGcm.encrypt(master, plaintext, withVersion(aad, version));
      ByteBuffer out = ByteBuffer.allocate(5 + sealed.length);
      out.put(WRAP_FORMAT).putInt(version).put(sealed);
      return Base64URL.encode(out.array()).toString();
    } finally {
      java.util.Arrays.fill(master, (byte) 0);
    }
  }

  private byte[] unwrap(String wrapped, byte[] aad) {
    byte[] bytes = new Base64URL(wrapped).decode();
    if (bytes.length < 5 || bytes[0] != WRAP_FORMAT) {
      throw new KeyUnavailableException("wrapped key has an unknown format");
    }
    int version = ByteBuffer.wrap(bytes, 1, 4).getInt();
    byte[] master = keyring.key(version);
    if (master == null) {
      throw new KeyUnavailableException("wrapped key names an unknown master key version");
    }
    try {
      byte[] sealed = java.util.Arrays.copyOfRange(bytes, 5, bytes.length);
      return AesGcm.decrypt(master, sealed, withVersion(aad, version));
    } catch (GeneralSecurityException e) {
      throw new KeyUnavailableException("wrapped key does not unwrap in this context");
    } finally {
      java.util.Arrays.fill(master, (byte) 0);
    }
  }

  private static byte[] withVersion(byte[] aad, int version) {
    return ByteBuffer.allocate(aad.length + 4).put(aad).putInt(version).array();
  }

  @Override
  public void ensureSigningKey(TenantId tenant) {
    tx.run(
        () -> {
          if (store.current(tenant).isEmpty()) {
            createSigningKey(tenant, 1);
          }
        });
  }

  /**
   * Generates version n+1. Two rotations racing on one version: the loser's insert finds the
   * version taken (nothing is stored for it) and it reports the winner's key.
   */
  @Override
  public RotatedSigningKey rotateSigningKey(TenantId tenant) {
    return tx.inTransaction(
        () -> {
          Optional<StoredSigningKey> before = store.current(tenant);
          int version = before.map(k -> k.version() + 1).orElse(1);
          String kid =
              createSigningKey(tenant, version)
                  ? tenant.value() + "." + version
                  : store.current(tenant).orElseThrow().kid();
          return new RotatedSigningKey(before.map(StoredSigningKey::kid), kid);
        });
  }

  private boolean createSigningKey(TenantId tenant, int version) {
    String kid = tenant.value() + "." + version;
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyID(kid)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      String wrappedPrivate =
          wrap(key.toJSONString().getBytes(StandardCharsets.UTF_8), signingAad(kid));
      return store.insertIfVersionFree(
          new StoredSigningKey(
              kid, tenant, version, key.toPublicJWK().toJSONString(), wrappedPrivate, null, null),
          clock.instant());
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate a signing key", e);
    }
  }

  private static byte[] signingAad(String kid) {
    return ("sealpost signing key v1\0" + kid).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public TenantSigner signer(TenantId tenant) {
    StoredSigningKey stored =
        tx.inTransaction(() -> store.current(tenant))
            .orElseThrow(() -> new KeyUnavailableException("tenant has no signing key"));
    ECKey key = signingKeyCache.computeIfAbsent(stored.kid(), kid -> unwrapSigningKey(stored));
    ECDSASigner signer;
    try {
      signer = new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new KeyUnavailableException("signing key unusable", e);
    }
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(stored.kid()).build();
    return new TenantSigner() {
      @Override
      public String keyId() {
        return stored.kid();
      }

      @Override
      public byte[] sign(byte[] signingInput) {
        try {
          // Nimbus returns the JOSE form (R || S, 64 bytes for ES256).
          return signer.sign(header, signingInput).decode();
        } catch (JOSEException e) {
          throw new KeyUnavailableException("signing failed", e);
        }
      }
    };
  }

  private ECKey unwrapSigningKey(StoredSigningKey stored) {
    byte[] json = unwrap(stored.wrappedPrivate(), signingAad(stored.kid()));
    try {
      return ECKey.parse(new String(json, StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new KeyUnavailableException("stored signing key is malformed");
    } finally {
      java.util.Arrays.fill(json, (byte) 0);
    }
  }

  @Override
  public String publicJwksJson() {
    return tx.inTransaction(store::publicJwksJson);
  }

  @Override
  public boolean healthy() {
    try {
      KeyContext probe = new KeyContext(new TenantId("health"), new EnvelopeId("health"), "probe");
      try (DataKey k = generateDataKey(probe);
          DataKey back = decryptDataKey(k.wrapped(), probe)) {
        return k.sameKeyAs(back);
      }
    } catch (RuntimeException e) {
      return false;
    }
  }
}
