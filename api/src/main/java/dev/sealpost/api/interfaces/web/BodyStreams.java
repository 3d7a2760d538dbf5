package dev.sealpost.api.interfaces.web;

import dev.sealpost.api.interfaces.rest.ProblemException;
import dev.sealpost.api.interfaces.web.BodyLimits.Limit;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The three ways {@link RequestBodyFilter} hands a body on. */
final class BodyStreams {
  private BodyStreams() {}

  static ProblemException tooLarge(Limit limit) {
    return new ProblemException(
        413,
        "payload-too-large",
        "Payload too large",
        limit.detail(),
        null,
        Map.of("Connection", "close"));
  }

  static String timeoutDetail(Duration timeout) {
    return "the request body did not arrive in time (" + timeout.toSeconds() + " s)";
  }

  /**
   * Reads a small body in full with non-blocking I/O (no thread waits for a slow client), then
   * dispatches the request again with the bytes; past the limit 413, past the deadline 408.
   */
  static final class AsyncReader implements ReadListener, AsyncListener {
    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Limit limit;
    private final ServletInputStream in;
    private final ByteArrayOutputStream body;
    private final byte[] buf = new byte[8192];
    private final AtomicBoolean done = new AtomicBoolean();

    AsyncReader(
        AsyncContext async, HttpServletRequest request, HttpServletResponse response, Limit limit)
        throws IOException {
      this.async = async;
      this.request = request;
      this.response = response;
      this.limit = limit;
      this.in = request.getInputStream();
      long declared = request.getContentLengthLong();
      this.body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!done.get() && in.isReady()) {
        int n = in.read(buf);
        if (n < 0) {
          return; // onAllDataRead follows
        }
        if (body.size() + (long) n > limit.maxBytes()) {
          finish(413, "payload-too-large", "Payload too large", limit.detail());
          return;
        }
        body.write(buf, 0, n);
      }
    }

    @Override
    public void onAllDataRead() {
      if (done.compareAndSet(false, true)) {
        request.setAttribute(RequestBodyFilter.BODY, body.toByteArray());
        async.dispatch();
      }
    }

    @Override
    public void onError(Throwable t) {
      // The client went away (or sent a broken chunked body): there is hardly anyone to answer.
      finish(400, "bad-request", "Bad request", "the request body could not be read");
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      finish(
          408,
          "request-timeout",
          "Request timeout",
          timeoutDetail(Duration.ofMillis(async.getTimeout())));
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}

    private void finish(int status, String slug, String title, String detail) {
      if (done.compareAndSet(false, true)) {
        RequestBodyFilter.refuse(response, status, slug, title, detail);
        try {
          async.complete();
        } catch (IllegalStateException e) {
          // already completed by the container
        }
      }
    }
  }

  /** The request as the endpoint sees it after {@link AsyncReader}: the body from memory. */
  static final class Buffered extends HttpServletRequestWrapper {
    private final byte[] body;

    Buffered(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body was already read");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String enc = getCharacterEncoding();
      Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
      return new BufferedReader(new InputStreamReader(getInputStream(), cs));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }

  /**
   * A large body streaming to the endpoint: counted against the limit (chunked bodies have no
   * declared length) and against a deadline that grows with the bytes received.
   */
  static final class Streamed extends HttpServletRequestWrapper {
    private final Limit limit;
    private final Duration timeout;
    private final long minRate;
    private ServletInputStream stream;

    Streamed(HttpServletRequest request, Limit limit, Duration timeout, long minRate) {
      super(request);
      this.limit = limit;
      this.timeout = timeout;
      this.minRate = minRate;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Guarded(super.getInputStream(), limit, timeout, minRate);
      }
      return stream;
    }
  }

  static final class Guarded extends ServletInputStream {
    private final ServletInputStream in;
    private final Limit limit;
    private final Duration timeout;
    private final long minRate;
    private final long start = System.nanoTime();
    private long bytes;

    Guarded(ServletInputStream in, Limit limit, Duration timeout, long minRate) {
      this.in = in;
      this.limit = limit;
      this.timeout = timeout;
      this.minRate = minRate;
    }

    @Override
    public int read() throws IOException {
      check();
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      int n = in.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      bytes += n;
      if (bytes > limit.maxBytes()) {
        throw tooLarge(limit);
      }
      check();
    }

    private void check() {
      if (System.nanoTime() - BodyLimits.deadlineNanos(start, timeout, minRate, bytes) > 0) {
        throw new ProblemException(
            408,
            "request-timeout",
            "Request timeout",
            timeoutDetail(timeout) + "; send at least " + minRate + " bytes per second",
            null,
            Map.of("Connection", "close"));
      }
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
