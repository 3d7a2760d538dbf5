package dev.sealpost.audit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import dev.sealpost.exception.UntrustedSignerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the offline audit export reader ({@code sealpost audit
 * verify} reads files an auditor was handed). Contract: any input gives an {@link
 * AuditVerification} or one of {@link MalformedEnvelopeException}, {@link IntegrityException},
 * {@link UntrustedSignerException}; nothing else escapes, and one input stays under the per-input
 * timeout. Corpus: {@code src/test/resources/dev/sealpost/audit/AuditExportFuzzTestInputs/} (NDJSON
 * and CSV exports written by {@link AuditExportWriter}, signed by the fixed test key in {@code
 * audit-fuzz-signer.jwk.json}; {@link #main} rewrites them).
 */
public class AuditExportFuzzTest {
  static final String TENANT = "7d6c5b4a-0000-4000-8000-000000000001";
  private static final ECKey SIGNER = signer();
  private static final TrustedKeys TRUSTED = TrustedKeys.of(List.of(SIGNER.toPublicJWK()));

  @FuzzTest
  void verifyExport(byte[] data) throws IOException {
    try (InputStream bytes = new java.io.ByteArrayInputStream(data)) {
      AuditExportReader.verify(
          new InputStreamReader(bytes, StandardCharsets.UTF_8), TRUSTED, List.of());
    } catch (MalformedEnvelopeException | IntegrityException | UntrustedSignerException expected) {
      // a typed refusal is the contract
    }
  }

  /** The fixed test signer's public key, trusted by the audit fuzz targets. */
  static TrustedKeys trusted() {
    return TRUSTED;
  }

  /** The fixed test signer (seeds of other audit fuzz targets are signed with it too). */
  static ECKey signerKey() {
    return SIGNER;
  }

  private static ECKey signer() {
    try (InputStream in =
        AuditExportFuzzTest.class.getResourceAsStream("audit-fuzz-signer.jwk.json")) {
      if (in == null) { // only before main(dir, "--new-key") wrote it
        return new ECKeyGenerator(Curve.P_256)
            .keyID(TENANT + ".1")
            .algorithm(JWSAlgorithm.ES256)
            .generate();
      }
      return ECKey.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Rewrites the seed corpus (run from sdk-java with the test classpath; argument: the resource
   * directory). With {@code --new-key} it first writes a new signer key.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    if (args.length > 1 && "--new-key".equals(args[1])) {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyID(TENANT + ".1")
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      Files.writeString(dir.resolve("audit-fuzz-signer.jwk.json"), key.toJSONString());
      return;
    }
    Path seeds = dir.resolve("AuditExportFuzzTestInputs/verifyExport");
    Files.createDirectories(seeds);
    List<AuditRecord> events = chain(6);
    for (boolean csv : new boolean[] {false, true}) {
      String ext = csv ? "csv" : "ndjson";
      Files.writeString(seeds.resolve("intact." + ext), export(events, List.of(2, 6), csv));
      Files.writeString(seeds.resolve("no-checkpoint." + ext), export(events, List.of(), csv));
      String full = export(events, List.of(6), csv);
      Files.writeString(seeds.resolve("cut." + ext), full.substring(0, full.length() / 2));
    }
  }

  private static List<AuditRecord> chain(int n) {
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

  private static String export(List<AuditRecord> events, List<Integer> checkpointsAt, boolean csv)
      throws IOException {
    StringWriter sw = new StringWriter();
    AuditExportWriter w = csv ? AuditExportWriter.csv(sw) : AuditExportWriter.ndjson(sw);
    w.header(TENANT, Instant.parse("2026-11-30T00:00:00Z"));
    for (AuditRecord r : events) {
      w.event(r);
      if (checkpointsAt.contains((int) r.seq())) {
        w.checkpoint(
            AuditCheckpoint.sign(
                TENANT,
                r.seq(),
                r.hash(),
                Instant.parse("2026-11-30T00:00:00Z"),
                ManifestSigner.fromJwk(SIGNER)));
      }
    }
    AuditRecord last = events.get(events.size() - 1);
    w.head(TENANT, last.seq(), last.hash());
    w.flush();
    return sw.toString();
  }
}
