package dev.sealpost.api.infrastructure.net;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.infrastructure.partners.HttpPartnerJwksFetcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A URL the server is about to call on a tenant's behalf (a partner's JWKS URI, a webhook), checked
 * and pinned: resolved once, every address refused when private, loopback (unless allowed, for
 * development and tests), link-local or otherwise not public, and the connection made to the
 * checked address, so a DNS answer that changes between the check and the connect (rebinding)
 * reaches nothing. TLS verifies the certificate against the URL's host name, not the address.
 *
 * <p>One home for this check: the partner JWKS fetcher and the webhook sender both use it.
 */
public record OutboundTarget(URI uri, boolean tls, String host, int port, InetAddress address) {

  /**
   * Parses and checks {@code text}; refusals are 422s naming {@code field}. A fragment is refused
   * when {@code refuseFragment} (a webhook URL has no use for one).
   */
  public static OutboundTarget check(
      String field,
      String text,
      HttpPartnerJwksFetcher.Resolver resolver,
      boolean allowLoopback,
      boolean refuseFragment) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException | NullPointerException e) {
      throw new InvalidInputException(field, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new InvalidInputException(field, "must be an absolute https URL with a host");
    }
    if (refuseFragment && uri.getRawFragment() != null) {
      throw new InvalidInputException(field, "must not have a fragment");
    }
    boolean tls = scheme.equals("https");
    if (!tls && !(scheme.equals("http") && allowLoopback)) {
      throw new InvalidInputException(field, "must use https");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress chosen = checkedAddress(field, host, resolver, allowLoopback);
    if (!tls && !chosen.isLoopbackAddress()) {
      throw new InvalidInputException(field, "must use https");
    }
    int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
    return new OutboundTarget(uri, tls, host, port, chosen);
  }

  private static InetAddress checkedAddress(
      String field, String host, HttpPartnerJwksFetcher.Resolver resolver, boolean allowLoopback) {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new InvalidInputException(field, "the host does not resolve");
    }
    if (addresses.length == 0) {
      throw new InvalidInputException(field, "the host does not resolve");
    }
    for (InetAddress a : addresses) {
      String why = HttpPartnerJwksFetcher.refusal(a, allowLoopback);
      if (why != null) {
        throw new InvalidInputException(field, "the host resolves to a " + why + " address");
      }
    }
    return addresses[0];
  }

  /** The request target: the raw path ({@code /} when empty) and query. */
  public String requestTarget() {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** The Host header: the host (bracketed when IPv6) and the port when the URL names one. */
  public String hostHeader() {
    return (host.contains(":") ? "[" + host + "]" : host)
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /**
   * TLS over {@code plain} (already connected to {@link #address()}), verifying the certificate
   * against {@link #host()} and sending it as SNI when it is a name.
   */
  public Socket tls(Socket plain) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
    SSLParameters p = ssl.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.contains(":") && !host.matches("[0-9.]+")) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(p);
    ssl.startHandshake();
    return ssl;
  }
}
