package dev.sealpost.api.domain;

/**
 * Where a request came from, for the audit log: the client address (from X-Forwarded-For only when
 * the peer is a trusted proxy) and the user agent. Either may be null.
 */
public record ClientInfo(String ip, String userAgent) {
  public static final ClientInfo SYSTEM = new ClientInfo(null, null);

  public ClientInfo {
    if (userAgent != null && userAgent.length() > 512) {
      userAgent = userAgent.substring(0, 512);
    }
  }
}
