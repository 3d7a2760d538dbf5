package dev.sealpost.audit;

import static dev.sealpost.audit.AuditChainTest.TENANT;
import static dev.sealpost.audit.AuditChainTest.chain;
import static dev.sealpost.audit.AuditChainTest.checkpoint;
import static dev.sealpost.audit.AuditChainTest.export;
import static dev.sealpost.audit.AuditChainTest.trust;
import static dev.sealpost.audit.AuditChainTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional {@code detail} of an audit event: hashed when present, invisible when absent. */
class AuditDetailTest {
  private static final Instant T = Instant.parse("2026-11-29T18:00:00.123Z");

  @BeforeAll
  static void keys() throws Exception {
    AuditChainTest.keys();
  }

  /** Hashes computed by AuditChain before details existed (sdk-java at 7f920f9). */
  @Test
  void eventWithoutDetail_hashesExactlyAsBefore() {
    AuditRecord a =
        new AuditRecord(
            TENANT,
            7,
            "TENANT_UPDATED",
            T,
            "api-key:k1",
            null,
            null,
            "198.51.100.7",
            "Mozilla/5.0",
            AuditChain.GENESIS,
            null);
    AuditRecord b =
        new AuditRecord(
            TENANT,
            1,
            "ENVELOPE_CREATED",
            T,
            "api-key:k1",
            "env-1",
            "rcp-1",
            "198.51.100.1",
            "Mozilla/5.0",
            AuditChain.GENESIS,
            null);
    assertThat(AuditChain.hash(a))
        .isEqualTo("bc307bcff4112823aa8ad3bc779fc718d97eb7aa25f13a8d45464093e4b1cf9b");
    assertThat(AuditChain.hash(a.withDetail(null))).isEqualTo(AuditChain.hash(a));
    assertThat(AuditChain.hash(b))
        .isEqualTo("d7fc73d05497ee20f3bda1ecdde8d4687aac95a04b10db8993df35199371372b");
  }

  @Test
  void detail_isPartOfTheHash() {
    AuditRecord r = chain(1).get(0);
    String plain = AuditChain.hash(r);
    String on = AuditChain.hash(r.withDetail("custody: on"));
    assertThat(on).isNotEqualTo(plain);
    assertThat(AuditChain.hash(r.withDetail("custody: off"))).isNotEqualTo(on);
    assertThat(AuditChain.hash(r.withDetail(""))).isNotEqualTo(plain);
  }

  @Test
  void editedOrRemovedDetail_failsVerifyAtItsSeq() {
    List<AuditRecord> events = withDetailAt3(chain(5));
    assertThat(verify(events, List.of()).ok()).isTrue();
    for (String forged : new String[] {"custody: off", null}) {
      List<AuditRecord> edited = new ArrayList<>(events);
      edited.set(2, events.get(2).withDetail(forged));
      AuditVerification v = verify(edited, List.of());
      assertThat(v.ok()).as(String.valueOf(forged)).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(3);
    }
  }

  @Test
  void export_carriesDetail_andEditingItFails() throws Exception {
    List<AuditRecord> events = withDetailAt3(chain(5));
    List<AuditCheckpoint> cps = List.of(checkpoint(events.get(4)));
    for (boolean csv : new boolean[] {false, true}) {
      String text = export(events, cps, csv);
      assertThat(text).contains("custody: on");
      assertThat(AuditExportReader.verify(new StringReader(text), trust, List.of()).ok())
          .as("csv " + csv)
          .isTrue();
      String edited = text.replace("custody: on", "custody: of");
      AuditVerification v = AuditExportReader.verify(new StringReader(edited), trust, List.of());
      assertThat(v.ok()).as("csv " + csv).isFalse();
      assertThat(v.firstBadSeq()).isEqualTo(3);
    }
  }

  @Test
  void ndjsonEventWithoutDetail_hasNoDetailMember() throws Exception {
    List<AuditRecord> events = withDetailAt3(chain(4));
    String text = export(events, List.of(checkpoint(events.get(3))), false);
    assertThat(text.lines().filter(l -> l.contains("\"detail\""))).hasSize(1);
    assertThat(text).contains("\"userAgent\":\"Mozilla/5.0\",\"detail\":\"custody: on\",");
  }

  /** A CSV written before the {@code detail} column existed still verifies. */
  @Test
  void csvWithoutDetailColumn_stillVerifies() throws Exception {
    List<AuditRecord> events = chain(6);
    String text = export(events, List.of(checkpoint(events.get(5))), true);
    String v1 =
        text.replace(AuditExportWriter.CSV_COLUMNS, AuditExportWriter.CSV_COLUMNS_V1)
            .replace(",\r\n", "\r\n");
    assertThat(v1).startsWith(AuditExportWriter.CSV_COLUMNS_V1 + "\r\n");
    AuditVerification v = AuditExportReader.verify(new StringReader(v1), trust, List.of());
    assertThat(v.ok()).as(v.toString()).isTrue();
    assertThat(v.events()).isEqualTo(6);
  }

  /** Event 3 gets a detail; the chain is re-sealed from there so it links up. */
  private static List<AuditRecord> withDetailAt3(List<AuditRecord> in) {
    List<AuditRecord> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (AuditRecord r : in) {
      AuditRecord relinked =
          new AuditRecord(
                  r.tenant(),
                  r.seq(),
                  r.type(),
                  r.time(),
                  r.actor(),
                  r.envelopeId(),
                  r.recipientId(),
                  r.ip(),
                  r.userAgent(),
                  prev,
                  null)
              .withDetail(r.seq() == 3 ? "custody: on" : null)
              .sealed();
      out.add(relinked);
      prev = relinked.hash();
    }
    return out;
  }
}
