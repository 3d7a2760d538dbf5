package dev.sealpost.api.interfaces.web;

import dev.sealpost.api.interfaces.web.BodyLimits.Limit;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds every request body before anything buffers it (issue 12): a declared Content-Length over
 * the endpoint's limit ({@link BodyLimits}) is answered 413 at once, without reading; a chunked
 * body is counted as it arrives. Small bodies (every endpoint but the seal) are read in full with
 * non-blocking I/O, so a client that trickles holds a connection but no worker thread, and are cut
 * with 408 after {@code sealpost.http.body-timeout} (default PT30S); the request then continues (an
 * async dispatch) with the bytes in memory. The seal's large bodies stream to the endpoint and must
 * arrive within the same timeout plus one second per {@code sealpost.http.body-min-rate} bytes
 * (default 16384), else 408. A refused body is not read: the answer closes the connection, as does
 * the answer to any chunked request.
 *
 * <p>Ordered after {@link SecurityHeadersFilter} in web.xml, so its answers carry those headers.
 */
@WebFilter(
    filterName = "RequestBodyFilter",
    urlPatterns = "/*",
    asyncSupported = true,
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
public class RequestBodyFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** The request attribute that carries a body read in full to the async dispatch. */
  static final String BODY = RequestBodyFilter.class.getName() + ".body";

  @Inject
  @ConfigProperty(name = "sealpost.http.body-timeout", defaultValue = "PT30S")
  String timeoutSetting;

  @Inject
  @ConfigProperty(name = "sealpost.http.body-min-rate", defaultValue = "16384")
  String minRateSetting;

  /**
   * The container starts no CDI request context for an async dispatch: a controller of its own per
   * dispatch does (the filter serves concurrent dispatches; a @Dependent controller is not meant to
   * be shared by them).
   */
  @Inject Instance<RequestContextController> requestContexts;

  private transient volatile Duration timeout;
  private transient volatile long minRate;

  @Override
  public void init() throws ServletException {
    timeout = timeout(timeoutSetting);
    minRate = minRate(minRateSetting);
  }

  /** {@code sealpost.http.body-timeout}: an ISO-8601 duration from PT1S to PT1H. */
  static Duration timeout(String setting) {
    try {
      Duration d = Duration.parse(setting == null ? "PT30S" : setting.trim());
      if (d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(Duration.ofHours(1)) <= 0) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "sealpost.http.body-timeout must be an ISO-8601 duration from PT1S to PT1H, not "
            + setting);
  }

  /** {@code sealpost.http.body-min-rate}: bytes per second, from 1 to 1 GiB. */
  static long minRate(String setting) {
    try {
      long r = Long.parseLong(setting == null ? "16384" : setting.trim());
      if (r >= 1 && r <= 1L << 30) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "sealpost.http.body-min-rate must be a number of bytes per second from 1 to 1073741824,"
            + " not "
            + setting);
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (req.getDispatcherType() == DispatcherType.ASYNC) {
      Object body = req.getAttribute(BODY);
      if (body instanceof byte[] bytes) {
        req.removeAttribute(BODY);
        RequestContextController requestContext = requestContexts.get();
        boolean activated = requestContext.activate();
        try {
          chain.doFilter(new BodyStreams.Buffered(req, bytes), res);
        } finally {
          if (activated) {
            requestContext.deactivate();
          }
          requestContexts.destroy(requestContext);
        }
      }
      // No body waiting: a second, stale dispatch of a request whose body was already handed on
      // (Payara can run AsyncContext.dispatch twice when it races the servlet's exit; the second
      // one arrived after the request was answered and recycled, and ran the endpoint again with an
      // empty body: HostileInputIT saw a partner key created and an NPE on the recycled input).
      // Only this filter dispatches, so such a dispatch has nothing to do.
      return;
    }
    if (req.getHeader("Transfer-Encoding") != null) {
      // The container drops a Content-Length sent along with Transfer-Encoding, so a smuggling
      // attempt (RFC 9112 6.3) looks like a plain chunked request here: closing the connection
      // after
      // every chunked request means no bytes after its body are ever read as another request.
      res.setHeader("Connection", "close");
    }
    if (!hasBody(req)) {
      chain.doFilter(req, res);
      return;
    }
    Limit limit = BodyLimits.of(req.getMethod(), path(req), req.getContentType());
    if (req.getContentLengthLong() > limit.maxBytes()) {
      refuse(res, 413, "payload-too-large", "Payload too large", limit.detail());
      return;
    }
    if (limit.buffered() && req.isAsyncSupported()) {
      AsyncContext async = req.startAsync();
      async.setTimeout(timeout.toMillis());
      BodyStreams.AsyncReader reader = new BodyStreams.AsyncReader(async, req, res, limit);
      async.addListener(reader);
      req.getInputStream().setReadListener(reader);
      return;
    }
    chain.doFilter(new BodyStreams.Streamed(req, limit, timeout, minRate), res);
  }

  private static boolean hasBody(HttpServletRequest req) {
    return req.getContentLengthLong() > 0 || req.getHeader("Transfer-Encoding") != null;
  }

  /** The path below the context root, as the container decoded and normalised it. */
  static String path(HttpServletRequest req) {
    String servlet = req.getServletPath() == null ? "" : req.getServletPath();
    String info = req.getPathInfo() == null ? "" : req.getPathInfo();
    return servlet + info;
  }

  /** {@code ,"requestId":"<id>"}, or nothing without one (the id is well-formed: no escaping). */
  static String requestIdMember(String requestId) {
    return requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"";
  }

  /** Answers a problem+json and closes the connection: the rest of the body is never read. */
  static void refuse(
      HttpServletResponse res, int status, String slug, String title, String detail) {
    if (res.isCommitted()) {
      return;
    }
    try {
      byte[] body =
          ("{\"type\":\"https://sealpost.dev/problems/"
                  + slug
                  + "\",\"title\":\""
                  + title
                  + "\",\"status\":"
                  + status
                  + ",\"detail\":\""
                  + detail
                  + "\""
                  + requestIdMember(RequestIdFilter.of(res))
                  + "}")
              .getBytes(StandardCharsets.UTF_8);
      res.resetBuffer();
      res.setStatus(status);
      res.setHeader("Connection", "close");
      res.setContentType("application/problem+json");
      res.setContentLength(body.length);
      res.getOutputStream().write(body);
      res.flushBuffer();
    } catch (IOException | IllegalStateException e) {
      // the client went away: nothing to answer
    }
  }
}
