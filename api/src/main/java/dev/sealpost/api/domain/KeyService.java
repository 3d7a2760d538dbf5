package dev.sealpost.api.domain;

/**
 * The key seam (DESIGN.md "Keys"): data keys wrapped by a master key, and per-tenant ES256 signing
 * keys. Implementations: {@code local} (a keyring file under the data directory) and {@code
 * aws-kms} (one asymmetric KMS key per tenant). Wrapped keys name the master key version, so
 * rotation keeps old ones readable.
 *
 * <p>Crypto-shredding is deleting the {@link WrappedKey}: without it the data key is gone.
 */
public interface KeyService {
  /** A fresh random 256-bit key, and its wrapped form bound to {@code context}. */
  DataKey generateDataKey(KeyContext context);

  /**
   * Unwraps a key made by {@link #generateDataKey} with the same context.
   *
   * @throws KeyUnavailableException when it does not unwrap (wrong context, tampered, unknown
   *     master key version)
   */
  DataKey decryptDataKey(WrappedKey wrapped, KeyContext context);

  /** Creates the tenant's first signing key if it has none (idempotent). */
  void ensureSigningKey(TenantId tenant);

  /**
   * A new signing key version for the tenant (a new key pair; under {@code aws-kms} a new KMS key);
   * the tenant signs with it from now on, and every older kid stays in {@link #publicJwksJson()}.
   */
  RotatedSigningKey rotateSigningKey(TenantId tenant);

  /** The tenant's current signing key. */
  TenantSigner signer(TenantId tenant);

  /**
   * Every tenant's public signing keys as a JWKS JSON document ({@code {"keys":[...]}}), each
   * {@code kid} of the form {@code <tenantId>.<n>}.
   */
  String publicJwksJson();

  /** True when the keys can be used now (for readiness). */
  boolean healthy();
}
