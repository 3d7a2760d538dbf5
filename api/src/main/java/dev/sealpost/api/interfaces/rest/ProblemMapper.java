package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.OpenLinkException;
import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.DisplayNameTakenException;
import dev.sealpost.api.domain.ForbiddenException;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.LastAdminKeyException;
import dev.sealpost.api.domain.NotFoundException;
import dev.sealpost.api.domain.PayloadTooLargeException;
import dev.sealpost.api.domain.ReissueRefusedException;
import dev.sealpost.api.domain.ReplyRefusedException;
import dev.sealpost.api.domain.RetryLaterException;
import dev.sealpost.api.domain.StorageUnavailableException;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every exception becomes problem+json with a stable type, here and nowhere else; nothing internal
 * (stack trace, class name, SQL) ever reaches the client. Unexpected failures are logged with an
 * incident id that the answer repeats. The consumer flow's refusals ({@link OpenLinkException})
 * carry the slugs the viewer knows, {@code remainingAttempts} after a wrong answer, {@code
 * Retry-After} when rate-limited and {@code WWW-Authenticate: Bearer} when the session ended.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

  @Override
  public Response toResponse(Throwable e) {
    ProblemException p = translate(e);
    Response.ResponseBuilder r =
        Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p.problem());
    p.headers().forEach(r::header);
    if (e instanceof NotAllowedException na) {
      String allow = na.getResponse().getHeaderString("Allow");
      if (allow != null) {
        r.header("Allow", allow);
      }
    }
    return r.build();
  }

  /** A guard deep inside a parser (e.g. JsonLimitsInterceptor) arrives wrapped: its answer wins. */
  private static ProblemException wrappedProblem(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof ProblemException p) {
        return p;
      }
    }
    return null;
  }

  static ProblemException translate(Throwable e) {
    ProblemException wrapped = wrappedProblem(e);
    if (wrapped != null) {
      return wrapped;
    }
    if (e instanceof OpenLinkException o) {
      return openLink(o);
    }
    if (e instanceof InvalidInputException i) {
      return new ProblemException(
          422, "invalid-field", "Unprocessable request", i.getMessage(), i.field(), Map.of());
    }
    if (e instanceof NotFoundException) {
      return notFound();
    }
    if (e instanceof ReissueRefusedException r) {
      return reissueRefused(r);
    }
    if (e instanceof ForbiddenException f) {
      return new ProblemException(403, "forbidden", "Forbidden", f.getMessage());
    }
    if (e instanceof LastAdminKeyException l) {
      return new ProblemException(409, "last-admin-key", "Last ADMIN key", l.getMessage());
    }
    if (e instanceof DisplayNameTakenException d) {
      return new ProblemException(
          409, "display-name-taken", "Display name taken", d.getMessage(), "displayName", Map.of());
    }
    if (e instanceof ReplyRefusedException r) {
      return replyRefused(r);
    }
    if (e instanceof ConflictException c) {
      return new ProblemException(409, "conflict", "Conflict", c.getMessage());
    }
    ProblemException retryable = retryable(e);
    if (retryable != null) {
      return retryable;
    }
    if (e instanceof PayloadTooLargeException t) {
      return new ProblemException(413, "payload-too-large", "Payload too large", t.getMessage());
    }
    if (isMalformedJson(e)) {
      return new ProblemException(
          400,
          "malformed-json",
          "Malformed JSON",
          "the request body is not valid JSON for this endpoint");
    }
    if (e instanceof WebApplicationException w) {
      return fromStatus(w);
    }
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, e);
    return new ProblemException(
        500, "internal-error", "Internal error", "something went wrong; incident " + incident);
  }

  private static ProblemException replyRefused(ReplyRefusedException r) {
    Type t =
        switch (r.reason()) {
          case NOT_ALLOWED -> new Type(403, "reply-not-allowed", "Replies not allowed");
          case LIMIT_REACHED -> new Type(409, "reply-limit", "Replies used up");
          case ID_USED -> new Type(409, "reply-exists", "Reply id already used");
        };
    return new ProblemException(t.status(), t.slug(), t.title(), r.getMessage());
  }

  /** A part that is down, busy or failing, or a caller to slow down: a 503 or 429; else null. */
  private static ProblemException retryable(Throwable e) {
    if (e instanceof KeyUnavailableException k) {
      return keyUnavailable(k);
    }
    if (e instanceof RetryLaterException r) {
      return retryLater(r);
    }
    if (causedBy(e, SQLTransientException.class)) {
      return busy(e);
    }
    if (e instanceof StorageUnavailableException s) {
      return unavailable("storage-unavailable", "Storage unavailable", "storage", s.getMessage());
    }
    if (databaseUnreachable(e)) {
      return unavailable(
          "database-unavailable",
          "Database unavailable",
          "database",
          rootCause(e).getClass().getSimpleName());
    }
    return null;
  }

  /**
   * KMS down, throttled beyond retries, key disabled or access denied: the cause is logged (it
   * never holds key material), the client gets a retryable 503 without internals.
   */
  private static ProblemException keyUnavailable(KeyUnavailableException k) {
    LOG.warning("key service unavailable: " + k.getMessage());
    return new ProblemException(
        503,
        "key-unavailable",
        "Key service unavailable",
        "a key needed for this request can not be used right now; try again later",
        null,
        Map.of("Retry-After", "5"));
  }

  /** A partner's keys, a tenant's share or the server's capacity: retryable, with Retry-After. */
  private static ProblemException retryLater(RetryLaterException r) {
    Type t =
        switch (r.reason()) {
          case PARTNER_KEYS_UNAVAILABLE ->
              new Type(503, "partner-keys-unavailable", "Partner keys unavailable");
          case TENANT_OVER_BUDGET -> new Type(429, "rate-limited", "Too many requests");
          case SERVER_BUSY -> new Type(503, "busy", "Service busy");
        };
    return new ProblemException(
        t.status(),
        t.slug(),
        t.title(),
        r.getMessage(),
        null,
        Map.of("Retry-After", Long.toString(r.retryAfterSeconds())));
  }

  /**
   * No pool connection within its timeout, or a lock wait that timed out: the database is busy, not
   * broken, and nothing was committed. A retryable 503, like an unusable key.
   */
  private static ProblemException busy(Throwable e) {
    LOG.warning("database busy: " + rootCause(e).getClass().getSimpleName());
    return new ProblemException(
        503,
        "busy",
        "Service busy",
        "the service is busy; nothing was changed; try again in a moment",
        null,
        Map.of("Retry-After", "1"));
  }

  /**
   * A part the request needs is down, failing or dropped the connection: nothing half-done is
   * visible (a seal records its envelope in one transaction after its objects are written), so the
   * client may simply retry. The cause goes to the log, never to the client.
   */
  private static ProblemException unavailable(String slug, String title, String what, String why) {
    LOG.warning(what + " unavailable: " + why);
    return new ProblemException(
        503,
        slug,
        title,
        "the " + what + " can not be used right now; nothing was changed; try again later",
        null,
        Map.of("Retry-After", "5"));
  }

  /**
   * The database connection failed or broke (SQLState class 08, an admin shutdown 57P0x, or a
   * recoverable / non-transient connection error): a retryable outage, not a bug.
   */
  private static boolean databaseUnreachable(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t.getCause() != null && depth < 10; depth++) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isMalformedJson(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof JsonbException || t instanceof JsonException) {
        return true;
      }
    }
    // Jersey wraps entity-reader failures in ProcessingException / BadRequestException.
    return e instanceof ProcessingException;
  }

  /** A problem type: status, slug and title. */
  private record Type(int status, String slug, String title) {}

  private static ProblemException openLink(OpenLinkException e) {
    Type t =
        switch (e.reason()) {
          case NOT_FOUND -> new Type(404, "not-found", "Not found");
          case WRONG_CODE -> new Type(401, "wrong-code", "Wrong code");
          case WRONG_SECRET -> new Type(401, "wrong-secret", "Wrong answer");
          case LOCKED -> new Type(423, "locked", "Locked");
          case EXPIRED -> new Type(410, "expired", "Expired");
          case REVOKED -> new Type(410, "revoked", "Revoked");
          case OPEN_LIMIT -> new Type(410, "open-limit", "Opened too often");
          case GONE -> new Type(410, "gone", "Gone");
          case RATE_LIMITED -> new Type(429, "rate-limited", "Too many requests");
          case SESSION_ENDED -> new Type(401, "session-ended", "Session ended");
          case METHOD_NOT_ALLOWED -> new Type(403, "method-not-allowed", "Not allowed");
          case ANSWER_REQUIRED -> new Type(400, "answer-required", "Bad request");
          case MAIL_UNAVAILABLE -> new Type(503, "mail-unavailable", "Mail unavailable");
        };
    Map<String, String> headers = new LinkedHashMap<>();
    if (e.retryAfterSeconds() != null) {
      headers.put("Retry-After", Long.toString(e.retryAfterSeconds()));
    }
    if (e.reason() == OpenLinkException.Reason.SESSION_ENDED) {
      headers.put("WWW-Authenticate", "Bearer");
    }
    return new ProblemException(
        t.status(), t.slug(), t.title(), e.getMessage(), null, headers, e.remainingAttempts());
  }

  /**
   * A reissue {@link dev.sealpost.api.domain.ReissuePolicy} refuses: another key 403 forbidden, a
   * SENDER on a locked recipient 403 lock-needs-admin, the recipient's reissues used up 409
   * reissue-limit (a state of the recipient, not a rate: waiting does not help).
   */
  private static ProblemException reissueRefused(ReissueRefusedException r) {
    Type t =
        switch (r.refusal()) {
          case NOT_SEALER_OR_ADMIN -> new Type(403, "forbidden", "Forbidden");
          case LOCK_NEEDS_ADMIN -> new Type(403, "lock-needs-admin", "Lock needs an ADMIN key");
          case LIMIT_REACHED -> new Type(409, "reissue-limit", "Reissues used up");
        };
    return new ProblemException(t.status(), t.slug(), t.title(), r.getMessage());
  }

  static ProblemException notFound() {
    return new ProblemException(404, "not-found", "Not found", "no such resource");
  }

  private static ProblemException fromStatus(WebApplicationException w) {
    int status = w.getResponse().getStatus();
    if (w instanceof NotAllowedException) {
      return new ProblemException(
          405, "method-not-allowed", "Method not allowed", "this method is not allowed here");
    }
    if (w instanceof NotSupportedException) {
      return new ProblemException(
          415, "unsupported-media-type", "Unsupported media type", "send a supported Content-Type");
    }
    if (w instanceof NotAcceptableException) {
      return new ProblemException(
          406, "not-acceptable", "Not acceptable", "cannot answer in the requested type");
    }
    return switch (status) {
      case 400 ->
          new ProblemException(400, "bad-request", "Bad request", "the request is malformed");
      case 401 -> ApiKeyAuthFilter.unauthorized();
      case 403 -> new ProblemException(403, "forbidden", "Forbidden", "not allowed");
      case 404 -> notFound();
      case 413 ->
          new ProblemException(
              413, "payload-too-large", "Payload too large", "the request body is too large");
      default -> {
        if (status >= 500) {
          String incident = UUID.randomUUID().toString();
          LOG.log(Level.SEVERE, "server error, incident " + incident, w);
          yield new ProblemException(
              500,
              "internal-error",
              "Internal error",
              "something went wrong; incident " + incident);
        }
        yield new ProblemException(
            status, "http-" + status, "Request failed", "the request failed");
      }
    };
  }
}
