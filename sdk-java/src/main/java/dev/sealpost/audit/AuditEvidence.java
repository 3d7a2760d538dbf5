package dev.sealpost.audit;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.SealpostException;
import java.text.ParseException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An envelope's evidence bundle ({@code GET /v1/audit/evidence/{envelopeId}}, format {@value
 * #FORMAT}, docs/AUDIT.md "Evidence bundle") and its offline check. The bundle holds every audit
 * event that names the envelope, each followed by the tenant's later events up to the first signed
 * checkpoint at or after it (its hash path), those checkpoints and the tenant's public JWKS. The
 * last event naming the envelope is the {@code AUDIT_EXPORTED} event that recorded the bundle; its
 * detail ({@link #detail}) counts the envelope's earlier events, so a dropped one shows.
 *
 * <p>The check reuses the chain's own rules: {@link AuditCheckpoint#verify} for every checkpoint,
 * an {@link AuditVerifier#segment} per hash path (each hash recomputed with {@link AuditChain}),
 * and then that every path ends at a signed checkpoint and the count matches.
 *
 * <pre>{@code
 * AuditEvidenceVerification v =
 *     AuditEvidence.verify(bundleJson, TrustedKeys.fromJwksJson(publishedJwks));
 * if (!v.ok()) System.err.println(v);
 * }</pre>
 */
public final class AuditEvidence {
  public static final String FORMAT = "sealpost-audit-evidence-v1";

  /** The start of the detail of the AUDIT_EXPORTED event that records a bundle. */
  public static final String DETAIL_PREFIX = "evidence bundle; earlier events: ";

  private static final Pattern DETAIL =
      Pattern.compile("^" + Pattern.quote(DETAIL_PREFIX) + "([0-9]{1,9})(?:;.*)?$");

  private AuditEvidence() {}

  /** The detail that records a bundle whose envelope has {@code earlierEvents} events before it. */
  public static String detail(long earlierEvents) {
    return DETAIL_PREFIX + earlierEvents;
  }

  /**
   * Checks a bundle offline.
   *
   * @param trusted the tenant's published keys; null to use the bundle's own {@code jwks} (which
   *     shows the bundle is consistent, not who signed it)
   * @throws MalformedEnvelopeException if the text is not an evidence bundle at all
   */
  public static AuditEvidenceVerification verify(String json, TrustedKeys trusted) {
    Map<String, Object> bundle;
    try {
      bundle = JSONObjectUtils.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new MalformedEnvelopeException("not an evidence bundle: not a JSON object");
    }
    if (!FORMAT.equals(bundle.get("format"))) {
      throw new MalformedEnvelopeException("not an evidence bundle: format is not " + FORMAT);
    }
    String tenant = text(bundle, "tenant", true);
    String envelopeId = text(bundle, "envelopeId", true);
    TrustedKeys keys = trusted;
    String keySource = "the given keys";
    if (keys == null) {
      Map<String, Object> jwks = object(bundle, "jwks");
      try {
        keys = TrustedKeys.fromJwksJson(JSONObjectUtils.toJSONString(jwks));
      } catch (RuntimeException e) {
        throw new MalformedEnvelopeException("not an evidence bundle: jwks is not a JWK set");
      }
      keySource = "the bundle's own jwks (consistent, but not independent of it)";
    }
    return new Check(tenant, envelopeId, keySource)
        .run(bundle, keys, list(bundle, "events"), list(bundle, "checkpoints"));
  }

  /** One check; collects what it saw so a failure can still say how far it got. */
  private static final class Check {
    private final String tenant;
    private final String envelopeId;
    private final String keySource;
    private final TreeMap<Long, AuditCheckpoint> checkpoints = new TreeMap<>();
    private final List<Long> reached = new ArrayList<>();
    private long envelopeEvents;
    private long pathEvents;
    private long evidenceSeq;

    Check(String tenant, String envelopeId, String keySource) {
      this.tenant = tenant;
      this.envelopeId = envelopeId;
      this.keySource = keySource;
    }

    AuditEvidenceVerification run(
        Map<String, Object> bundle,
        TrustedKeys keys,
        List<Map<String, Object>> eventItems,
        List<Map<String, Object>> checkpointItems) {
      Object envelope = bundle.get("envelope");
      if (envelope instanceof Map && !envelopeId.equals(((Map<?, ?>) envelope).get("id"))) {
        return fail(0, null, "the envelope metadata names another envelope");
      }
      for (Map<String, Object> item : checkpointItems) {
        long seq = number(item, "seq");
        AuditCheckpoint cp;
        try {
          cp = AuditCheckpoint.verify(text(item, "jws", true), keys, tenant);
        } catch (MalformedEnvelopeException e) {
          throw e;
        } catch (SealpostException e) {
          return fail(seq, null, "the checkpoint at seq " + seq + ": " + e.getMessage());
        }
        if (cp.seq() != seq || !cp.head().equals(item.get("head"))) {
          return fail(seq, null, "the checkpoint at seq " + seq + " differs from its own JWS");
        }
        AuditCheckpoint other = checkpoints.putIfAbsent(seq, cp);
        if (other != null && !AuditChain.sameHash(other.head(), cp.head())) {
          return fail(seq, null, "two signed checkpoints disagree about the hash at seq " + seq);
        }
      }
      List<AuditRecord> events = new ArrayList<>();
      for (Map<String, Object> item : eventItems) {
        AuditRecord r = record(tenant, item);
        if (!events.isEmpty() && r.seq() <= events.get(events.size() - 1).seq()) {
          return fail(
              r.seq(),
              r.type(),
              "events out of order or duplicated (seq "
                  + r.seq()
                  + " after seq "
                  + events.get(events.size() - 1).seq()
                  + ")");
        }
        events.add(r);
      }
      int start = 0;
      while (start < events.size()) {
        int end = start + 1;
        while (end < events.size() && events.get(end).seq() == events.get(end - 1).seq() + 1) {
          end++;
        }
        AuditEvidenceVerification broken = path(events.subList(start, end));
        if (broken != null) {
          return broken;
        }
        start = end;
      }
      return complete(events);
    }

    /** One hash path: consecutive events from one naming the envelope to a signed checkpoint. */
    private AuditEvidenceVerification path(List<AuditRecord> run) {
      AuditRecord first = run.get(0);
      AuditRecord last = run.get(run.size() - 1);
      if (!names(first)) {
        return fail(
            first.seq(),
            first.type(),
            "the hash path from seq "
                + first.seq()
                + " does not start at an event of the envelope (one dropped?)");
      }
      AuditVerifier verifier = AuditVerifier.segment(tenant);
      checkpoints
          .subMap(first.seq(), true, last.seq(), true)
          .values()
          .forEach(verifier::checkpoint);
      for (AuditRecord r : run) {
        if (!verifier.accept(r)) {
          break;
        }
        if (names(r)) {
          envelopeEvents++;
        } else {
          pathEvents++;
        }
      }
      AuditVerification v = verifier.finish(null, null);
      if (!v.ok()) {
        return fail(v.firstBadSeq(), typeAt(run, v.firstBadSeq()), v.reason());
      }
      if (!checkpoints.containsKey(last.seq())) {
        return fail(
            first.seq(),
            first.type(),
            "the hash path seq "
                + first.seq()
                + ".."
                + last.seq()
                + " does not end at a signed checkpoint (none at seq "
                + last.seq()
                + ")");
      }
      reached.add(last.seq());
      return null;
    }

    /** The last event naming the envelope records the bundle and counts the ones before it. */
    private AuditEvidenceVerification complete(List<AuditRecord> events) {
      List<AuditRecord> named =
          events.stream().filter(this::names).collect(java.util.stream.Collectors.toList());
      if (named.isEmpty()) {
        return fail(0, null, "the bundle holds no event of the envelope");
      }
      AuditRecord last = named.get(named.size() - 1);
      Matcher m = last.detail() == null ? null : DETAIL.matcher(last.detail());
      if (!"AUDIT_EXPORTED".equals(last.type()) || m == null || !m.matches()) {
        return fail(
            last.seq(),
            last.type(),
            "the envelope's last event is not the AUDIT_EXPORTED event that records the bundle"
                + " (events dropped from the end?)");
      }
      evidenceSeq = last.seq();
      long counted = Long.parseLong(m.group(1));
      if (counted != named.size() - 1) {
        return fail(
            last.seq(),
            last.type(),
            "the evidence event counts "
                + counted
                + " earlier events of the envelope but the bundle holds "
                + (named.size() - 1)
                + " (events dropped or added)");
      }
      return result(true, 0, null, null);
    }

    private boolean names(AuditRecord r) {
      return envelopeId.equals(r.envelopeId());
    }

    private static String typeAt(List<AuditRecord> run, long seq) {
      return run.stream()
          .filter(r -> r.seq() == seq)
          .map(AuditRecord::type)
          .findFirst()
          .orElse(null);
    }

    private AuditEvidenceVerification fail(long seq, String type, String why) {
      return result(false, seq, type, why);
    }

    private AuditEvidenceVerification result(boolean ok, long seq, String type, String why) {
      return new AuditEvidenceVerification(
          ok,
          tenant,
          envelopeId,
          envelopeEvents,
          pathEvents,
          reached,
          keySource,
          evidenceSeq,
          seq,
          type,
          why);
    }
  }

  private static AuditRecord record(String tenant, Map<String, Object> item) {
    try {
      return new AuditRecord(
              tenant,
              number(item, "seq"),
              text(item, "type", true),
              AuditRecord.parseTime(text(item, "time", true)),
              text(item, "actor", true),
              text(item, "envelopeId", false),
              text(item, "recipientId", false),
              text(item, "ip", false),
              text(item, "userAgent", false),
              text(item, "prevHash", true),
              text(item, "hash", true))
          .withDetail(text(item, "detail", false));
    } catch (DateTimeException e) {
      throw new MalformedEnvelopeException("not an evidence bundle: an event has a bad time");
    }
  }

  private static String text(Map<String, Object> m, String field, boolean required) {
    Object v = m.get(field);
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof String) || (required && ((String) v).isEmpty())) {
      throw new MalformedEnvelopeException(
          "not an evidence bundle: " + field + (v == null ? " is missing" : " is not a string"));
    }
    return (String) v;
  }

  private static long number(Map<String, Object> m, String field) {
    Object v = m.get(field);
    if (!(v instanceof Number) || ((Number) v).doubleValue() != ((Number) v).longValue()) {
      throw new MalformedEnvelopeException("not an evidence bundle: " + field + " is not a number");
    }
    return ((Number) v).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> m, String field) {
    Object o = m.get(field);
    if (!(o instanceof Map)) {
      throw new MalformedEnvelopeException("not an evidence bundle: " + field + " is missing");
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String field) {
    Object value = m.get(field);
    if (!(value instanceof List)) {
      throw new MalformedEnvelopeException("not an evidence bundle: " + field + " is missing");
    }
    List<?> l = (List<?>) value;
    for (Object o : l) {
      if (!(o instanceof Map)) {
        throw new MalformedEnvelopeException(
            "not an evidence bundle: " + field + " holds a non-object");
      }
    }
    return (List<Map<String, Object>>) (List<?>) l;
  }
}
