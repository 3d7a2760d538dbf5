package dev.sealpost.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evidence bundles checked offline: an intact one verifies; every kind of tampering the brief names
 * (an edited, dropped or reordered event, a bundle assembled from two tenants, a forged or missing
 * checkpoint) fails at the first broken link.
 */
class AuditEvidenceTest {
  static final String A = "7d6c5b4a-0000-4000-8000-00000000000a";
  static final String B = "7d6c5b4a-0000-4000-8000-00000000000b";
  static final String ENVELOPE = "6f1c0d3e-8a51-4d6e-9a56-2b7f1c3e9d10";
  static ECKey keyA;
  static ECKey keyB;

  @BeforeAll
  static void keys() throws Exception {
    keyA = new ECKeyGenerator(Curve.P_256).keyID(A + ".1").algorithm(JWSAlgorithm.ES256).generate();
    keyB = new ECKeyGenerator(Curve.P_256).keyID(B + ".1").algorithm(JWSAlgorithm.ES256).generate();
  }

  /**
   * Tenant {@code t}'s chain of 12 events: seq 2, 5 and 9 name the envelope and seq 12 is the
   * AUDIT_EXPORTED event that recorded the bundle; checkpoints at 6 and 12. The bundle holds the
   * paths 2..6 and 9..12.
   */
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
                  "agent/" + seq,
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
    b.put("envelope", new LinkedHashMap<>(Map.of("id", ENVELOPE, "status", "active")));
    b.put("events", events);
    b.put("checkpoints", checkpoints);
    b.put("jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())));
    return b;
  }

  static Map<String, Object> event(AuditRecord r) {
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

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> events(Map<String, Object> bundle) {
    return (List<Map<String, Object>>) bundle.get("events");
  }

  static Map<String, Object> at(Map<String, Object> bundle, long seq) {
    return events(bundle).stream()
        .filter(e -> ((Number) e.get("seq")).longValue() == seq)
        .findFirst()
        .orElseThrow();
  }

  static AuditEvidenceVerification verify(Map<String, Object> bundle) {
    return AuditEvidence.verify(
        JSONObjectUtils.toJSONString(bundle), TrustedKeys.of(List.of(keyA.toPublicJWK())));
  }

  static AuditEvidenceVerification tampered(Consumer<Map<String, Object>> edit) {
    Map<String, Object> b = bundle(A, keyA);
    edit.accept(b);
    return verify(b);
  }

  @Test
  void intactBundle_verifiesWithThePublishedKeys_andSaysWhatWasChecked() {
    AuditEvidenceVerification v = verify(bundle(A, keyA));
    assertThat(v.ok()).as(v.toString()).isTrue();
    assertThat(v.envelopeEvents()).isEqualTo(4);
    assertThat(v.pathEvents()).isEqualTo(5); // 3, 4, 6 and 10, 11
    assertThat(v.checkpointSeqs()).containsExactly(6L, 12L);
    assertThat(v.evidenceSeq()).isEqualTo(12);
    assertThat(v.keySource()).isEqualTo("the given keys");
  }

  @Test
  void withoutKeys_theBundlesOwnJwksIsUsed_andSaidToBeNotIndependent() {
    AuditEvidenceVerification v =
        AuditEvidence.verify(JSONObjectUtils.toJSONString(bundle(A, keyA)), null);
    assertThat(v.ok()).as(v.toString()).isTrue();
    assertThat(v.keySource()).contains("bundle's own jwks", "not independent");
  }

  @Test
  void editedEnvelopeEvent_failsAtItsSeq() {
    AuditEvidenceVerification v = tampered(b -> at(b, 5).put("ip", "203.0.113.9"));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.firstBadType()).isEqualTo("ENVELOPE_OPENED");
    assertThat(v.reason()).contains("edited");
  }

  @Test
  void editedPathEvent_failsAtItsSeq() {
    AuditEvidenceVerification v = tampered(b -> at(b, 10).put("actor", "system"));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(10);
  }

  @Test
  void editedHashesRecomputed_failAtTheSignedCheckpoint() {
    // Seq 11 edited and its hash recomputed: it chains, but the checkpoint at 12 says otherwise.
    AuditEvidenceVerification v =
        tampered(
            b -> {
              Map<String, Object> e = at(b, 11);
              e.put("ip", "203.0.113.9");
              AuditRecord r =
                  new AuditRecord(
                          A,
                          11,
                          (String) e.get("type"),
                          Instant.parse((String) e.get("time")),
                          (String) e.get("actor"),
                          (String) e.get("envelopeId"),
                          null,
                          "203.0.113.9",
                          (String) e.get("userAgent"),
                          (String) e.get("prevHash"),
                          null)
                      .sealed();
              e.put("hash", r.hash());
            });
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(12);
    assertThat(v.reason()).contains("prevHash");
  }

  @Test
  void droppedEventInsideAPath_fails() {
    AuditEvidenceVerification v = tampered(b -> events(b).remove(at(b, 5)));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(2);
    assertThat(v.reason()).contains("does not end at a signed checkpoint");
  }

  @Test
  void droppedEnvelopeEventAtThePathStart_fails() {
    AuditEvidenceVerification v = tampered(b -> events(b).remove(at(b, 9)));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(10);
    assertThat(v.reason()).contains("does not start at an event of the envelope");
  }

  @Test
  void droppedWholePath_failsOnTheCountOfTheEvidenceEvent() {
    AuditEvidenceVerification v =
        tampered(b -> events(b).removeIf(e -> ((Number) e.get("seq")).longValue() <= 6));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(12);
    assertThat(v.reason()).contains("counts 3 earlier events", "holds 1");
  }

  @Test
  void droppedEvidenceEvent_fails() {
    AuditEvidenceVerification v =
        tampered(b -> events(b).removeIf(e -> ((Number) e.get("seq")).longValue() >= 9));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.reason()).contains("not the AUDIT_EXPORTED event");
  }

  @Test
  void reorderedEvents_fail() {
    AuditEvidenceVerification v =
        tampered(
            b -> {
              List<Map<String, Object>> list = events(b);
              Map<String, Object> five = at(b, 5);
              int i = list.indexOf(five);
              list.set(i, list.get(i + 1));
              list.set(i + 1, five);
            });
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.reason()).contains("out of order");
  }

  @Test
  void swappedSeqNumbers_failAsEdited() {
    AuditEvidenceVerification v =
        tampered(
            b -> {
              at(b, 4).put("seq", 99L);
              at(b, 5).put("seq", 4L);
              at(b, 99).put("seq", 5L);
              List<Map<String, Object>> list = events(b);
              list.sort((x, y) -> Long.compare((Long) x.get("seq"), (Long) y.get("seq")));
            });
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(4);
  }

  @Test
  void bundleAssembledFromTwoTenants_fails() {
    // Tenant B's checkpoints in A's bundle: not A's key.
    Map<String, Object> mixed = bundle(A, keyA);
    mixed.put("checkpoints", bundle(B, keyB).get("checkpoints"));
    AuditEvidenceVerification v =
        AuditEvidence.verify(
            JSONObjectUtils.toJSONString(mixed),
            TrustedKeys.of(List.of(keyA.toPublicJWK(), keyB.toPublicJWK())));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(6);
    assertThat(v.reason()).contains("checkpoint at seq 6", "not tenant " + A);

    // Tenant B's events under A's name: the tenant is part of every hash.
    Map<String, Object> relabelled = bundle(B, keyB);
    relabelled.put("tenant", A);
    relabelled.put("checkpoints", bundle(A, keyA).get("checkpoints"));
    v = verify(relabelled);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(2);
    assertThat(v.reason()).contains("edited");
  }

  @Test
  void checkpointFromAnotherKey_fails_evenWithItsOwnJwksInTheBundle() throws Exception {
    ECKey impostor =
        new ECKeyGenerator(Curve.P_256).keyID(A + ".1").algorithm(JWSAlgorithm.ES256).generate();
    Map<String, Object> forged = bundle(A, impostor);
    assertThat(AuditEvidence.verify(JSONObjectUtils.toJSONString(forged), null).ok()).isTrue();
    AuditEvidenceVerification v = verify(forged);
    assertThat(v.ok()).isFalse();
    assertThat(v.reason()).contains("signature does not verify");
  }

  @Test
  void missingCheckpoint_leavesAPathUnsigned_andFails() {
    AuditEvidenceVerification v =
        tampered(
            b -> {
              @SuppressWarnings("unchecked")
              List<Map<String, Object>> cps = (List<Map<String, Object>>) b.get("checkpoints");
              cps.remove(1);
            });
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(9);
    assertThat(v.reason()).contains("none at seq 12");
  }

  @Test
  void notABundle_isMalformed() {
    assertThatThrownBy(() -> AuditEvidence.verify("{\"format\":\"x\"}", null))
        .isInstanceOf(MalformedEnvelopeException.class);
    assertThatThrownBy(() -> AuditEvidence.verify("[1,2]", null))
        .isInstanceOf(MalformedEnvelopeException.class);
    Map<String, Object> far = bundle(A, keyA);
    at(far, 5).put("time", "+999999999-12-31T23:59:59Z"); // beyond epoch milliseconds
    assertThatThrownBy(() -> verify(far))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("bad time");
    Map<String, Object> b = bundle(A, keyA);
    at(b, 5).remove("hash");
    assertThatThrownBy(() -> verify(b))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("hash is missing");
  }
}
