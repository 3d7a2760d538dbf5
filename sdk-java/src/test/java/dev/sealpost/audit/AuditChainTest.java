package dev.sealpost.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  static final String TENANT = "7d6c5b4a-0000-4000-8000-000000000001";
  static ECKey key;
  static TrustedKeys trust;

  @BeforeAll
  static void keys() throws Exception {
    key =
        new ECKeyGenerator(Curve.P_256)
            .keyID(TENANT + ".1")
            .algorithm(JWSAlgorithm.ES256)
            .generate();
    trust = TrustedKeys.of(List.of(key.toPublicJWK()));
  }

  static List<AuditRecord> chain(int n) {
    List<AuditRecord> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    Instant t = Instant.parse("2026-11-29T18:00:00.123Z");
    for (int i = 1; i <= n; i++) {
      AuditRecord r =
          new AuditRecord(
                  TENANT,
                  i,
                  i % 2 == 0 ? "ENVELOPE_OPENED" : "ENVELOPE_CREATED",
                  t.plusSeconds(i),
                  "api-key:k" + i,
                  "env-" + i,
                  i % 3 == 0 ? null : "rcp-" + i,
                  "198.51.100." + i,
                  i == 4 ? "=cmd|' /C calc'!A0 \"quoted\", comma" : "Mozilla/5.0",
                  prev,
                  null)
              .sealed();
      out.add(r);
      prev = r.hash();
    }
    return out;
  }

  static AuditCheckpoint checkpoint(AuditRecord r) {
    return AuditCheckpoint.sign(
        TENANT, r.seq(), r.hash(), Instant.now(), ManifestSigner.fromJwk(key));
  }

  static AuditVerification verify(List<AuditRecord> events, List<AuditCheckpoint> cps) {
    AuditVerifier v = new AuditVerifier(TENANT, cps);
    events.forEach(v::accept);
    AuditRecord last = events.isEmpty() ? null : events.get(events.size() - 1);
    return v.finish(last == null ? 0L : last.seq(), last == null ? null : last.hash());
  }

  @Test
  void canonicalEncoding_isUnambiguous() {
    AuditRecord a =
        new AuditRecord(TENANT, 1, "T", Instant.EPOCH, "ab", "c", null, null, null, "0", null);
    AuditRecord b =
        new AuditRecord(TENANT, 1, "T", Instant.EPOCH, "a", "bc", null, null, null, "0", null);
    AuditRecord c =
        new AuditRecord(TENANT, 1, "T", Instant.EPOCH, "ab", "c", "", null, null, "0", null);
    assertThat(AuditChain.hash(a))
        .isNotEqualTo(AuditChain.hash(b))
        .isNotEqualTo(AuditChain.hash(c));
    assertThat(AuditChain.hash(a)).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void intactChain_verifies() {
    List<AuditRecord> events = chain(10);
    AuditVerification v =
        verify(events, List.of(checkpoint(events.get(4)), checkpoint(events.get(9))));
    assertThat(v.ok()).as(v.toString()).isTrue();
    assertThat(v.events()).isEqualTo(10);
    assertThat(v.checkpoint().seq()).isEqualTo(10);
  }

  @Test
  void editedEvent_isDetectedAtItsSeq() {
    List<AuditRecord> events = chain(10);
    AuditRecord r = events.get(5);
    events.set(
        5,
        new AuditRecord(
            TENANT,
            r.seq(),
            r.type(),
            r.time(),
            r.actor(),
            r.envelopeId(),
            r.recipientId(),
            "203.0.113.9",
            r.userAgent(),
            r.prevHash(),
            r.hash()));
    AuditVerification v = verify(events, List.of());
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(6);
    assertThat(v.reason()).contains("edited");
  }

  @Test
  void rewrittenChain_isDetectedByTheSignedCheckpoint() {
    List<AuditRecord> events = chain(10);
    AuditCheckpoint cp = checkpoint(events.get(9));
    // Someone edits seq 3 and recomputes every hash after it: self-consistent, but not signed.
    List<AuditRecord> forged = new ArrayList<>(events.subList(0, 2));
    String prev = forged.get(1).hash();
    for (AuditRecord r : events.subList(2, 10)) {
      AuditRecord f =
          new AuditRecord(
                  TENANT,
                  r.seq(),
                  r.type(),
                  r.time(),
                  r.seq() == 3 ? "system" : r.actor(),
                  r.envelopeId(),
                  r.recipientId(),
                  r.ip(),
                  r.userAgent(),
                  prev,
                  null)
              .sealed();
      forged.add(f);
      prev = f.hash();
    }
    assertThat(verify(forged, List.of()).ok()).isTrue();
    AuditVerification v = verify(forged, List.of(cp));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(10);
  }

  @Test
  void deletedEvent_isDetected() {
    List<AuditRecord> events = chain(10);
    events.remove(3);
    AuditVerification v = verify(events, List.of());
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(4);
    assertThat(v.reason()).contains("missing");
  }

  @Test
  void swappedEvents_areDetected() {
    List<AuditRecord> events = chain(10);
    AuditRecord a = events.get(3);
    AuditRecord b = events.get(4);
    // Swap their positions: each keeps its fields but takes the other's seq.
    events.set(3, renumber(b, 4));
    events.set(4, renumber(a, 5));
    AuditVerification v = verify(events, List.of());
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(4);
  }

  private static AuditRecord renumber(AuditRecord r, long seq) {
    return new AuditRecord(
        r.tenant(),
        seq,
        r.type(),
        r.time(),
        r.actor(),
        r.envelopeId(),
        r.recipientId(),
        r.ip(),
        r.userAgent(),
        r.prevHash(),
        r.hash());
  }

  @Test
  void truncatedTail_isDetectedAgainstTheHeadAndTheCheckpoint() {
    List<AuditRecord> events = chain(10);
    AuditCheckpoint cp = checkpoint(events.get(7));
    List<AuditRecord> cut = events.subList(0, 6);
    // The head row still says 10.
    AuditVerifier v1 = new AuditVerifier(TENANT, List.of(cp));
    cut.forEach(v1::accept);
    AuditVerification r1 = v1.finish(10L, events.get(9).hash());
    assertThat(r1.ok()).isFalse();
    assertThat(r1.firstBadSeq()).isEqualTo(7);
    // The head row rewound too: the checkpoint at 8 still catches it.
    AuditVerification r2 = verify(cut, List.of(cp));
    assertThat(r2.ok()).isFalse();
    assertThat(r2.firstBadSeq()).isEqualTo(7);
    assertThat(r2.reason()).contains("removed from the end");
  }

  @Test
  void prunedChain_verifiesFromItsSignedAnchor_andNotWithout() {
    List<AuditRecord> events = chain(10);
    AuditCheckpoint anchor = checkpoint(events.get(4));
    List<AuditRecord> kept = events.subList(5, 10);
    assertThat(verify(kept, List.of(anchor)).ok()).isTrue();
    AuditVerification v = verify(kept, List.of());
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(1);
  }

  @Test
  void checkpoint_roundTripsAndRejectsOtherTenantsAndForgeries() throws Exception {
    AuditRecord r = chain(1).get(0);
    AuditCheckpoint cp = checkpoint(r);
    AuditCheckpoint back = AuditCheckpoint.verify(cp.jws(), trust, TENANT);
    assertThat(back.seq()).isEqualTo(1);
    assertThat(back.head()).isEqualTo(r.hash());
    assertThatThrownBy(() -> AuditCheckpoint.verify(cp.jws(), trust, "other-tenant"))
        .isInstanceOf(UntrustedSignerException.class);
    ECKey other =
        new ECKeyGenerator(Curve.P_256)
            .keyID(TENANT + ".1")
            .algorithm(JWSAlgorithm.ES256)
            .generate();
    assertThatThrownBy(
            () ->
                AuditCheckpoint.verify(
                    cp.jws(), TrustedKeys.of(List.of(other.toPublicJWK())), TENANT))
        .isInstanceOf(IntegrityException.class);
  }

  static String export(List<AuditRecord> events, List<AuditCheckpoint> cps, boolean csv)
      throws Exception {
    StringWriter sw = new StringWriter();
    AuditExportWriter w = csv ? AuditExportWriter.csv(sw) : AuditExportWriter.ndjson(sw);
    w.header(TENANT, Instant.now());
    for (AuditRecord r : events) {
      w.event(r);
      for (AuditCheckpoint cp : cps) {
        if (cp.seq() == r.seq()) {
          w.checkpoint(cp); // right after the event it covers
        }
      }
    }
    AuditRecord last = events.get(events.size() - 1);
    w.head(TENANT, last.seq(), last.hash());
    return sw.toString();
  }

  @Test
  void export_ndjsonAndCsv_verifyOffline() throws Exception {
    List<AuditRecord> events = chain(12);
    List<AuditCheckpoint> cps = List.of(checkpoint(events.get(5)), checkpoint(events.get(11)));
    for (boolean csv : new boolean[] {false, true}) {
      String text = export(events, cps, csv);
      AuditVerification v = AuditExportReader.verify(new StringReader(text), trust, List.of());
      assertThat(v.ok()).as(csv + " " + v).isTrue();
      assertThat(v.events()).isEqualTo(12);
      assertThat(v.tenant()).isEqualTo(TENANT);
    }
    assertThat(export(events, cps, true)).contains("\"'=cmd|");
  }

  @Test
  void export_editedLine_orCutFile_fails() throws Exception {
    List<AuditRecord> events = chain(6);
    List<AuditCheckpoint> cps = List.of(checkpoint(events.get(5)));
    String text = export(events, cps, false);
    String edited = text.replace("198.51.100.3\"", "198.51.100.99\"");
    AuditVerification v = AuditExportReader.verify(new StringReader(edited), trust, List.of());
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBadSeq()).isEqualTo(3);
    String cut = text.substring(0, text.lastIndexOf("{\"kind\":\"head\""));
    assertThat(AuditExportReader.verify(new StringReader(cut), trust, List.of()).ok()).isFalse();
  }

  /** Found while writing the evidence verifier: a year past 292 million overflowed to a crash. */
  @Test
  void export_withATimeBeyondWhatTheChainEncodes_isMalformed_notACrash() throws Exception {
    List<AuditRecord> events = chain(3);
    String text = export(events, List.of(checkpoint(events.get(2))), false);
    String hostile = text.replace(events.get(1).time().toString(), "+999999999-12-31T23:59:59Z");
    assertThat(hostile).isNotEqualTo(text);
    assertThatThrownBy(() -> AuditExportReader.verify(new StringReader(hostile), trust, List.of()))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("bad time");
  }

  @Test
  void export_withoutCheckpointOverTheLastEvent_fails() throws Exception {
    List<AuditRecord> events = chain(6);
    String text = export(events, List.of(checkpoint(events.get(2))), false);
    AuditVerification v = AuditExportReader.verify(new StringReader(text), trust, List.of());
    assertThat(v.ok()).isFalse();
    assertThat(v.reason()).contains("not covered by a signed checkpoint");
  }
}
