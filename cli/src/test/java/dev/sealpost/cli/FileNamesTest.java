package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void pathTraversal_staysOneSegmentInsideTheDirectory() {
    assertThat(FileNames.sanitise("../../etc/passwd")).doesNotContain("/").doesNotStartWith(".");
    assertThat(FileNames.sanitise("..\\..\\win.ini")).doesNotContain("\\").doesNotStartWith(".");
    assertThat(FileNames.sanitise("/abs/path")).isEqualTo("_abs_path");
    assertThat(FileNames.sanitise("..")).isEqualTo("attachment");
    assertThat(FileNames.sanitise(".")).isEqualTo("attachment");
    assertThat(FileNames.sanitise("")).isEqualTo("attachment");
    assertThat(FileNames.sanitise(null)).isEqualTo("attachment");
  }

  @Test
  void controlAndBidiCharacters_areReplaced() {
    assertThat(FileNames.sanitise("a\nb\r\u0000c\u007f.txt")).isEqualTo("a_b__c_.txt");
    // U+202E would display "invoice‮fdp.exe" as "invoiceexe.pdf".
    assertThat(FileNames.sanitise("invoice\u202Efdp.exe")).isEqualTo("invoice_fdp.exe");
    assertThat(FileNames.sanitise("zero\u200Bwidth")).isEqualTo("zero_width");
  }

  @Test
  void nonAsciiNames_areKeptInNfc() {
    assertThat(FileNames.sanitise("Reçu d'été.pdf")).isEqualTo("Reçu d'été.pdf");
    assertThat(FileNames.sanitise("Rec\u0327u.pdf")).isEqualTo("Re\u00e7u.pdf");
    assertThat(FileNames.sanitise("保険証券.pdf")).isEqualTo("保険証券.pdf");
  }

  @Test
  void windowsDevicesAndTrailingDots_areDefused() {
    assertThat(FileNames.sanitise("CON")).isEqualTo("_CON");
    assertThat(FileNames.sanitise("nul.txt")).isEqualTo("_nul.txt");
    assertThat(FileNames.sanitise("report.pdf. . ")).isEqualTo("report.pdf");
    assertThat(FileNames.sanitise("a:b*c?d\"e<f>g|h")).isEqualTo("a_b_c_d_e_f_g_h");
  }

  @Test
  void longNames_areCutKeepingTheExtension() {
    String name = "é".repeat(300) + ".pdf";
    String safe = FileNames.sanitise(name);
    assertThat(safe).endsWith(".pdf");
    assertThat(safe.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(FileNames.MAX_BYTES);
  }

  @Test
  void collisions_getNumberedNamesIgnoringCase() {
    FileNames names = new FileNames();
    names.reserve("message.txt");
    assertThat(names.allocate("message.txt")).isEqualTo("message (2).txt");
    assertThat(names.allocate("Report.pdf")).isEqualTo("Report.pdf");
    assertThat(names.allocate("report.PDF")).isEqualTo("report (2).PDF");
    assertThat(names.allocate("a/report.pdf")).isEqualTo("a_report.pdf");
    assertThat(names.allocate("report.pdf")).isEqualTo("report (3).pdf");
    assertThat(names.allocate(".bashrc")).isEqualTo("bashrc");
    assertThat(names.allocate("bashrc")).isEqualTo("bashrc (2)");
  }
}
