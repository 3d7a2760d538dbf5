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
      String keyRef) {
    @Override
    public String toString() {
      return "StoredSigningKey[kid=" + kid + "]";
    }
  }

  public void insert(StoredSigningKey key, Instant createdAt) {
    jdbc.update(
        "INSERT INTO signing_keys (kid, tenant_id, version, public_jwk, wrapped_private, key_ref,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        key.kid(),
        key.tenantId().value(),
        key.version(),
        key.publicJwk(),
        key.wrappedPrivate(),
        key.keyRef(),
        createdAt);
  }

  /** The tenant's newest key that is not retired. */
  public Optional<StoredSigningKey> current(TenantId tenant) {
    return jdbc
        .query(
            "SELECT kid, tenant_id, version, public_jwk, wrapped_private, key_ref FROM signing_keys"
                + " WHERE tenant_id = ? AND retired_at IS NULL ORDER BY version DESC",
            JdbcSigningKeyStore::map,
            tenant.value())
        .stream()
        .findFirst();
  }

  /** Every key, retired ones included (old signatures must keep verifying). */
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

  public List<StoredSigningKey> all() {
    return jdbc.query(
        "SELECT kid, tenant_id, version, public_jwk, wrapped_private, key_ref FROM signing_keys"
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
        rs.getString("key_ref"));
  }
}
