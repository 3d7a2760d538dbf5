package dev.sealpost.api.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.ClearTextGuard.Finding;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClearTextGuardTest {
  private final ClearTextGuard guard = ClearTextGuard.asOf(2026);

  private Optional<Finding> scan(String text) {
    return guard.scan(text);
  }

  // ---- SSN

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SSN 123-45-6789",
        "123-45-6789",
        "your number 123 45 6789 is on file",
        "123456789",
        "Re: 219-09-9999 claim",
        "ssn:123456789",
        "Policy 123456789 for SSN holder"
      })
  void ssn_withOrWithoutSeparators_isRefused(String text) {
    assertThat(scan(text)).contains(Finding.SSN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "000-12-3456", // area 000
        "666-12-3456", // area 666
        "900-12-3456", // area 9xx
        "999-12-3456",
        "123-00-4567", // group 00
        "123-45-0000", // serial 0000
        "123-456789", // inconsistent separators
        "12-345-6789"
      })
  void invalidSsnShapes_pass(String text) {
    assertThat(scan(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Your policy 123456789 documents",
        "Policy no. 123456789",
        "Claim #123456789 update",
        "Invoice 123456789",
        "Order number: 123456789",
        "POL123456789",
        "ref A-123456789-B",
        "call 555-123-4567",
        "Tracking 1Z999AA10123456784"
      })
  void labelledIdentifiersAndPhoneNumbers_pass(String text) {
    assertThat(scan(text)).isEmpty();
  }

  // Issue 12, finding 6: the same number written with dots, full-width digits, other dashes or
  // invisible characters is still an SSN.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "078.05.1120",
        "Re: 078.05.1120",
        "\uff10\uff17\uff18-\uff10\uff15-\uff11\uff11\uff12\uff10", // full-width digits
        "\uff10\uff17\uff18\uff0d\uff10\uff15\uff0d\uff11\uff11\uff12\uff10", // and dashes
        "\uff10\uff17\uff18\uff10\uff15\uff11\uff11\uff12\uff10", // nine full-width digits
        "078\u201305\u20131120", // en dash
        "078\u221205\u22121120", // minus sign
        "078\u00a005\u00a01120", // no-break space
        "078\u300005\u30001120", // ideographic space
        "078\u200b05\u200b1120", // zero-width space: reads as 078051120
        "078\u00ad-05-1120", // soft hyphen
        "078 - 05 - 1120",
        "078-05 1120", // mixed separators, both groups separated
        "078.05-1120",
        "\u0660\u0667\u0668-\u0660\u0665-\u0661\u0661\u0662\u0660" // Arabic-Indic digits
      })
  void ssn_writtenToDodgeThePattern_isRefused(String text) {
    assertThat(scan(text)).contains(Finding.SSN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111.1111.1111.1111",
        "\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11"
            + " \uff11\uff11\uff11\uff11",
        "4111\u20131111\u20131111\u20131111"
      })
  void cardNumber_writtenToDodgeThePattern_isRefused(String text) {
    assertThat(scan(text)).contains(Finding.PAYMENT_CARD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "routing \uff10\uff12\uff11\uff10\uff10\uff10\uff10\uff12\uff11 account 123456789012",
        "ABA 011000015, acct 12.34.56.78"
      })
  void bankAccount_writtenToDodgeThePattern_isRefused(String text) {
    assertThat(scan(text)).contains(Finding.BANK_ACCOUNT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DOB \uff10\uff14/\uff11\uff12/\uff11\uff19\uff17\uff15",
        "born 12\uff0e04\uff0e1975",
        "born 1975\u201304\u201312"
      })
  void dateOfBirth_writtenToDodgeThePattern_isRefused(String text) {
    assertThat(scan(text)).contains(Finding.DATE_OF_BIRTH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "123.456789", // separator in one gap only
        "12.345.6789",
        "Version 123.45.0000", // serial 0000
        "call 555.123.4567",
        "IP 192.168.100.200",
        "Total 1.234.567,89"
      })
  void dottedNumbersThatAreNotSsns_pass(String text) {
    assertThat(scan(text)).isEmpty();
  }

  @Test
  void validSsnRules() {
    assertThat(ClearTextGuard.validSsn("001", "01", "0001")).isTrue();
    assertThat(ClearTextGuard.validSsn("899", "99", "9999")).isTrue();
    assertThat(ClearTextGuard.validSsn("000", "01", "0001")).isFalse();
    assertThat(ClearTextGuard.validSsn("666", "01", "0001")).isFalse();
    assertThat(ClearTextGuard.validSsn("900", "01", "0001")).isFalse();
    assertThat(ClearTextGuard.validSsn("123", "00", "0001")).isFalse();
    assertThat(ClearTextGuard.validSsn("123", "01", "0000")).isFalse();
  }

  // ---- payment cards

  @ParameterizedTest
  @ValueSource(
      strings = {
        "card 4111111111111111",
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "Amex 378282246310005",
        "MC 5555555555554444 exp 12/27",
        "Discover 6011111111111117",
        "Diners 30569309025904",
        "2223003122003222",
        "visa 4222222222222" // 13 digits
      })
  void luhnValidCardNumbers_areRefused(String text) {
    assertThat(scan(text)).contains(Finding.PAYMENT_CARD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4111111111111112", // Luhn fails
        "4111 1111 1111 1112",
        "Reference 1234567812345670", // Luhn passes but no card issuer prefix (1)
        "policy 9000000000000000008",
        "0000000000000000",
        "Order 411111111111" // 12 digits only
      })
  void numbersThatAreNotCards_pass(String text) {
    assertThat(scan(text)).isEmpty();
  }

  @Test
  void luhn() {
    assertThat(ClearTextGuard.luhn("79927398713")).isTrue();
    assertThat(ClearTextGuard.luhn("79927398710")).isFalse();
  }

  // ---- bank routing + account

  @ParameterizedTest
  @ValueSource(
      strings = {
        "routing 021000021 account 123456789012",
        "ABA 011000015, acct 0001234567",
        "021000021 / 987654321",
        "Please wire to 121000358 acct no 4400 1234 55",
        "bank: 026009593 account number 12345678"
      })
  void routingNumberNextToAccountNumber_isRefused(String text) {
    assertThat(scan(text)).contains(Finding.BANK_ACCOUNT);
  }

  @Test
  void abaChecksum() {
    assertThat(ClearTextGuard.abaRouting("021000021")).isTrue();
    assertThat(ClearTextGuard.abaRouting("011000015")).isTrue();
    assertThat(ClearTextGuard.abaRouting("121000358")).isTrue();
    assertThat(ClearTextGuard.abaRouting("021000022")).isFalse();
    assertThat(ClearTextGuard.abaRouting("000000000")).isFalse();
    assertThat(ClearTextGuard.abaRouting("991000021")).isFalse(); // prefix 99 unused
  }

  @Test
  void routingNumberAlone_isNotABankAccount() {
    assertThat(scan("routing 021000021")).isNotEqualTo(Optional.of(Finding.BANK_ACCOUNT));
  }

  // ---- dates of birth

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DOB 04/12/1975",
        "dob: 1975-04-12",
        "born 12.04.1975",
        "Date of birth: March 5, 1980",
        "birthday 5 March 1980",
        "born on Mar 5 2001",
        "D.O.B. 4/12/75",
        "birth date 2010-01-02",
        "Statement for John, 04/12/1975", // an adult's birth year, no context needed
        "12 Jan 1961"
      })
  void datesOfBirth_areRefused(String text) {
    assertThat(scan(text)).contains(Finding.DATE_OF_BIRTH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Your policy documents",
        "Policy renews on 01/15/2027",
        "Card expires 12/27",
        "Expiry date 2028-03-31",
        "Claim filed 2025-11-02",
        "Statement for November 2026",
        "Effective 3/1/2024",
        "Version 1.2.2020",
        "Meeting on 5 March 2026",
        "Q3 2025 premium notice",
        "Born to run: our 2026 brochure" // context word but no date
      })
  void ordinaryBusinessText_passes(String text) {
    assertThat(scan(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DOB 02/30/1975", "born 13/13/1980", "born 1975-02-30"})
  void impossibleDates_areNotDates(String text) {
    assertThat(scan(text)).isEmpty();
  }

  @Test
  void futureDateWithBirthContext_passes() {
    assertThat(scan("birthday party on 2027-06-01")).isEmpty();
  }

  // ---- check()

  @Test
  void check_namesTheFieldAndNeverTheValue() {
    assertThatThrownBy(() -> guard.check("subject", "SSN 123-45-6789"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("subject: ")
        .hasMessageContaining("social security number")
        .hasMessageNotContaining("6789")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("subject");
  }

  @Test
  void check_acceptsNullAndEmpty() {
    guard.check("subject", null);
    guard.check("subject", "");
    guard.check("subject", "Your policy documents for 2026");
  }
}
