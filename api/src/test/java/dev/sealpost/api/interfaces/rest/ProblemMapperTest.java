package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

  @Test
  void anExhaustedPoolOrALockTimeout_isARetryable503_withoutInternals() {
    for (Throwable cause :
        new Throwable[] {
          new SQLTransientConnectionException(
              "sealpost - Connection is not available, request timed out after 10000ms."),
          new SQLTimeoutException("Timeout trying to lock table \"RECIPIENTS\"; SQL statement: ...")
        }) {
      ProblemException p =
          ProblemMapper.translate(new RuntimeException("transaction failed", cause));
      assertThat(p.status()).isEqualTo(503);
      assertThat(p.headers()).containsEntry("Retry-After", "1");
      assertThat(String.valueOf(p.problem()))
          .contains("busy")
          .doesNotContain("RECIPIENTS", "SQL", "Connection is not available");
    }
  }

  @Test
  void anyOtherDatabaseFailure_staysA500WithAnIncidentId() {
    ProblemException p =
        ProblemMapper.translate(
            new RuntimeException("statement failed", new SQLException("syntax error at SELEC")));
    assertThat(p.status()).isEqualTo(500);
    assertThat(String.valueOf(p.problem())).contains("incident").doesNotContain("SELEC");
  }
}
