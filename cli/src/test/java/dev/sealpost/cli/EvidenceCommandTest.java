package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sealpost audit evidence} without a server: what is not a bundle is told apart from a
 * broken one (exit 5, not 2) and from a missing file; the intact and tampered bundles of a real
 * server are checked in AuditIT.
 */
class EvidenceCommandTest {
  @TempDir Path dir;

  @Test
  void notABundle_isMalformed_exit5() throws Exception {
    Path file = dir.resolve("export.json");
    Files.writeString(file, "{\"format\":\"sealpost-audit-export\"}");
    CliRunner.Result r = CliRunner.run("audit", "evidence", "verify", file.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.MALFORMED);
    assertThat(r.err()).contains("not an evidence bundle");
  }

  @Test
  void missingFile_isAnIoError_andNoCommandIsAUsageError() {
    CliRunner.Result r =
        CliRunner.run("audit", "evidence", "verify", dir.resolve("nope.json").toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.IO);
    CliRunner.Result none = CliRunner.run("audit", "evidence");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("get or verify");
  }

  @Test
  void get_refusesAnIdThatIsNotAnEnvelopeId_beforeAnyRequest() {
    CliRunner.Result r =
        CliRunner.run(
            "audit",
            "evidence",
            "get",
            "../../etc",
            "--server",
            "http://127.0.0.1:9",
            "--api-key",
            "sp_x");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("ENVELOPE_ID");
  }
}
