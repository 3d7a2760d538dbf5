package dev.sealpost.api.application;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Which request the current thread serves (issue 16), like a logging MDC: its request id and, once
 * the caller is known, its tenant id. The HTTP edge opens a {@link Scope} per request; log lines
 * ({@code sealpost.log.format=json}), problem answers and audit events read it. Background work has
 * none. Neither value is ever personal data or a secret: a request id is the client's {@code
 * X-Request-Id} when {@link #wellFormed well-formed}, else generated.
 */
public final class RequestCorrelation {
  /** The HTTP header that carries the request id both ways. */
  public static final String HEADER = "X-Request-Id";

  /** 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}: safe in a header, a log line and JSON. */
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  private RequestCorrelation() {}

  /** What the current thread serves. */
  private record Current(String requestId, String tenantId) {}

  /** Whether a client's {@code X-Request-Id} may be used as it is. */
  public static boolean wellFormed(String requestId) {
    return requestId != null && WELL_FORMED.matcher(requestId).matches();
  }

  /** The client's id when well-formed, else a new one (32 hex digits, random). */
  public static String acceptOrGenerate(String fromClient) {
    if (wellFormed(fromClient)) {
      return fromClient;
    }
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Marks the current thread as serving {@code requestId} until the scope is closed. */
  public static Scope open(String requestId) {
    Current previous = CURRENT.get();
    CURRENT.set(new Current(requestId, null));
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Notes the caller's tenant for the rest of the request (no-op outside a request). */
  public static void tenant(String tenantId) {
    Current c = CURRENT.get();
    if (c != null) {
      CURRENT.set(new Current(c.requestId(), tenantId));
    }
  }

  /** The current request's id, or null outside a request. */
  public static String requestId() {
    Current c = CURRENT.get();
    return c == null ? null : c.requestId();
  }

  /** The current caller's tenant id, or null when unknown. */
  public static String tenantId() {
    Current c = CURRENT.get();
    return c == null ? null : c.tenantId();
  }

  /**
   * An audit event's detail with the current request id appended ({@code requestId=<id>}, after
   * {@code "; "} when there is a detail already); unchanged outside a request.
   */
  public static String withRequestId(String detail) {
    String id = requestId();
    if (id == null) {
      return detail;
    }
    String note = "requestId=" + id;
    return detail == null || detail.isEmpty() ? note : detail + "; " + note;
  }

  /** What the current thread serves, to be applied to another thread running its work. */
  public static Snapshot snapshot() {
    return new Snapshot(CURRENT.get());
  }

  /** A thread's request id and tenant, taken by {@link #snapshot}. */
  public static final class Snapshot {
    private final Current current;

    private Snapshot(Current current) {
      this.current = current;
    }

    /** Marks the current thread as serving the snapshot's request until the scope is closed. */
    public Scope apply() {
      Current previous = CURRENT.get();
      if (current == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(current);
      }
      return () -> {
        if (previous == null) {
          CURRENT.remove();
        } else {
          CURRENT.set(previous);
        }
      };
    }
  }

  /** Ends what {@link #open} started; closing twice is harmless. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
