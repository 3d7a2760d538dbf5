package dev.sealpost.api.interfaces.web;

import dev.sealpost.api.domain.ClientInfo;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a request really came from and whether it arrived over TLS, believing forwarding headers
 * only from trusted proxies. Set by {@link SecurityHeadersFilter} as request attribute {@link
 * #ATTRIBUTE}; resources read it with {@code @Context HttpServletRequest} and {@link #of}.
 */
public record RequestOrigin(String clientIp, boolean secure, String userAgent) {
  public static final String ATTRIBUTE = RequestOrigin.class.getName();

  public static RequestOrigin resolve(HttpServletRequest request, TrustedProxies proxies) {
    String ip = request.getRemoteAddr();
    boolean secure = request.isSecure();
    if (proxies.trusts(ip)) {
      String forwardedFor = request.getHeader("X-Forwarded-For");
      if (forwardedFor != null && !forwardedFor.isBlank()) {
        // From the right, the first hop that is not one of our proxies is the client.
        String[] hops = forwardedFor.split(",");
        String client = hops[0].trim();
        for (int i = hops.length - 1; i >= 0; i--) {
          String hop = hops[i].trim();
          if (!proxies.trusts(hop)) {
            client = hop;
            break;
          }
        }
        // Only an IP literal is believed: anything else in the header is noise or an attack on
        // whoever reads the audit log, so the proxy's own address stays on record then.
        if (client.length() <= 45 && client.matches("[0-9a-fA-F:.]+")) {
          ip = client;
        }
      }
      String proto = request.getHeader("X-Forwarded-Proto");
      if (proto != null) {
        secure = proto.trim().equalsIgnoreCase("https");
      }
    }
    return new RequestOrigin(ip, secure, request.getHeader("User-Agent"));
  }

  public static RequestOrigin of(HttpServletRequest request) {
    Object o = request.getAttribute(ATTRIBUTE);
    if (o instanceof RequestOrigin origin) {
      return origin;
    }
    return new RequestOrigin(
        request.getRemoteAddr(), request.isSecure(), request.getHeader("User-Agent"));
  }

  public ClientInfo clientInfo() {
    return new ClientInfo(clientIp, userAgent);
  }
}
