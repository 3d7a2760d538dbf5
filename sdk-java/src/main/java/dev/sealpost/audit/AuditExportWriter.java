package dev.sealpost.audit;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

/**
 * Writes an audit export, one item at a time (constant memory): a header, then the events in {@code
 * seq} order with the signed checkpoints among them (each checkpoint no later than right after the
 * event it covers; a pruned chain's anchor before the first event), then the head. Two formats with
 * the same content:
 *
 * <ul>
 *   <li>{@code ndjson}: one JSON object per line, {@code "kind"} is {@code header}, {@code
 *       checkpoint}, {@code event} or {@code head}; absent fields are {@code null}, except an
 *       event's optional {@code detail}, which is left out when absent (so such a line reads as
 *       before details existed).
 *   <li>{@code csv} (RFC 4180, for spreadsheets): columns {@value #CSV_COLUMNS}; an absent field is
 *       empty and unquoted, a present one is quoted; a value starting with {@code = + - @ ' TAB CR}
 *       gets a leading {@code '} so a spreadsheet never runs it as a formula ({@link
 *       AuditExportReader} removes it again before hashing).
 * </ul>
 *
 * {@link AuditExportReader} reads both back and verifies them offline.
 */
public final class AuditExportWriter {
  public static final String FORMAT = "sealpost-audit-export";
  public static final String CSV_COLUMNS =
      "kind,tenant,seq,type,time,envelopeId,recipientId,actor,ip,userAgent,prevHash,hash,jws,detail";

  /** The columns before {@code detail} existed; {@link AuditExportReader} still reads them. */
  static final String CSV_COLUMNS_V1 =
      "kind,tenant,seq,type,time,envelopeId,recipientId,actor,ip,userAgent,prevHash,hash,jws";

  private final Writer out;
  private final boolean csv;

  private AuditExportWriter(Writer out, boolean csv) {
    this.out = out;
    this.csv = csv;
  }

  public static AuditExportWriter ndjson(Writer out) {
    return new AuditExportWriter(out, false);
  }

  public static AuditExportWriter csv(Writer out) {
    return new AuditExportWriter(out, true);
  }

  public void header(String tenant, Instant exportedAt) throws IOException {
    if (csv) {
      out.write(CSV_COLUMNS);
      out.write("\r\n");
      row(
          "header",
          tenant,
          null,
          null,
          exportedAt.toString(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
      return;
    }
    out.write("{\"kind\":\"header\",\"format\":\"" + FORMAT + "\",\"version\":1,\"tenant\":");
    json(tenant);
    out.write(",\"exportedAt\":");
    json(exportedAt.toString());
    out.write("}\n");
  }

  public void checkpoint(AuditCheckpoint cp) throws IOException {
    if (csv) {
      row(
          "checkpoint",
          cp.tenant(),
          Long.toString(cp.seq()),
          null,
          cp.time().toString(),
          null,
          null,
          null,
          null,
          null,
          null,
          cp.head(),
          cp.jws(),
          null);
      return;
    }
    out.write("{\"kind\":\"checkpoint\",\"seq\":" + cp.seq() + ",\"head\":");
    json(cp.head());
    out.write(",\"time\":");
    json(cp.time().toString());
    out.write(",\"jws\":");
    json(cp.jws());
    out.write("}\n");
  }

  public void event(AuditRecord r) throws IOException {
    if (csv) {
      row(
          "event",
          r.tenant(),
          Long.toString(r.seq()),
          r.type(),
          r.time().toString(),
          r.envelopeId(),
          r.recipientId(),
          r.actor(),
          r.ip(),
          r.userAgent(),
          r.prevHash(),
          r.hash(),
          null,
          r.detail());
      return;
    }
    out.write("{\"kind\":\"event\",\"seq\":" + r.seq() + ",\"type\":");
    json(r.type());
    out.write(",\"time\":");
    json(r.time().toString());
    out.write(",\"envelopeId\":");
    json(r.envelopeId());
    out.write(",\"recipientId\":");
    json(r.recipientId());
    out.write(",\"actor\":");
    json(r.actor());
    out.write(",\"ip\":");
    json(r.ip());
    out.write(",\"userAgent\":");
    json(r.userAgent());
    if (r.detail() != null) {
      out.write(",\"detail\":");
      json(r.detail());
    }
    out.write(",\"prevHash\":");
    json(r.prevHash());
    out.write(",\"hash\":");
    json(r.hash());
    out.write("}\n");
  }

  /** The chain head the export covers (the last event's seq and hash). */
  public void head(String tenant, long seq, String hash) throws IOException {
    if (csv) {
      row(
          "head",
          tenant,
          Long.toString(seq),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          hash,
          null,
          null);
      return;
    }
    out.write("{\"kind\":\"head\",\"seq\":" + seq + ",\"hash\":");
    json(hash);
    out.write("}\n");
  }

  public void flush() throws IOException {
    out.flush();
  }

  private void row(String... fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      String f = fields[i];
      if (f == null) {
        continue;
      }
      if (!f.isEmpty() && "=+-@'\t\r".indexOf(f.charAt(0)) >= 0) {
        f = "'" + f;
      }
      out.write('"');
      out.write(f.replace("\"", "\"\""));
      out.write('"');
    }
    out.write("\r\n");
  }

  private void json(String s) throws IOException {
    if (s == null) {
      out.write("null");
      return;
    }
    out.write('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.write("\\\"");
          break;
        case '\\':
          out.write("\\\\");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == 0x7f) {
            out.write(String.format("\\u%04x", (int) c));
          } else {
            out.write(c);
          }
      }
    }
    out.write('"');
  }
}
