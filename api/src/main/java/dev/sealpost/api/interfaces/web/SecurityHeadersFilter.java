package dev.sealpost.api.interfaces.web;

import dev.sealpost.api.application.EdgeSettings;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every answer of the application, errors included: nosniff, no framing (CSP
 * frame-ancestors and X-Frame-Options), no referrer, {@code Cache-Control: no-store} on API
 * answers, and HSTS when the request came over TLS (directly or per a trusted proxy).
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject Instance<EdgeSettings> settings;
  private transient volatile TrustedProxies proxies;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    RequestOrigin origin = RequestOrigin.resolve(req, proxies());
    req.setAttribute(RequestOrigin.ATTRIBUTE, origin);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (!path.startsWith("/v/") && !path.startsWith("/audit/")) {
      // The viewer (/v/) and the auditor console (/audit/) set their own, stricter headers.
      res.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
      res.setHeader("Cache-Control", "no-store");
    }
    if (origin.secure()) {
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    chain.doFilter(req, res);
  }

  private TrustedProxies proxies() {
    TrustedProxies p = proxies;
    if (p == null) {
      p = new TrustedProxies(settings.get().trustedProxies());
      proxies = p;
    }
    return p;
  }
}
