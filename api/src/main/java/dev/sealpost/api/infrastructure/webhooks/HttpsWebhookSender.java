package dev.sealpost.api.infrastructure.webhooks;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.WebhookSender;
import dev.sealpost.api.infrastructure.net.HttpStatusLine;
import dev.sealpost.api.infrastructure.net.OutboundTarget;
import dev.sealpost.api.infrastructure.partners.HttpPartnerJwksFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Delivers webhooks over HTTPS without trusting the URL, with the address rules of partner JWKS
 * URIs ({@link HttpPartnerJwksFetcher#refusal}): the host is resolved at every attempt, every
 * address must be public, and the socket connects to the checked address itself, so a DNS answer
 * that changes after the check (rebinding) never reaches a private, loopback or link-local address.
 * TLS verifies the certificate against the URL's host (the JVM's trust store). One HTTP/1.1 POST
 * per attempt with its own connect timeout, read timeout and overall deadline; only the status line
 * is read; redirects are not followed (a 3xx is a failed attempt).
 *
 * <p>Not {@code java.net.http.HttpClient}: on JDK 17 it resolves names itself with no hook, so it
 * cannot be made to connect to the address that was checked.
 *
 * <p>{@code allowLoopback} ({@code sealpost.webhooks.allow-loopback}, tests only) admits loopback
 * addresses, over plain http too.
 */
public final class HttpsWebhookSender implements WebhookSender {
  private static final int MAX_STATUS_LINE = 1024;
  private final Duration timeout;
  private final boolean allowLoopback;
  private final HttpPartnerJwksFetcher.Resolver resolver;

  public HttpsWebhookSender(Duration timeout, boolean allowLoopback) {
    this(timeout, allowLoopback, InetAddress::getAllByName);
  }

  public HttpsWebhookSender(
      Duration timeout, boolean allowLoopback, HttpPartnerJwksFetcher.Resolver resolver) {
    this.timeout = timeout;
    this.allowLoopback = allowLoopback;
    this.resolver = resolver;
  }

  @Override
  public void checkUrl(String field, String url) {
    target(field, url);
  }

  @Override
  public Outcome send(
      String url, String messageId, long timestamp, String body, List<byte[]> secrets) {
    OutboundTarget t;
    try {
      t = target("url", url);
    } catch (InvalidInputException e) {
      return new Outcome(null, "refused: " + e.getMessage());
    }
    String signature = StandardWebhookSignature.header(secrets, messageId, timestamp, body);
    try {
      return new Outcome(post(t, messageId, timestamp, signature, body), null);
    } catch (SocketTimeoutException e) {
      return new Outcome(null, "timed out");
    } catch (ConnectException e) {
      return new Outcome(null, "could not connect");
    } catch (SSLException e) {
      return new Outcome(null, "TLS failed");
    } catch (IOException e) {
      return new Outcome(null, "I/O error: " + e.getClass().getSimpleName());
    }
  }

  private OutboundTarget target(String field, String text) {
    return OutboundTarget.check(field, text, resolver, allowLoopback, true);
  }

  private int post(
      OutboundTarget t, String messageId, long timestamp, String signature, String body)
      throws IOException {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    long deadline = System.nanoTime() + timeout.toNanos() * 2;
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(t.address(), t.port()), ms);
      plain.setSoTimeout(ms);
      Socket s = t.tls() ? t.tls(plain) : plain;
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      String path = t.requestTarget();
      String hostHeader = t.hostHeader();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + hostHeader
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + bytes.length
              + "\r\nUser-Agent: sealpost-webhooks\r\nwebhook-id: "
              + messageId
              + "\r\nwebhook-timestamp: "
              + timestamp
              + "\r\nwebhook-signature: "
              + signature
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return status(s.getInputStream(), deadline);
    }
  }

  /** The status code of {@code HTTP/1.x NNN ...}, read before the overall deadline. */
  private static int status(InputStream in, long deadline) throws IOException {
    StringBuilder line = new StringBuilder();
    while (line.length() < MAX_STATUS_LINE) {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("deadline");
      }
      int c = in.read();
      if (c == -1 || c == '\n') {
        break;
      }
      line.append((char) c);
    }
    return HttpStatusLine.code(line.toString())
        .orElseThrow(() -> new IOException("not an HTTP answer"));
  }
}
