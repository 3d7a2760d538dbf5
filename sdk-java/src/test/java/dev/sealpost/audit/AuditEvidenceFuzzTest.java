package dev.sealpost.audit;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the evidence bundle verifier ({@code sealpost audit evidence
 * verify} reads files a third party was handed). Contract: any input gives an {@link
 * AuditEvidenceVerification} or a {@link MalformedEnvelopeException}; nothing else escapes (a
 * broken signature or chain is a failed verification, not an exception). Corpus: {@code
 * src/test/resources/dev/sealpost/audit/AuditEvidenceFuzzTestInputs/}, bundles signed by the fixed
 * key of {@link AuditExportFuzzTest}; {@link #main} rewrites them.
 */
public class AuditEvidenceFuzzTest {
  private static final TrustedKeys TRUSTED = AuditExportFuzzTest.trusted();

  @FuzzTest
  void verifyEvidence(byte[] data) {
    String json = new String(data, StandardCharsets.UTF_8);
    try {
      AuditEvidence.verify(json, TRUSTED);
      AuditEvidence.verify(json, null); // the bundle's own jwks
    } catch (MalformedEnvelopeException expected) {
      // a typed refusal is the contract
    }
  }

  /** Rewrites the seed corpus (argument: the test resource directory). */
  public static void main(String[] args) throws Exception {
    Path seeds = Path.of(args[0]).resolve("AuditEvidenceFuzzTestInputs/verifyEvidence");
    Files.createDirectories(seeds);
    Map<String, Object> intact =
        AuditBundles.bundle(AuditExportFuzzTest.TENANT, AuditExportFuzzTest.signerKey());
    Files.writeString(seeds.resolve("intact.json"), JSONObjectUtils.toJSONString(intact));
    Map<String, Object> unsigned =
        AuditBundles.bundle(AuditExportFuzzTest.TENANT, AuditExportFuzzTest.signerKey());
    unsigned.put("checkpoints", List.of());
    Files.writeString(seeds.resolve("unsigned.json"), JSONObjectUtils.toJSONString(unsigned));
  }
}
