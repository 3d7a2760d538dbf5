package dev.sealpost.api.domain;

/**
 * Fetches a partner's published JWKS from its {@code jwksUri}: https only, never to a private,
 * loopback, link-local, unique-local, multicast or unspecified address (checked on the resolved
 * address, which is then the one connected to), short timeouts, a size cap and no redirects.
 */
public interface PartnerJwksFetcher {
  /**
   * Checks the URI without connecting (scheme, host, resolved addresses).
   *
   * @throws InvalidInputException naming {@code field} when the URI is refused
   */
  void checkUri(String field, String uri);

  /**
   * @return the document as text
   * @throws InvalidInputException naming {@code field} when the URI is refused or the fetch fails
   */
  String fetch(String field, String uri);
}
