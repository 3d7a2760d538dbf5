package dev.sealpost.exception;

import java.util.Optional;

/**
 * The Sealpost server answered with an error (RFC 9457 problem+json): it was reached and understood
 * the request, and refused or failed it. Carries the HTTP status, the problem {@code type} (a
 * stable URI such as {@code https://sealpost.dev/problems/not-found}) and the request id to quote
 * to support.
 *
 * <pre>{@code
 * try {
 *   client.open(envelopeId);
 * } catch (ServiceException e) {
 *   if (e.statusCode() == 404) { ... }        // not addressed to you, or no such envelope
 *   if (e.statusCode() == 410) { ... }        // revoked or expired: gone for good
 * }
 * }</pre>
 */
public class ServiceException extends SealpostException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String problemType;
  private final String requestId;
  private final String field;

  public ServiceException(
      int statusCode, String problemType, String message, String requestId, String field) {
    super(message);
    this.statusCode = statusCode;
    this.problemType = problemType;
    this.requestId = requestId;
    this.field = field;
  }

  /** The HTTP status code, e.g. 404. */
  public int statusCode() {
    return statusCode;
  }

  /** The problem type URI, or {@code about:blank} when the server sent none. */
  public String problemType() {
    return problemType;
  }

  /** The last segment of {@link #problemType()}, e.g. {@code not-found}. */
  public String problemSlug() {
    int slash = problemType.lastIndexOf('/');
    return slash < 0 ? problemType : problemType.substring(slash + 1);
  }

  /** The request id (the server's {@code X-Request-Id}, or the one this client sent). */
  public String requestId() {
    return requestId;
  }

  /** The request field the problem names, if any. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
