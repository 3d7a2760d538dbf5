package dev.sealpost.api.interfaces.rest;

/**
 * An RFC 9457 problem detail. {@code type} is stable ({@code
 * https://sealpost.dev/problems/<slug>}); {@code detail} never carries a secret or content; {@code
 * field} names the offending request field where there is one; {@code remainingAttempts} counts the
 * wrong answers a consumer link has left, after a wrong one; {@code requestId} is the answer's
 * {@code X-Request-Id} (issue 16). Absent members are left out.
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String field,
    Integer remainingAttempts,
    String requestId) {
  public static final String TYPE_PREFIX = "https://sealpost.dev/problems/";
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Without a request id (outside a request). */
  public Problem(
      String type,
      String title,
      int status,
      String detail,
      String field,
      Integer remainingAttempts) {
    this(type, title, status, detail, field, remainingAttempts, null);
  }
}
