package dev.sealpost.audit;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.io.IOException;
import java.io.Reader;
import java.text.ParseException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Verifies an export written by {@link AuditExportWriter} (NDJSON or CSV, told apart by the first
 * character) in one streaming pass: every checkpoint's signature under the tenant's trusted keys,
 * then the chain ({@link AuditVerifier}), then that the head line matches and that a signed
 * checkpoint covers the last event (an export ends at a checkpoint the server signs for it, so
 * nothing in it is unsigned).
 *
 * <pre>{@code
 * try (Reader in = Files.newBufferedReader(path)) {
 *   AuditVerification v = AuditExportReader.verify(in, TrustedKeys.fromJwksJson(jwks), List.of());
 * }
 * }</pre>
 */
public final class AuditExportReader {
  private static final int MAX_LINE_CHARS = 64 * 1024;

  private final Reader in;
  private final boolean csv;
  private String[] csvColumns;
  private int pushedBack = -2;
  private long line;

  private AuditExportReader(Reader in, boolean csv) {
    this.in = in;
    this.csv = csv;
  }

  /**
   * @param extraCheckpoints compact JWS checkpoints kept elsewhere (e.g. from an earlier verify):
   *     the export must agree with them and reach at least as far
   * @throws MalformedEnvelopeException if the file is not an export
   * @throws dev.sealpost.exception.IntegrityException if a checkpoint signature does not verify
   * @throws dev.sealpost.exception.UntrustedSignerException if a checkpoint's key is not trusted
   */
  public static AuditVerification verify(
      Reader in, TrustedKeys trusted, Collection<String> extraCheckpoints) throws IOException {
    int first = in.read();
    AuditExportReader r = new AuditExportReader(in, first != '{');
    r.pushedBack = first;
    return r.run(trusted, extraCheckpoints);
  }

  private AuditVerification run(TrustedKeys trusted, Collection<String> extraCheckpoints)
      throws IOException {
    if (csv) {
      List<String> columns = nextCsv();
      String joined = columns == null ? null : String.join(",", columns);
      if (!AuditExportWriter.CSV_COLUMNS.equals(joined)
          && !AuditExportWriter.CSV_COLUMNS_V1.equals(joined)) {
        throw malformed("the CSV header row is not " + AuditExportWriter.CSV_COLUMNS);
      }
      csvColumns = joined.split(",");
    }
    Map<String, Object> header = next();
    if (header == null
        || !"header".equals(header.get("kind"))
        || (!csv && !AuditExportWriter.FORMAT.equals(header.get("format")))) {
      throw malformed("the first item is not a sealpost audit export header");
    }
    String tenant = string(header, "tenant", true);
    AuditVerifier verifier = new AuditVerifier(tenant);
    for (String jws : extraCheckpoints) {
      verifier.checkpoint(AuditCheckpoint.verify(jws.trim(), trusted, tenant));
    }
    Map<String, Object> item = next();
    while (item != null) {
      Object kind = item.get("kind");
      if ("checkpoint".equals(kind)) {
        AuditCheckpoint cp = AuditCheckpoint.verify(string(item, "jws", true), trusted, tenant);
        if (cp.seq() != number(item, "seq") || !cp.head().equals(string(item, "head", true))) {
          throw malformed("a checkpoint line does not match its own JWS");
        }
        verifier.checkpoint(cp);
      } else if ("event".equals(kind)) {
        verifier.accept(event(tenant, item));
      } else {
        break;
      }
      item = next();
    }
    if (item == null) {
      return verifier
          .finish(null, null)
          .failedAt(0, "the export is incomplete: no head line (file truncated?)");
    }
    if (!"head".equals(item.get("kind"))) {
      throw malformed("unexpected item '" + item.get("kind") + "' (checkpoints, events, head)");
    }
    long headSeq = number(item, "seq");
    AuditVerification v = verifier.finish(headSeq, string(item, "hash", false));
    if (next() != null) {
      return v.failedAt(headSeq + 1, "data after the head line");
    }
    if (v.ok()
        && v.lastSeq() > 0
        && (v.checkpoint() == null || v.checkpoint().seq() < v.lastSeq())) {
      return v.failedAt(
          v.checkpoint() == null ? 1 : v.checkpoint().seq() + 1,
          "events up to seq " + v.lastSeq() + " are not covered by a signed checkpoint");
    }
    return v;
  }

  private AuditRecord event(String tenant, Map<String, Object> item) {
    try {
      return new AuditRecord(
              tenant,
              number(item, "seq"),
              string(item, "type", true),
              AuditRecord.parseTime(string(item, "time", true)),
              string(item, "actor", true),
              string(item, "envelopeId", false),
              string(item, "recipientId", false),
              string(item, "ip", false),
              string(item, "userAgent", false),
              string(item, "prevHash", true),
              string(item, "hash", true))
          .withDetail(string(item, "detail", false));
    } catch (DateTimeException e) {
      // DateTimeParseException, or a time beyond what the chain encodes
      throw malformed("an event has a bad time");
    }
  }

  private String string(Map<String, Object> item, String field, boolean required) {
    Object v = item.get(field);
    if (v == null) {
      if (required) {
        throw malformed("'" + field + "' is missing");
      }
      return null;
    }
    if (!(v instanceof String)) {
      throw malformed("'" + field + "' is not a string");
    }
    return (String) v;
  }

  private long number(Map<String, Object> item, String field) {
    Object v = item.get(field);
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    if (v instanceof String) {
      try {
        return Long.parseLong((String) v);
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw malformed("'" + field + "' is not a number");
  }

  private MalformedEnvelopeException malformed(String why) {
    return new MalformedEnvelopeException("audit export line " + line + ": " + why);
  }

  /** The next item as a map (CSV rows mapped by column), or null at the end. */
  private Map<String, Object> next() throws IOException {
    if (csv) {
      List<String> f = nextCsv();
      if (f == null) {
        return null;
      }
      String[] names = csvColumns;
      if (f.size() != names.length) {
        throw malformed("expected " + names.length + " columns");
      }
      Map<String, Object> m = new java.util.HashMap<>();
      for (int i = 0; i < names.length; i++) {
        m.put(names[i], f.get(i));
      }
      m.put("head", m.get("hash"));
      return m;
    }
    String s = nextLine();
    while (s != null && s.isBlank()) {
      s = nextLine();
    }
    if (s == null) {
      return null;
    }
    try {
      return JSONObjectUtils.parse(s);
    } catch (ParseException e) {
      throw malformed("not a JSON object");
    }
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    return in.read();
  }

  private String nextLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c = read();
    if (c < 0) {
      return null;
    }
    line++;
    while (c >= 0 && c != '\n') {
      if (sb.length() >= MAX_LINE_CHARS) {
        throw malformed("longer than " + MAX_LINE_CHARS + " characters");
      }
      sb.append((char) c);
      c = read();
    }
    return sb.toString();
  }

  /** One RFC 4180 record: null fields for empty unquoted ones, formula guards removed. */
  private List<String> nextCsv() throws IOException {
    int c = read();
    while (c == '\r' || c == '\n') {
      c = read();
    }
    if (c < 0) {
      return null;
    }
    line++;
    List<String> fields = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    int total = 0;
    while (true) {
      boolean quoted = false;
      sb.setLength(0);
      if (c == '"') {
        quoted = true;
        while (true) {
          c = read();
          if (c < 0) {
            throw malformed("unterminated quoted field");
          }
          if (c == '"') {
            c = read();
            if (c != '"') {
              break;
            }
          }
          if (++total > MAX_LINE_CHARS) {
            throw malformed("longer than " + MAX_LINE_CHARS + " characters");
          }
          sb.append((char) c);
        }
      } else {
        while (c >= 0 && c != ',' && c != '\r' && c != '\n') {
          if (++total > MAX_LINE_CHARS) {
            throw malformed("longer than " + MAX_LINE_CHARS + " characters");
          }
          sb.append((char) c);
          c = read();
        }
      }
      String value = sb.toString();
      if (quoted) {
        if (value.length() > 1
            && value.charAt(0) == '\''
            && "=+-@'\t\r".indexOf(value.charAt(1)) >= 0) {
          value = value.substring(1);
        }
        fields.add(value);
      } else {
        fields.add(value.isEmpty() ? null : value);
      }
      if (c == ',') {
        c = read();
        continue;
      }
      if (c == '\r') {
        c = read();
        if (c != '\n' && c >= 0) {
          pushedBack = c;
        }
      }
      return fields;
    }
  }
}
