package dev.sealpost.api.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedSecretHashTest {
  @Test
  void hash_verifiesOnlyTheSameSecret_andRecordsItsParameters() {
    String stored = SharedSecretHash.hash("blue-harbour-42", 1000);
    assertThat(stored).startsWith("pbkdf2-sha256$1000$").doesNotContain("blue-harbour-42");
    assertThat(SharedSecretHash.verify("blue-harbour-42", stored)).isTrue();
    assertThat(SharedSecretHash.verify("blue-harbour-43", stored)).isFalse();
    assertThat(SharedSecretHash.verify("", stored)).isFalse();
  }

  @Test
  void defaultCost_isAtLeast600kIterations_andSaltsDiffer() {
    assertThat(SharedSecretHash.ITERATIONS).isGreaterThanOrEqualTo(600_000);
    assertThat(SharedSecretHash.hash("x", 10)).isNotEqualTo(SharedSecretHash.hash("x", 10));
  }

  @Test
  void malformedStoredValues_neverVerify() {
    assertThat(SharedSecretHash.verify("x", null)).isFalse();
    assertThat(SharedSecretHash.verify("x", "plain")).isFalse();
    assertThat(SharedSecretHash.verify("x", "pbkdf2-sha256$0$AA$AA")).isFalse();
    assertThat(SharedSecretHash.verify("x", "pbkdf2-sha256$abc$AA$AA")).isFalse();
    assertThat(SharedSecretHash.verify("x", "md5$1$AA$AA")).isFalse();
  }
}
