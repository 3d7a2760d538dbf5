package dev.sealpost.api.interfaces.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Guards every JSON request body while it streams in: more than {@link #MAX_DEPTH} levels of
 * nesting is a 400 ({@code too-deeply-nested}), more than {@link #MAX_BYTES} bytes a 413; bytes
 * that are not UTF-8 (RFC 8259) and a member name given twice in one object (parsers disagree on
 * which one wins: {@code {"role":"AUDITOR","role":"ADMIN"}}) are a 400 {@code malformed-json}.
 * Checked before any parser builds objects, in memory bounded by the member names.
 */
@Provider
public class JsonLimitsInterceptor implements ReaderInterceptor {
  public static final int MAX_DEPTH = 32;

  /** JSON bodies may carry base64 attachments; larger files go multipart. */
  public static final long MAX_BYTES = 64L * 1024 * 1024;

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    MediaType type = context.getMediaType();
    if (type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
      context.setInputStream(new GuardedJsonStream(context.getInputStream()));
    }
    return context.proceed();
  }

  /** Runs the same checks over a body already in memory (the multipart envelope part). */
  static void check(byte[] json) {
    try (GuardedJsonStream in = new GuardedJsonStream(new ByteArrayInputStream(json))) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProblemException malformed(String detail) {
    return new ProblemException(400, "malformed-json", "Malformed JSON", detail);
  }

  static final class GuardedJsonStream extends FilterInputStream {
    private long bytes;
    private int depth;
    private boolean inString;
    private boolean escaped;
    private final JsonMemberNames names = new JsonMemberNames();
    private final Utf8Check utf8 = new Utf8Check();

    GuardedJsonStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        scan((byte) b);
      } else {
        utf8.end();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        utf8.end();
      }
      for (int i = 0; i < n; i++) {
        scan(buf[off + i]);
      }
      return n;
    }

    private void scan(byte b) {
      if (++bytes > MAX_BYTES) {
        throw new ProblemException(
            413,
            "payload-too-large",
            "Payload too large",
            "a JSON body may have at most " + MAX_BYTES + " bytes; send large files as multipart");
      }
      utf8.accept(b);
      if (inString) {
        if (escaped) {
          escaped = false;
          names.escaped(b);
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
          names.stringEnd();
        } else {
          names.stringByte(b);
        }
        return;
      }
      switch (b) {
        case '"' -> {
          inString = true;
          names.stringStart();
        }
        case '{', '[' -> {
          if (++depth > MAX_DEPTH) {
            throw new ProblemException(
                400,
                "too-deeply-nested",
                "JSON too deeply nested",
                "JSON may nest at most " + MAX_DEPTH + " levels");
          }
          names.open(b == '{');
        }
        case '}', ']' -> {
          depth--;
          names.close();
        }
        case ',' -> names.comma();
        case ':' -> names.colon();
        default -> {}
      }
    }
  }
}
