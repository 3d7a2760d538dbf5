package dev.sealpost.envelope;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The manifest signing keys a recipient trusts, by {@code kid}: typically the sender's JWKS (the
 * server's {@code /.well-known/jwks.json}) or one tenant's public JWK.
 *
 * <p>Only public P-256 keys usable for ES256 are kept; private parts are dropped, keys marked for
 * encryption ({@code "use":"enc"}) or for another algorithm are ignored. Immutable.
 *
 * <pre>{@code
 * TrustedKeys trusted = TrustedKeys.fromJwksJson(Files.readString(Path.of("jwks.json")));
 * }</pre>
 */
public final class TrustedKeys {
  private final Map<String, ECKey> byKid;

  private TrustedKeys(List<JWK> keys) {
    Map<String, ECKey> map = new LinkedHashMap<>();
    for (JWK jwk : keys) {
      if (!(jwk instanceof ECKey)) {
        continue;
      }
      ECKey ec = (ECKey) jwk;
      if (!Curve.P_256.equals(ec.getCurve())
          || KeyUse.ENCRYPTION.equals(ec.getKeyUse())
          || (ec.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(ec.getAlgorithm()))
          || ec.getKeyID() == null
          || ec.getKeyID().isEmpty()) {
        continue;
      }
      if (map.put(ec.getKeyID(), ec.toPublicJWK()) != null) {
        throw new IllegalArgumentException("two trusted keys share the kid " + ec.getKeyID());
      }
    }
    this.byKid = Collections.unmodifiableMap(map);
  }

  /** Trusts the ES256 keys of a JWK set. */
  public static TrustedKeys of(JWKSet keys) {
    return new TrustedKeys(keys.getKeys());
  }

  /** Trusts the ES256 keys in the list. */
  public static TrustedKeys of(List<? extends JWK> keys) {
    return new TrustedKeys(List.copyOf(keys));
  }

  /**
   * Trusts the ES256 keys of a JWK set document ({@code {"keys":[...]}}) or of a single JWK.
   *
   * @throws IllegalArgumentException if the text is neither
   */
  public static TrustedKeys fromJwksJson(String json) {
    try {
      Map<String, Object> object = JSONObjectUtils.parse(json);
      if (object.containsKey("keys")) {
        return of(JWKSet.parse(object));
      }
      return of(List.of(JWK.parse(object)));
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException("not a JWK set or JWK");
    }
  }

  /** The public key with this {@code kid}, if trusted. */
  public Optional<ECKey> find(String kid) {
    return Optional.ofNullable(byKid.get(kid));
  }

  /** The trusted {@code kid}s. */
  public Set<String> keyIds() {
    return byKid.keySet();
  }

  @Override
  public String toString() {
    return "TrustedKeys" + byKid.keySet();
  }
}
