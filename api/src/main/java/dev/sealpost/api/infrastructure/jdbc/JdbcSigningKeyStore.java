package dev.sealpost.api.infrastructure.jdbc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.TenantId;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rows of {@code signing_keys}: public JWKs in clear, private parts only wrapped (or in KMS). */
public final class JdbcSigningKeyStore {
  private final Jdbc jdbc;

  public JdbcSigningKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  public record StoredSigningKey(
      String kid,
      TenantId tenantId,
      int version,
      String publicJwk,
      String wrappedPrivate,
      String keyRef,
      String keyScope) {
    /** {@code key_scope} of a KMS key that belongs to one tenant alone. */
    public static final String TENANT = "TENANT";

    /** True when {@link #keyRef} names a KMS key of this tenant alone. */
    public boolean tenantKey() {
      return TENANT.equals(keyScope);
    }

    @Override
    public String toString() {
      return "StoredSigningKey[kid=" + kid + "]";
    }
  }

  private static final String INSERT =
      "INSERT INTO signing_keys (kid, tenant_id, version, public_jwk, wrapped_private, key_ref,"
          + " key_scope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

  public void insert(StoredSigningKey key, Instant createdAt) {
    jdbc.update(INSERT, params(key, createdAt));
  }

  /**
   * Inserts unless the tenant already has that version (another instance registered it first): then
   * false, and the surrounding transaction stays usable. The {@code (tenant_id, version)}
   * uniqueness is the lock that lets at most one key per version win across instances.
   */
  public boolean insertIfVersionFree(StoredSigningKey key, Instant createdAt) {
    return jdbc.updateUnlessDuplicate(INSERT, params(key, createdAt));
  }

  private static Object[] params(StoredSigningKey key, Instant createdAt) {
    return new Object[] {
      key.kid(),
      key.tenantId().value(),
      key.version(),
      key.publicJwk(),
      key.wrappedPrivate(),
      key.keyRef(),
      key.keyScope(),
      createdAt
    };
  }

  /** The tenant's newest key that is not retired. */
  public Optional<StoredSigningKey> current(TenantId tenant) {
    return jdbc
        .query(
            "SELECT kid, tenant_id, version, public_jwk, wrapped_private, key_ref, key_scope"
                + " FROM signing_keys"
                + " WHERE tenant_id = ? AND retired_at IS NULL ORDER BY version DESC",
            JdbcSigningKeyStore::map,
            tenant.value())
        .stream()
        .findFirst();
  }

  /**
   * The public half of every stored signing key as a JWKS, for {@code /.well-known/jwks.json}; the
   * same for local and KMS keys, since both keep their public JWK here.
   */
  public String publicJwksJson() {
    List<JWK> keys = new ArrayList<>();
    for (StoredSigningKey k : all()) {
      try {
        keys.add(JWK.parse(k.publicJwk()).toPublicJWK());
      } catch (ParseException e) {
        throw new KeyUnavailableException("stored public key is malformed");
      }
    }
    return new JWKSet(keys).toString(true);
  }

  /** Every key, retired ones included (old signatures must keep verifying). */
  public List<StoredSigningKey> all() {
    return jdbc.query(
        "SELECT kid, tenant_id, version, public_jwk, wrapped_private, key_ref, key_scope"
            + " FROM signing_keys"
            + " ORDER BY tenant_id, version",
        JdbcSigningKeyStore::map);
  }

  private static StoredSigningKey map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new StoredSigningKey(
        rs.getString("kid"),
        new TenantId(rs.getString("tenant_id")),
        rs.getInt("version"),
        rs.getString("public_jwk"),
        rs.getString("wrapped_private"),
        rs.getString("key_ref"),
        rs.getString("key_scope"));
  }
}
