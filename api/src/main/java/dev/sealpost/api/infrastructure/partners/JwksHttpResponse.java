package dev.sealpost.api.infrastructure.partners;

import dev.sealpost.api.infrastructure.net.HttpStatusLine;
import dev.sealpost.api.infrastructure.partners.HttpPartnerJwksFetcher.FetchFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the one HTTP/1.1 answer to {@link HttpPartnerJwksFetcher}'s GET: headers capped at {@value
 * #MAX_HEADER_BYTES} bytes, only a 200 accepted (a redirect is refused, not followed), no
 * compression, and a body (by Content-Length, chunked or up to the end) of at most {@code
 * maxBytes}. Every refusal is a {@link FetchFailure} whose message is safe to show to the caller.
 */
final class JwksHttpResponse {
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private record Head(int code, long contentLength, boolean chunked) {}

  private JwksHttpResponse() {}

  /** The body of a 200 answer, as UTF-8. */
  static String read(InputStream in, int maxBytes) throws IOException {
    Head head = readHead(in);
    if (head.code() >= 300 && head.code() < 400) {
      throw fail("the JWKS URL redirects; redirects are not followed (register the final URL)");
    }
    if (head.code() != 200) {
      throw fail("the JWKS host answered HTTP " + head.code());
    }
    if (head.contentLength() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head.chunked()) {
      readChunked(in, body, maxBytes);
    } else if (head.contentLength() >= 0) {
      copy(in, body, head.contentLength());
    } else {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) != -1; ) {
        body.write(buf, 0, n);
        if (body.size() > maxBytes) {
          throw tooLarge(maxBytes);
        }
      }
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private static Head readHead(InputStream in) throws IOException {
    String status = line(in);
    int code =
        HttpStatusLine.code(status).orElseThrow(() -> fail("the JWKS host did not answer HTTP"));
    long contentLength = -1;
    boolean chunked = false;
    int headerBytes = status.length();
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      headerBytes += h.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw fail("the JWKS answer's headers are too large");
      }
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw fail("the JWKS answer has a bad Content-Length");
        }
      } else if (name.equals("transfer-encoding")) {
        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      } else if (name.equals("content-encoding") && !value.equalsIgnoreCase("identity")) {
        throw fail("the JWKS answer is compressed");
      }
    }
    return new Head(code, contentLength, chunked);
  }

  private static void readChunked(InputStream in, ByteArrayOutputStream body, int maxBytes)
      throws IOException {
    while (true) {
      String sizeLine = line(in);
      int semi = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw fail("the JWKS answer is badly chunked");
      }
      if (size == 0) {
        break;
      }
      if (body.size() + size > maxBytes) {
        throw tooLarge(maxBytes);
      }
      copy(in, body, size);
      line(in);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r == -1) {
        throw fail("the JWKS answer ended early");
      }
      out.write(buf, 0, r);
      n -= r;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() > MAX_HEADER_BYTES) {
        throw fail("the JWKS answer's headers are too large");
      }
      sb.append((char) c);
    }
    throw fail("the JWKS answer ended early");
  }

  private static IOException tooLarge(int maxBytes) {
    return new FetchFailure("the JWKS is larger than " + maxBytes + " bytes");
  }

  private static IOException fail(String why) {
    return new FetchFailure(why);
  }

  /** Refuses to read past an overall deadline, so a slow drip cannot hold a request thread. */
  static final class Deadline extends InputStream {
    private final InputStream in;
    private final long deadline;

    Deadline(InputStream in, long deadline) {
      this.in = in;
      this.deadline = deadline;
    }

    private void check() throws SocketTimeoutException {
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("deadline");
      }
    }

    @Override
    public int read() throws IOException {
      check();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      return in.read(b, off, len);
    }
  }
}
