package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.OpenLinkException;
import dev.sealpost.api.application.OpenLinkException.Reason;
import dev.sealpost.api.domain.RetryLaterException;
import dev.sealpost.api.domain.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
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
  void retryLater_isA503Or429_withItsSlugAndRetryAfter() {
    Object[][] table = {
      {RetryLaterException.Reason.PARTNER_KEYS_UNAVAILABLE, 503, "partner-keys-unavailable"},
      {RetryLaterException.Reason.TENANT_OVER_BUDGET, 429, "rate-limited"},
      {RetryLaterException.Reason.SERVER_BUSY, 503, "busy"},
    };
    assertThat(table.length).isEqualTo(RetryLaterException.Reason.values().length);
    for (Object[] row : table) {
      ProblemException p =
          ProblemMapper.translate(
              new RetryLaterException((RetryLaterException.Reason) row[0], "try later", 7));
      assertThat(p.status()).isEqualTo(row[1]);
      assertThat(String.valueOf(p.problem())).contains((String) row[2]);
      assertThat(p.headers()).containsEntry("Retry-After", "7");
    }
  }

  /** Found by FaultIT: these were 500 internal-error. */
  @Test
  void aBrokenDatabaseConnectionOrAFailingBlobStore_isARetryable503_withoutInternals() {
    Object[][] table = {
      {
        new RuntimeException(
            "transaction failed",
            new SQLException("An I/O error occurred while sending to the backend.", "08006")),
        "database-unavailable"
      },
      {
        new RuntimeException(
            "transaction failed",
            new SQLException("terminating connection due to administrator command", "57P01")),
        "database-unavailable"
      },
      {
        new StorageUnavailableException(
            "blob write failed", new java.io.IOException("No space left on device")),
        "storage-unavailable"
      },
    };
    for (Object[] row : table) {
      ProblemException p = ProblemMapper.translate((Throwable) row[0]);
      assertThat(p.status()).isEqualTo(503);
      assertThat(p.headers()).containsEntry("Retry-After", "5");
      assertThat(String.valueOf(p.problem()))
          .contains((String) row[1])
          .doesNotContain("I/O error", "administrator", "No space", "SQL");
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

  @Test
  void everyOpenLinkReason_hasItsStatusSlugAndTitle() {
    Object[][] table = {
      {Reason.NOT_FOUND, 404, "not-found", "Not found"},
      {Reason.WRONG_CODE, 401, "wrong-code", "Wrong code"},
      {Reason.WRONG_SECRET, 401, "wrong-secret", "Wrong answer"},
      {Reason.LOCKED, 423, "locked", "Locked"},
      {Reason.EXPIRED, 410, "expired", "Expired"},
      {Reason.REVOKED, 410, "revoked", "Revoked"},
      {Reason.OPEN_LIMIT, 410, "open-limit", "Opened too often"},
      {Reason.GONE, 410, "gone", "Gone"},
      {Reason.RATE_LIMITED, 429, "rate-limited", "Too many requests"},
      {Reason.SESSION_ENDED, 401, "session-ended", "Session ended"},
      {Reason.METHOD_NOT_ALLOWED, 403, "method-not-allowed", "Not allowed"},
      {Reason.ANSWER_REQUIRED, 400, "answer-required", "Bad request"},
      {Reason.MAIL_UNAVAILABLE, 503, "mail-unavailable", "Mail unavailable"},
    };
    assertThat(table.length).isEqualTo(Reason.values().length);
    for (Object[] row : table) {
      ProblemException p =
          ProblemMapper.translate(new OpenLinkException((Reason) row[0], "detail " + row[2]));
      assertThat(p.status()).as("%s", row[0]).isEqualTo(row[1]);
      assertThat(p.problem())
          .as("%s", row[0])
          .isEqualTo(
              new Problem(
                  Problem.TYPE_PREFIX + row[2],
                  (String) row[3],
                  (int) row[1],
                  "detail " + row[2],
                  null,
                  null));
      if (row[0] != Reason.SESSION_ENDED) {
        assertThat(p.headers()).as("%s", row[0]).isEmpty();
      }
    }
  }

  @Test
  void aWrongAnswer_saysHowManyAttemptsAreLeft() {
    ProblemException p =
        ProblemMapper.translate(
            new OpenLinkException(Reason.WRONG_CODE, "the code is wrong", 3, null));
    assertThat(p.status()).isEqualTo(401);
    assertThat(p.problem().remainingAttempts()).isEqualTo(3);
    ProblemException locked =
        ProblemMapper.translate(new OpenLinkException(Reason.LOCKED, "ask the sender", 0, null));
    assertThat(locked.status()).isEqualTo(423);
    assertThat(locked.problem().remainingAttempts()).isZero();
  }

  @Test
  void aRateLimitedCodeRequest_saysWhenToRetry() {
    ProblemException p =
        ProblemMapper.translate(
            new OpenLinkException(Reason.RATE_LIMITED, "too many codes", null, 42L));
    assertThat(p.status()).isEqualTo(429);
    assertThat(p.headers()).containsExactlyEntriesOf(Map.of("Retry-After", "42"));
  }

  @Test
  void anEndedSession_asksForABearerToken() {
    ProblemException p =
        ProblemMapper.translate(new OpenLinkException(Reason.SESSION_ENDED, "sign in again"));
    assertThat(p.status()).isEqualTo(401);
    assertThat(p.headers()).containsExactlyEntriesOf(Map.of("WWW-Authenticate", "Bearer"));
  }
}
