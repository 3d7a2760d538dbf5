package dev.sealpost.api.domain;

/**
 * Checks a partner's JWKS: only public RSA (at least 2048 bits) or EC P-256 keys with a {@code kid}
 * and {@code use} enc (or no {@code use} and {@code alg} absent, RSA-OAEP-256 or ECDH-ES+A256KW)
 * are usable; at least one must be.
 */
public interface PartnerKeyCheck {
  /**
   * @param field the request field named in errors ({@code jwks} or {@code jwksUri})
   * @throws PrivateKeyPostedException when any key carries private parts
   * @throws InvalidInputException when the document is not a JWKS or no key is usable
   */
  PartnerJwks check(String field, String jwksJson);

  /**
   * The same rules, strictly, for a tenant's reply keys: 1 to {@code maxKeys} keys in a {@code
   * keys} array, every one of them usable (none skipped), kids unique.
   *
   * @throws PrivateKeyPostedException when any key carries private parts
   * @throws InvalidInputException naming {@code field} when any key is not usable
   */
  PartnerJwks checkEvery(String field, String jwksJson, int maxKeys);
}
