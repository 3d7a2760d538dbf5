package dev.sealpost.api.interfaces.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Guards every JSON request body while it streams in: more than {@link #MAX_DEPTH} levels of
 * nesting is a 400 ({@code too-deeply-nested}), more than {@link #MAX_BYTES} bytes a 413. Checked
 * before any parser builds objects, in constant memory.
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

  static final class GuardedJsonStream extends FilterInputStream {
    private long bytes;
    private int depth;
    private boolean inString;
    private boolean escaped;

    GuardedJsonStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        scan((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
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
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
        return;
      }
      switch (b) {
        case '"' -> inString = true;
        case '{', '[' -> {
          if (++depth > MAX_DEPTH) {
            throw new ProblemException(
                400,
                "too-deeply-nested",
                "JSON too deeply nested",
                "JSON may nest at most " + MAX_DEPTH + " levels");
          }
        }
        case '}', ']' -> depth--;
        default -> {}
      }
    }
  }
}
