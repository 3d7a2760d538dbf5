package dev.sealpost.viewer;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.audit.AuditChain;
import dev.sealpost.audit.AuditCheckpoint;
import dev.sealpost.audit.AuditEvidence;
import dev.sealpost.audit.AuditRecord;
import dev.sealpost.envelope.ManifestSigner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evidence bundles made with sdk-java (its {@link AuditChain} hashes and {@link AuditCheckpoint}
 * signatures, as the server makes them), intact and tampered, for the console's verifier to check
 * against {@link AuditEvidence#verify} on the very same text.
 *
 * <p>Tenant A's chain of 12 events: seq 2, 5 and 9 name the envelope, seq 12 is the AUDIT_EXPORTED
 * event that recorded the bundle; checkpoints at 6 and 12; the bundle holds the paths 2..6 and
 * 9..12.
 */
final class AuditBundles {
  static final String A = "7d6c5b4a-0000-4000-8000-00000000000a";
  static final String B = "7d6c5b4a-0000-4000-8000-00000000000b";
  static final String ENVELOPE = "6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10";
  final ECKey keyA;
  final ECKey keyB;
  final ECKey forger;

  AuditBundles() throws Exception {
    keyA = new ECKeyGenerator(Curve.P_256).keyID(A + ".1").algorithm(JWSAlgorithm.ES256).generate();
    keyB = new ECKeyGenerator(Curve.P_256).keyID(B + ".1").algorithm(JWSAlgorithm.ES256).generate();
    // Same kid as A's real key, another key pair: a forged checkpoint.
    forger =
        new ECKeyGenerator(Curve.P_256).keyID(A + ".1").algorithm(JWSAlgorithm.ES256).generate();
  }

  /** The published JWKS (every tenant's public keys, as /.well-known/jwks.json has them). */
  String publishedJwks() {
    return JSONObjectUtils.toJSONString(
        Map.of(
            "keys", List.of(keyA.toPublicJWK().toJSONObject(), keyB.toPublicJWK().toJSONObject())));
  }

  /** Name -> bundle JSON: the intact one and every kind of tampering. */
  Map<String, String> all() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("valid", json(bundle(A, keyA)));
    out.put("edited", tampered(b -> at(b, 5).put("ip", "203.0.113.9")));
    out.put("editedPathEvent", tampered(b -> at(b, 10).put("actor", "system")));
    out.put(
        "editedDetail",
        tampered(b -> at(b, 12).put("detail", "evidence bundle; earlier events: 3")));
    out.put("dropped", tampered(b -> events(b).remove(at(b, 5))));
    out.put("droppedPathStart", tampered(b -> events(b).remove(at(b, 9))));
    out.put("droppedWholePath", tampered(b -> events(b).removeIf(e -> seq(e) <= 6)));
    out.put("droppedEvidenceEvent", tampered(b -> events(b).removeIf(e -> seq(e) >= 9)));
    out.put(
        "reordered",
        tampered(
            b -> {
              List<Map<String, Object>> list = events(b);
              Map<String, Object> five = at(b, 5);
              int i = list.indexOf(five);
              list.set(i, list.get(i + 1));
              list.set(i + 1, five);
            }));
    out.put(
        "twoTenantsCheckpoints",
        tampered(b -> b.put("checkpoints", bundle(B, keyB).get("checkpoints"))));
    Map<String, Object> relabelled = bundle(B, keyB);
    relabelled.put("tenant", A);
    relabelled.put("checkpoints", bundle(A, keyA).get("checkpoints"));
    out.put("twoTenantsEvents", json(relabelled));
    Map<String, Object> forged = bundle(A, forger);
    out.put("forgedCheckpoint", json(forged));
    out.put("unsigned", tampered(b -> ((List<?>) b.get("checkpoints")).remove(1)));
    out.put("otherEnvelopeMetadata", tampered(b -> b.put("envelope", Map.of("id", "x"))));
    out.put("notABundle", "{\"format\":\"something-else\"}");
    out.put("badTime", tampered(b -> at(b, 5).put("time", "yesterday")));
    return out;
  }

  /** The intact bundle as JSON. */
  String valid() {
    return json(bundle(A, keyA));
  }

  private String tampered(Consumer<Map<String, Object>> edit) {
    Map<String, Object> b = bundle(A, keyA);
    edit.accept(b);
    return json(b);
  }

  private static String json(Map<String, Object> b) {
    return JSONObjectUtils.toJSONString(b);
  }

  private static long seq(Map<String, Object> e) {
    return ((Number) e.get("seq")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(Map<String, Object> bundle) {
    return (List<Map<String, Object>>) bundle.get("events");
  }

  private static Map<String, Object> at(Map<String, Object> bundle, long seq) {
    return events(bundle).stream().filter(e -> seq(e) == seq).findFirst().orElseThrow();
  }

  static Map<String, Object> bundle(String t, ECKey key) {
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

  private static Map<String, Object> event(AuditRecord r) {
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
