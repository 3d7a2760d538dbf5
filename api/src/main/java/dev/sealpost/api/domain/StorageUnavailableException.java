package dev.sealpost.api.domain;

/**
 * The blob store cannot be read or written right now: S3 down, failing or dropping connections, or
 * the file system full. Retryable: the REST edge answers 503 {@code storage-unavailable} with
 * {@code Retry-After}, and a seal that hits it has recorded nothing (its objects are deleted, or
 * left to the orphan sweep when even that fails). The message names the cause for the log, never a
 * key or content; the client gets a generic detail.
 */
public class StorageUnavailableException extends DomainException {
  private static final long serialVersionUID = 1L;

  public StorageUnavailableException(String what, Throwable cause) {
    super(what + ": " + describe(cause));
  }

  private static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown cause";
    }
    String m = cause.getMessage();
    String first = m == null ? "" : m.lines().findFirst().orElse("");
    return cause.getClass().getSimpleName() + (first.isEmpty() ? "" : " (" + first + ")");
  }
}
