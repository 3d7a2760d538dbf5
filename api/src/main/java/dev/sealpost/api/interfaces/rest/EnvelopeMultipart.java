package dev.sealpost.api.interfaces.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming reader of {@code multipart/form-data} (RFC 7578): one part at a time, each part's
 * content read straight from the request with a fixed 64 KiB buffer, never stored in memory or in a
 * temporary file (a servlet container's or Jersey's multipart support spools large parts to disk,
 * which would leave plaintext in {@code java.io.tmpdir}).
 *
 * <p>A part must be read (or is skipped) before the next one. Malformed input throws a 400 problem.
 */
final class EnvelopeMultipart {
  private static final int MAX_HEADER_BYTES = 8192;
  private static final int MAX_PARTS = 1001;

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;
  private boolean eof;
  private boolean finished;
  private PartStream current;
  private int parts;

  /** One part: its headers, and its content as a stream that ends at the part's end. */
  record Part(
      String name, Optional<String> filename, Optional<String> contentType, InputStream content) {}

  EnvelopeMultipart(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw ProblemException.badRequest(
          "multipart/form-data needs a boundary of 1 to 70 characters");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // The first delimiter has no CRLF before it: pretend there was one.
    buf[0] = '\r';
    buf[1] = '\n';
    lim = 2;
  }

  /** The boundary parameter of a multipart Content-Type header. */
  static String boundary(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = p.substring(9).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        return b;
      }
    }
    return null;
  }

  /** The next part, or empty after the last one. Skips what is left of the previous part. */
  Optional<Part> next() throws IOException {
    if (finished) {
      return Optional.empty();
    }
    if (current == null) {
      new PartStream().skipAll(); // the preamble
    } else {
      current.skipAll();
    }
    ensure(2);
    if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
      finished = true;
      return Optional.empty();
    }
    // Transport padding, then CRLF.
    while (true) {
      ensure(1);
      if (lim - pos < 1) {
        throw malformed();
      }
      byte b = buf[pos];
      if (b == ' ' || b == '\t') {
        pos++;
        continue;
      }
      break;
    }
    expectCrlf();
    if (++parts > MAX_PARTS) {
      throw ProblemException.badRequest("too many multipart parts");
    }
    Map<String, String> headers = readHeaders();
    String disposition = headers.get("content-disposition");
    if (disposition == null
        || !disposition.trim().toLowerCase(Locale.ROOT).startsWith("form-data")) {
      throw ProblemException.badRequest("every part needs Content-Disposition: form-data");
    }
    Map<String, String> params = parameters(disposition);
    String name = params.get("name");
    if (name == null) {
      throw ProblemException.badRequest("every part needs a name");
    }
    Optional<String> filename =
        Optional.ofNullable(params.get("filename*")).map(EnvelopeMultipart::extValue);
    if (filename.isEmpty()) {
      filename = Optional.ofNullable(params.get("filename"));
    }
    current = new PartStream();
    return Optional.of(
        new Part(
            name,
            filename,
            Optional.ofNullable(headers.get("content-type")).map(String::trim),
            current));
  }

  private void expectCrlf() throws IOException {
    ensure(2);
    if (lim - pos < 2 || buf[pos] != '\r' || buf[pos + 1] != '\n') {
      throw malformed();
    }
    pos += 2;
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    while (true) {
      StringBuilder line = new StringBuilder();
      byte[] raw = new byte[MAX_HEADER_BYTES];
      int n = 0;
      while (true) {
        ensure(2);
        if (lim - pos < 2) {
          throw malformed();
        }
        if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
          pos += 2;
          break;
        }
        if (++total > MAX_HEADER_BYTES) {
          throw ProblemException.badRequest("multipart part headers too large");
        }
        raw[n++] = buf[pos++];
      }
      line.append(new String(raw, 0, n, StandardCharsets.UTF_8));
      if (line.length() == 0) {
        return headers;
      }
      int colon = line.indexOf(":");
      if (colon <= 0) {
        throw malformed();
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
  }

  /** Parameters of a Content-Disposition value; quoted strings unescaped. */
  static Map<String, String> parameters(String value) {
    Map<String, String> params = new LinkedHashMap<>();
    int i = value.indexOf(';');
    while (i >= 0 && i < value.length()) {
      i++;
      while (i < value.length() && value.charAt(i) == ' ') {
        i++;
      }
      int eq = value.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      int j = eq + 1;
      StringBuilder v = new StringBuilder();
      if (j < value.length() && value.charAt(j) == '"') {
        j++;
        while (j < value.length() && value.charAt(j) != '"') {
          char c = value.charAt(j);
          if (c == '\\' && j + 1 < value.length()) {
            c = value.charAt(++j);
          }
          v.append(c);
          j++;
        }
        j++;
      } else {
        while (j < value.length() && value.charAt(j) != ';') {
          v.append(value.charAt(j++));
        }
      }
      params.putIfAbsent(key, v.toString().trim());
      i = value.indexOf(';', j);
    }
    return params;
  }

  /** RFC 8187 ext-value: {@code UTF-8''percent-encoded}. */
  private static String extValue(String v) {
    int q = v.indexOf("''");
    if (q < 0 || !v.substring(0, q).equalsIgnoreCase("UTF-8")) {
      return null;
    }
    try {
      return URLDecoder.decode(v.substring(q + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Makes at least {@code k} bytes available after {@code pos}, unless the input ends first. */
  private void ensure(int k) throws IOException {
    if (lim - pos >= k) {
      return;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    while (lim - pos < k && !eof) {
      int n = in.read(buf, lim, buf.length - lim);
      if (n < 0) {
        eof = true;
      } else {
        lim += n;
      }
    }
  }

  private int indexOfDelimiter() {
    byte first = delimiter[0];
    int last = lim - delimiter.length;
    outer:
    for (int i = pos; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static ProblemException malformed() {
    return ProblemException.badRequest("the multipart body is malformed");
  }

  /** A part's content: ends where the next delimiter starts. */
  private final class PartStream extends ChunkInputStream {
    private boolean done;

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      ensure(delimiter.length + 1);
      int idx = indexOfDelimiter();
      int avail;
      if (idx >= 0) {
        avail = idx - pos;
        if (avail == 0) {
          pos += delimiter.length;
          done = true;
          return -1;
        }
      } else {
        if (eof) {
          throw malformed();
        }
        // Keep a possible partial delimiter at the end of the buffer.
        avail = lim - pos - (delimiter.length - 1);
      }
      int n = Math.min(len, avail);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }

    void skipAll() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }
}
