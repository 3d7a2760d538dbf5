package dev.sealpost.audit;

import static dev.sealpost.audit.AuditBundles.A;
import static dev.sealpost.audit.AuditBundles.at;
import static dev.sealpost.audit.AuditBundles.bundle;
import static dev.sealpost.audit.AuditBundles.checkpoints;
import static dev.sealpost.audit.AuditBundles.events;
import static dev.sealpost.audit.AuditBundles.seq;
import static dev.sealpost.audit.AuditBundles.swapWithNext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evidence bundles checked offline: an intact one verifies; every kind of tampering the brief names
 * (an edited, dropped or reordered event, a bundle assembled from two tenants, a forged or missing
 * checkpoint) fails at the first broken link.
 */
class AuditEvidenceTest {
  static AuditBundles bundles;

  @BeforeAll
  static void keys() throws Exception {
    bundles = new AuditBundles();
  }

  static AuditEvidenceVerification verify(Map<String, Object> bundle) {
    return AuditEvidence.verify(
        JSONObjectUtils.toJSONString(bundle), TrustedKeys.of(List.of(bundles.keyA.toPublicJWK())));
  }

  static AuditEvidenceVerification tampered(Consumer<Map<String, Object>> edit) {
    return verify(bundles.tampered(edit));
  }

  @Test
  void intactBundle_verifiesWithThePublishedKeys_andSaysWhatWasChecked() {
    AuditEvidenceVerification v = verify(bundles.valid());
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
        AuditEvidence.verify(JSONObjectUtils.toJSONString(bundles.valid()), null);
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
    AuditEvidenceVerification v = tampered(b -> events(b).removeIf(e -> seq(e) <= 6));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(12);
    assertThat(v.reason()).contains("counts 3 earlier events", "holds 1");
  }

  @Test
  void droppedEvidenceEvent_fails() {
    AuditEvidenceVerification v = tampered(b -> events(b).removeIf(e -> seq(e) >= 9));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(5);
    assertThat(v.reason()).contains("not the AUDIT_EXPORTED event");
  }

  @Test
  void reorderedEvents_fail() {
    AuditEvidenceVerification v = tampered(b -> swapWithNext(b, 5));
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
    Map<String, Object> mixed = bundles.withTenantBsCheckpoints();
    AuditEvidenceVerification v =
        AuditEvidence.verify(
            JSONObjectUtils.toJSONString(mixed),
            TrustedKeys.of(List.of(bundles.keyA.toPublicJWK(), bundles.keyB.toPublicJWK())));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(6);
    assertThat(v.reason()).contains("checkpoint at seq 6", "not tenant " + A);

    // Tenant B's events under A's name: the tenant is part of every hash.
    v = verify(bundles.tenantBsEventsRelabelled());
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(2);
    assertThat(v.reason()).contains("edited");
  }

  @Test
  void checkpointFromAnotherKey_fails_evenWithItsOwnJwksInTheBundle() {
    Map<String, Object> forged = bundle(A, bundles.forger);
    assertThat(AuditEvidence.verify(JSONObjectUtils.toJSONString(forged), null).ok()).isTrue();
    AuditEvidenceVerification v = verify(forged);
    assertThat(v.ok()).isFalse();
    assertThat(v.reason()).contains("signature does not verify");
  }

  @Test
  void missingCheckpoint_leavesAPathUnsigned_andFails() {
    AuditEvidenceVerification v = tampered(b -> checkpoints(b).remove(1));
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
    Map<String, Object> far = bundles.valid();
    at(far, 5).put("time", "+999999999-12-31T23:59:59Z"); // beyond epoch milliseconds
    assertThatThrownBy(() -> verify(far))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("bad time");
    Map<String, Object> b = bundles.valid();
    at(b, 5).remove("hash");
    assertThatThrownBy(() -> verify(b))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("hash is missing");
  }
}
