package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.RequestCorrelation;
import java.util.Map;

/** Thrown at the REST edge to answer a given problem. */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String slug;
  private final String title;
  private final String field;
  private final Map<String, String> headers;
  private final Integer remainingAttempts;

  public ProblemException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, null, Map.of());
  }

  public ProblemException(
      int status,
      String slug,
      String title,
      String detail,
      String field,
      Map<String, String> headers) {
    this(status, slug, title, detail, field, headers, null);
  }

  /** With {@code remainingAttempts}: a wrong answer to a consumer link. */
  public ProblemException(
      int status,
      String slug,
      String title,
      String detail,
      String field,
      Map<String, String> headers,
      Integer remainingAttempts) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.field = field;
    this.headers = Map.copyOf(headers);
    this.remainingAttempts = remainingAttempts;
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "bad-request", "Bad request", detail);
  }

  public static ProblemException badField(String field, String detail) {
    return new ProblemException(
        400, "invalid-field", "Invalid field", field + ": " + detail, field, Map.of());
  }

  /** The answer's body; {@code requestId} is the current request's ({@link RequestCorrelation}). */
  public Problem problem() {
    return new Problem(
        Problem.TYPE_PREFIX + slug,
        title,
        status,
        getMessage(),
        field,
        remainingAttempts,
        RequestCorrelation.requestId());
  }

  /**
   * This problem about the request part or field {@code name}: the same status and type, the detail
   * prefixed with it (a guard that knows nothing of where its bytes came from, named).
   */
  public ProblemException about(String name) {
    return new ProblemException(
        status, slug, title, name + ": " + getMessage(), name, headers, remainingAttempts);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
