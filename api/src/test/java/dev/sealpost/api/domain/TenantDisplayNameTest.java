package dev.sealpost.api.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantDisplayNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Acme Insurance",
        "Müller & Söhne GmbH",
        "Société Générale — Assurances",
        "東京海上",
        "شركة التأمين", // right-to-left script itself is fine
        "Tenant t-1234abcd"
      })
  void ordinaryNames_pass(String name) {
    assertThatCode(() -> TenantDisplayName.check("displayName", name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Acme\u202Ecod.exe", // right-to-left override
        "Acme \u2066Bank\u2069", // isolates
        "\u200EAcme", // left-to-right mark
        "Acme\u200F",
        "Ac\u200Bme", // zero-width space
        "Acme\u00AD", // soft hyphen
        "Acme\r\nBcc: victim@example.com",
        "Acme\u0000",
        "Acme\u0085Bank", // next line (C1 control)
        "Acme\u2028Bank" // line separator
      })
  void hiddenCharacters_areRefusedNamingTheField(String name) {
    assertThatThrownBy(() -> TenantDisplayName.check("displayName", name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("displayName: ")
        .hasMessageContaining("U+");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Acme SSN 078-05-1120", "Acme 078.05.1120", "Card 4111 1111 1111 1111"})
  void personalData_isRefusedNamingTheField(String name) {
    assertThatThrownBy(() -> TenantDisplayName.check("displayName", name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("displayName: ")
        .hasMessageNotContaining("1120")
        .hasMessageNotContaining("1111");
  }

  @Test
  void null_passes() {
    assertThatCode(() -> TenantDisplayName.check("displayName", null)).doesNotThrowAnyException();
  }
}
