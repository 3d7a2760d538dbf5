package dev.sealpost.api.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttachmentNameTest {
  @Test
  void plainNames_pass_includingDotsAndNonLatinLetters() {
    for (String ok :
        new String[] {"policy.pdf", ".profile", "a..b.txt", "Übersicht 2026.xlsx", "報告.pdf"}) {
      assertThatCode(() -> AttachmentName.check("attachments[0].name", ok))
          .as(ok)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void paths_dotNames_andHiddenCharacters_areRefusedNamingTheField() {
    for (String bad :
        new String[] {
          "../../etc/passwd",
          "..\\win.ini",
          "a/b",
          ".",
          "..",
          "invoice\u202efdp.exe",
          "a\u0000b",
          "a\u2066b",
          "a\u2028b",
          "zero\u200bwidth"
        }) {
      assertThatThrownBy(() -> AttachmentName.check("attachments[0].name", bad))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("attachments[0].name");
    }
  }
}
