package dev.sealpost.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.ManifestSigner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evidence bundles made as the server makes them ({@link AuditChain} hashes, {@link
 * AuditCheckpoint} signatures), intact and tampered: the one builder behind the SDK's verifier
 * tests (AuditEvidenceTest) and the viewer's in-browser verifier (AuditConsoleIT, through this
 * module's test-jar), so both verifiers are checked on the same bundles.
 *
 * <p>Tenant {@code t}'s chain of 12 events: seq 2, 5 and 9 name the envelope, seq 12 is the
 * AUDIT_EXPORTED event that recorded the bundle; checkpoints at 6 and 12; the bundle holds the
 * paths 2..6 and 9..12. Seq 5's user agent holds non-ASCII and an escaped U+2028, where JSON
 * handling differs between verifiers.
 */
public final class AuditBundles {
  public static final String A = "7d6c5b4a-0000-4000-8000-00000000000a";
  public static final String B = "7d6c5b4a-0000-4000-8000-00000000000b";
  public static final String ENVELOPE = "6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10";

  /** Tenant A's and tenant B's signing keys. */
  public final ECKey keyA;

  public final ECKey keyB;

  /** Same kid as A's real key, another key pair: a forged checkpoint. */
  public final ECKey forger;

  public AuditBundles() throws JOSEException {
    keyA = key(A);
    keyB = key(B);
    forger = key(A);
  }

  private static ECKey key(String tenant) throws JOSEException {
    return new ECKeyGenerator(Curve.P_256)
        .keyID(tenant + ".1")
        .algorithm(JWSAlgorithm.ES256)
        .generate();
  }

  /** The published JWKS (every tenant's public keys, as /.well-known/jwks.json has them). */
  public String publishedJwks() {
    return JSONObjectUtils.toJSONString(
        Map.of(
            "keys", List.of(keyA.toPublicJWK().toJSONObject(), keyB.toPublicJWK().toJSONObject())));
  }

  /** Tenant A's intact bundle. */
  public Map<String, Object> valid() {
    return bundle(A, keyA);
  }

  /** Tenant A's bundle, edited. */
  public Map<String, Object> tampered(Consumer<Map<String, Object>> edit) {
    Map<String, Object> b = valid();
    edit.accept(b);
    return b;
  }

  /** Tenant A's bundle with tenant B's checkpoints. */
  public Map<String, Object> withTenantBsCheckpoints() {
    return tampered(b -> b.put("checkpoints", bundle(B, keyB).get("checkpoints")));
  }

  /** Tenant B's events under A's name, with A's checkpoints. */
  public Map<String, Object> tenantBsEventsRelabelled() {
    Map<String, Object> relabelled = bundle(B, keyB);
    relabelled.put("tenant", A);
    relabelled.put("checkpoints", bundle(A, keyA).get("checkpoints"));
    return relabelled;
  }

  /** Swaps the event at {@code seq} with the one after it in the bundle's list. */
  public static void swapWithNext(Map<String, Object> bundle, long seq) {
    List<Map<String, Object>> list = events(bundle);
    Map<String, Object> e = at(bundle, seq);
    int i = list.indexOf(e);
    list.set(i, list.get(i + 1));
    list.set(i + 1, e);
  }

  public static String json(Map<String, Object> bundle) {
    return JSONObjectUtils.toJSONString(bundle);
  }

  public static long seq(Map<String, Object> event) {
    return ((Number) event.get("seq")).longValue();
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> events(Map<String, Object> bundle) {
    return (List<Map<String, Object>>) bundle.get("events");
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> checkpoints(Map<String, Object> bundle) {
    return (List<Map<String, Object>>) bundle.get("checkpoints");
  }

  /** The bundle's event at {@code seq}. */
  public static Map<String, Object> at(Map<String, Object> bundle, long seq) {
    return events(bundle).stream().filter(e -> seq(e) == seq).findFirst().orElseThrow();
  }

  /** Tenant {@code t}'s bundle, its checkpoints signed with {@code key}. */
  public static Map<String, Object> bundle(String t, ECKey key) {
    List<AuditRecord> chain = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    Instant time = Instant.parse("2026-11-29T18:00:00.120Z");
    for (int seq = 1; seq <= 12; seq++) {
      boolean named = Set.of(2, 5, 9, 12).contains(seq);
      AuditRecord r =
          new AuditRecord(
                  t,
                  seq,
                  seq == 12 ? "AUDIT_EXPORTED" : seq == 5 ? "ENVELOPE_OPENED" : "ENVELOPE_CREATED",
                  time.plusSeconds(seq),
                  seq == 5 ? "recipient:r1" : "api-key:k" + seq,
                  named ? ENVELOPE : "other-" + seq,
                  seq == 5 ? "r1" : null,
                  "198.51.100." + seq,
                  seq == 5 ? "Mozilla/5.0 (Linux; Android 14) é \\u2028" : "agent/" + seq,
                  prev,
                  null)
              .withDetail(seq == 12 ? AuditEvidence.detail(3) + "; requestId=req-1" : null)
              .sealed();
      chain.add(r);
      prev = r.hash();
    }
    List<Object> events = new ArrayList<>();
    for (AuditRecord r : chain) {
      if ((r.seq() >= 2 && r.seq() <= 6) || r.seq() >= 9) {
        events.add(event(r));
      }
    }
    List<Object> checkpoints = new ArrayList<>();
    for (int seq : List.of(6, 12)) {
      AuditRecord r = chain.get(seq - 1);
      AuditCheckpoint cp =
          AuditCheckpoint.sign(t, seq, r.hash(), time.plusSeconds(60), ManifestSigner.fromJwk(key));
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("seq", cp.seq());
      c.put("head", cp.head());
      c.put("time", cp.time().toString());
      c.put("jws", cp.jws());
      checkpoints.add(c);
    }
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("format", AuditEvidence.FORMAT);
    b.put("tenant", t);
    b.put("envelopeId", ENVELOPE);
    b.put("createdAt", time.plusSeconds(61).toString());
    b.put(
        "envelope",
        new LinkedHashMap<>(
            Map.of(
                "id",
                ENVELOPE,
                "status",
                "opened",
                "recipients",
                List.of(Map.of("id", "r1", "type", "consumer", "status", "opened")))));
    b.put("events", events);
    b.put("checkpoints", checkpoints);
    b.put("jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
    return b;
  }

  /** A record as the bundle lists it. */
  public static Map<String, Object> event(AuditRecord r) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("seq", r.seq());
    e.put("type", r.type());
    e.put("time", r.time().toString());
    e.put("envelopeId", r.envelopeId());
    e.put("recipientId", r.recipientId());
    e.put("actor", r.actor());
    e.put("ip", r.ip());
    e.put("userAgent", r.userAgent());
    if (r.detail() != null) {
      e.put("detail", r.detail());
    }
    e.put("prevHash", r.prevHash());
    e.put("hash", r.hash());
    return e;
  }
}
