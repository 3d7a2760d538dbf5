package dev.sealpost.api.domain;

/**
 * Signs with a tenant's current ES256 key, which never leaves the key service. Same shape as
 * sdk-java's {@code ManifestSigner}: {@code keyId()} is the JWS {@code kid} (it names the tenant,
 * {@code <tenantId>.<n>}), {@code sign} returns the 64-byte JOSE (R||S) signature.
 */
public interface TenantSigner {
  String keyId();

  byte[] sign(byte[] signingInput);
}
