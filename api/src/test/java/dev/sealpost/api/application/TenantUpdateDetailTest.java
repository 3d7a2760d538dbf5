package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.TenantSettings;
import dev.sealpost.api.domain.VerificationMethod;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantUpdateDetailTest {
  private final TenantSettings before = TenantSettings.defaults("Acme Insurance");

  @Test
  void nothingChanged_isEmpty() {
    assertThat(TenantUpdateDetail.describe(before, before)).isEmpty();
  }

  @Test
  void everyChangedField_namedWithItsNewValue() {
    TenantSettings after =
        new TenantSettings(
            "Acme \"Re\"",
            Set.of(VerificationMethod.EMAIL_OTP, VerificationMethod.NONE),
            Duration.ofDays(7),
            Duration.ofMinutes(90 * 24 * 60),
            true);
    assertThat(TenantUpdateDetail.describe(before, after))
        .isEqualTo(
            "displayName: \"Acme \\\"Re\\\"\"; allowedVerificationMethods: +NONE -SHARED_SECRET;"
                + " defaultExpiry: P7D; maxExpiry: P90D; custody: on");
  }
}
