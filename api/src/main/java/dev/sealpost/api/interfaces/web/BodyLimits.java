package dev.sealpost.api.interfaces.web;

import dev.sealpost.api.interfaces.rest.JsonLimitsInterceptor;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How large a request body may be, per endpoint, and how it is read ({@link RequestBodyFilter}).
 * Fails closed: only the exact {@code POST /v1/envelopes} gets the sealing limit; every other path
 * (spelling variants included) gets a small one.
 *
 * <ul>
 *   <li>{@code POST /v1/open/{e}/{r}/replies} (a reply, multipart): streamed, no limit here (the
 *       endpoint counts {@code sealpost.reply.max-bytes} as the parts stream);
 *   <li>{@code /v1/open/**} (no API key): {@value #OPEN_MAX_BYTES} bytes, read in full
 *       (non-blocking) before the endpoint runs;
 *   <li>{@code POST /v1/envelopes} as JSON: {@link JsonLimitsInterceptor#MAX_BYTES}, streamed;
 *   <li>{@code POST /v1/envelopes} as multipart: streamed, no limit here (the seal counts
 *       attachment bytes against {@code sealpost.envelope.max-bytes} as they stream);
 *   <li>everything else (tenants, API keys, partners with an inline JWKS, reissue, ...): {@value
 *       #DEFAULT_MAX_BYTES} bytes, read in full (non-blocking) first.
 * </ul>
 */
public final class BodyLimits {
  /** The challenge and verify bodies are a few dozen bytes. */
  public static final long OPEN_MAX_BYTES = 4 * 1024;

  /** Admin JSON; as large as the largest JWKS Sealpost fetches itself (64 KiB) would need. */
  public static final long DEFAULT_MAX_BYTES = 64 * 1024;

  /** No limit at this layer: the endpoint enforces its own while it streams. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  private static final String SEAL_PATH = "/v1/envelopes";
  private static final String OPEN_PATH = "/v1/open";

  /** A consumer's reply upload: UUIDs only, so no spelling variant of another path matches. */
  private static final Pattern REPLY_PATH =
      Pattern.compile("/v1/open/[0-9a-f-]{36}/[0-9a-f-]{36}/replies");

  /**
   * The limit for one request. {@code buffered}: small enough to be read in full, without holding a
   * thread, before the endpoint runs; otherwise the body streams to the endpoint under a deadline
   * that grows with the bytes received.
   */
  public record Limit(long maxBytes, boolean buffered) {
    /** The 413 detail: names the limit. */
    public String detail() {
      return "this request body may have at most "
          + maxBytes
          + " bytes"
          + (buffered ? "" : "; send large files as multipart");
    }
  }

  private BodyLimits() {}

  /**
   * @param method the HTTP method
   * @param path the request path below the context root, decoded ({@code /v1/...})
   * @param contentType the Content-Type header, or null
   */
  public static Limit of(String method, String path, String contentType) {
    String p = path == null ? "" : path;
    if ("POST".equals(method) && REPLY_PATH.matcher(p).matches()) {
      return new Limit(UNLIMITED, false);
    }
    if (p.equals(OPEN_PATH) || p.startsWith(OPEN_PATH + "/")) {
      return new Limit(OPEN_MAX_BYTES, true);
    }
    if ("POST".equals(method) && p.equals(SEAL_PATH)) {
      boolean multipart =
          contentType != null
              && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/");
      return multipart
          ? new Limit(UNLIMITED, false)
          : new Limit(JsonLimitsInterceptor.MAX_BYTES, false);
    }
    return new Limit(DEFAULT_MAX_BYTES, true);
  }

  /**
   * When a streamed body must be complete: {@code timeout} after it began, plus one second per
   * {@code minRate} bytes received so far (so a large upload at a normal speed is never cut, and a
   * trickle is).
   */
  public static long deadlineNanos(long startNanos, Duration timeout, long minRate, long bytes) {
    long perRate = bytes / minRate;
    long extra =
        perRate > Long.MAX_VALUE / 1_000_000_000L / 2
            ? Long.MAX_VALUE / 2
            : perRate * 1_000_000_000L + (bytes % minRate) * 1_000_000_000L / minRate;
    return startNanos + timeout.toNanos() + extra;
  }
}
