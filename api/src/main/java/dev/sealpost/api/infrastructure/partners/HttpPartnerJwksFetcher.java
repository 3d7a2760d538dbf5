package dev.sealpost.api.infrastructure.partners;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.PartnerJwksFetcher;
import dev.sealpost.api.infrastructure.net.OutboundTarget;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Fetches a partner JWKS without trusting the URI: the host is resolved once, every address it
 * resolves to must be public (not loopback, private, CGNAT, link-local such as 169.254.169.254,
 * unique-local, multicast, unspecified or reserved), and the connection goes to that checked
 * address (so a DNS answer cannot change between the check and the connect), with TLS hostname
 * verification against the URI's host. One plain HTTP/1.1 GET: short connect and read timeouts, an
 * overall deadline, a size cap, and any redirect is refused rather than followed.
 *
 * <p>{@code allowLoopback} (development and tests only) admits loopback addresses, and plain http
 * to them.
 */
public final class HttpPartnerJwksFetcher implements PartnerJwksFetcher {
  /** Name resolution, replaceable in tests. */
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Duration timeout;
  private final int maxBytes;
  private final boolean allowLoopback;
  private final Resolver resolver;

  public HttpPartnerJwksFetcher(Duration timeout, int maxBytes, boolean allowLoopback) {
    this(timeout, maxBytes, allowLoopback, InetAddress::getAllByName);
  }

  public HttpPartnerJwksFetcher(
      Duration timeout, int maxBytes, boolean allowLoopback, Resolver resolver) {
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.allowLoopback = allowLoopback;
    this.resolver = resolver;
  }

  @Override
  public void checkUri(String field, String uri) {
    target(field, uri);
  }

  @Override
  public String fetch(String field, String uri) {
    OutboundTarget t = target(field, uri);
    try {
      return get(t);
    } catch (SocketTimeoutException e) {
      throw new InvalidInputException(field, "fetching the JWKS timed out");
    } catch (ConnectException e) {
      throw new InvalidInputException(field, "could not connect to the JWKS host");
    } catch (SSLException e) {
      throw new InvalidInputException(field, "TLS with the JWKS host failed");
    } catch (FetchFailure e) {
      throw new InvalidInputException(field, e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(field, "fetching the JWKS failed");
    }
  }

  private OutboundTarget target(String field, String text) {
    return OutboundTarget.check(field, text, resolver, allowLoopback, false);
  }

  /** Why the address may not be fetched from, or null if it may. */
  public static String refusal(InetAddress a, boolean allowLoopback) {
    if (a instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      InetAddress embedded = embeddedIpv4(b);
      if (embedded != null) {
        return refusal(embedded, allowLoopback);
      }
      if ((b[0] & 0xfe) == 0xfc) {
        return "unique-local";
      }
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isLoopbackAddress()) {
      return allowLoopback ? null : "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if (b0 == 0) {
        return "unspecified";
      }
      if (b0 == 100 && (b1 & 0xc0) == 64) {
        return "private"; // 100.64.0.0/10, carrier-grade NAT
      }
      if (b0 == 198 && (b1 == 18 || b1 == 19)) {
        return "reserved"; // benchmarking
      }
      if (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) {
        return "reserved"; // IETF protocol assignments
      }
      if (b0 >= 240) {
        return "reserved"; // including 255.255.255.255
      }
    }
    return null;
  }

  /** The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::/96) address. */
  private static InetAddress embeddedIpv4(byte[] b) {
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if (!compatible && !nat64) {
      return null;
    }
    if (compatible && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xff) <= 1) {
      return null; // :: and ::1 themselves
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private String get(OutboundTarget t) throws IOException {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos() * 2;
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(t.address(), t.port()), ms);
      plain.setSoTimeout(ms);
      Socket s = plain;
      if (t.tls()) {
        s = t.tls(plain);
      }
      String path = t.requestTarget();
      String hostHeader = t.hostHeader();
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + hostHeader
              + "\r\nAccept: application/jwk-set+json, application/json\r\n"
              + "User-Agent: sealpost-jwks-fetcher\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return JwksHttpResponse.read(
          new JwksHttpResponse.Deadline(new BufferedInputStream(s.getInputStream()), deadline),
          maxBytes);
    } finally {
      plain.close();
    }
  }

  /** A failure whose message is safe to show to the caller. */
  static final class FetchFailure extends IOException {
    private static final long serialVersionUID = 1L;

    FetchFailure(String message) {
      super(message);
    }
  }
}
