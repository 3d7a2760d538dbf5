package dev.sealpost.api.infrastructure.logging;

import dev.sealpost.api.application.RequestCorrelation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code sealpost.log.format=json} (issue 16): one JSON object per line, with the member names of
 * Payara's own {@code JSONLogFormatter} (which formats the lines before the application starts, see
 * {@code api/src/main/payara/logging-json.properties}), so every line of the log has the same
 * shape: {@code Timestamp}, {@code Level}, {@code LoggerName}, {@code ThreadName}, {@code
 * LogMessage}, and, on lines written while serving a request, {@code RequestId} and (once the
 * caller is known) {@code TenantId} ({@link RequestCorrelation}); {@code Exception} carries a
 * throwable's stack trace. Messages are the application's own, which never hold a secret, a token
 * or personal data.
 */
public final class JsonLogFormatter extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  @Override
  public String format(LogRecord r) {
    StringBuilder b = new StringBuilder(256).append('{');
    member(b, "Timestamp", TIME.format(r.getInstant()));
    member(b, "Level", r.getLevel().getName());
    member(b, "LoggerName", r.getLoggerName() == null ? "" : r.getLoggerName());
    member(b, "ThreadName", Thread.currentThread().getName());
    member(b, "LogMessage", message(r));
    String requestId = RequestCorrelation.requestId();
    if (requestId != null) {
      member(b, "RequestId", requestId);
      String tenant = RequestCorrelation.tenantId();
      if (tenant != null) {
        member(b, "TenantId", tenant);
      }
    }
    if (r.getThrown() != null) {
      StringWriter trace = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(trace));
      member(b, "Exception", trace.toString());
    }
    b.setLength(b.length() - 1); // the last comma
    return b.append("}\n").toString();
  }

  private String message(LogRecord r) {
    try {
      String m = formatMessage(r);
      return m == null ? "" : m;
    } catch (RuntimeException e) {
      // a broken message pattern or parameter must not lose the line
      return String.valueOf(r.getMessage());
    }
  }

  private static void member(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":");
    quote(b, value);
    b.append(',');
  }

  /** A JSON string: quotes, backslashes and every control character escaped, so no line break. */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
