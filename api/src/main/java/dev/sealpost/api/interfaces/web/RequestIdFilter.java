package dev.sealpost.api.interfaces.web;

import dev.sealpost.api.application.RequestCorrelation;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The request id (issue 16): the client's {@code X-Request-Id} when well-formed ({@link
 * RequestCorrelation#wellFormed}), else a new one; echoed on every answer (set before anything can
 * answer, so refusals of the body filter and the container's error pages carry it too) and made the
 * thread's {@link RequestCorrelation} for every dispatch of the request (the first, the async one
 * after a buffered body, the error page). First in web.xml's filter order.
 */
@WebFilter(
    filterName = "RequestIdFilter",
    urlPatterns = "/*",
    asyncSupported = true,
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR})
public class RequestIdFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** The request attribute that keeps the id for later dispatches of the same request. */
  static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

  private static final String STARTED = RequestIdFilter.class.getName() + ".started";
  private static final Logger ACCESS = Logger.getLogger("dev.sealpost.access");

  /** {@code sealpost.http.answers}, tagged with the status code: 429s, 401s, 5xx at a glance. */
  @Inject MetricRegistry metrics;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String id = req.getAttribute(ATTRIBUTE) instanceof String s ? s : null;
    if (id == null) {
      id = RequestCorrelation.acceptOrGenerate(req.getHeader(RequestCorrelation.HEADER));
      req.setAttribute(ATTRIBUTE, id);
    }
    res.setHeader(RequestCorrelation.HEADER, id);
    if (req.getDispatcherType() == DispatcherType.REQUEST) {
      req.setAttribute(STARTED, System.nanoTime());
    }
    try (RequestCorrelation.Scope scope = RequestCorrelation.open(id)) {
      boolean failed = true;
      try {
        chain.doFilter(req, res);
        failed = false;
      } finally {
        if (!req.isAsyncStarted() && req.getDispatcherType() != DispatcherType.ERROR) {
          // a failure escaping the chain becomes the container's 500 (ErrorServlet)
          int status = failed ? 500 : res.getStatus();
          accessLine(req, status);
          metrics
              .counter("sealpost.http.answers", new Tag("status", Integer.toString(status)))
              .inc();
        }
      }
    }
  }

  /**
   * One line per answered request (logger {@code dev.sealpost.access}, INFO; logging.properties
   * keeps it quiet for ./run.sh): method, path (ids only: no query string, no body, no header),
   * status and milliseconds. The line carries the request id and tenant like any other.
   */
  private static void accessLine(HttpServletRequest req, int status) {
    if (!ACCESS.isLoggable(Level.INFO)) {
      return;
    }
    long ms =
        req.getAttribute(STARTED) instanceof Long t ? (System.nanoTime() - t) / 1_000_000 : -1;
    ACCESS.info(
        req.getMethod()
            + " "
            + printable(RequestBodyFilter.path(req))
            + " "
            + status
            + " "
            + ms
            + " ms");
  }

  /**
   * The path as logged: at most 200 characters, anything but printable ASCII as {@code ?}, so a
   * crafted path can not split or forge a line of a plain-text log.
   */
  static String printable(String path) {
    StringBuilder b = new StringBuilder(Math.min(path.length(), 200));
    for (int i = 0; i < path.length() && i < 200; i++) {
      char c = path.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  /** The request id of an answer being written (the header this filter set), or null. */
  static String of(HttpServletResponse res) {
    return res.getHeader(RequestCorrelation.HEADER);
  }
}
