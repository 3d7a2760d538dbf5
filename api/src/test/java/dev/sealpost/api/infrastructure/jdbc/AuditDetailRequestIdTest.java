package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.application.RequestCorrelation;
import dev.sealpost.api.domain.AuditEvent;
import org.junit.jupiter.api.Test;

/** Issue 16: an audit event caused by a request records its id in the (hashed) detail. */
class AuditDetailRequestIdTest {
  @Test
  void outsideARequest_theDetailIsUnchanged() {
    assertThat(JdbcAuditLog.detailWithRequestId(null)).isNull();
    assertThat(JdbcAuditLog.detailWithRequestId("custody: on")).isEqualTo("custody: on");
  }

  @Test
  void withinARequest_theIdIsAppended_andALongDetailIsCutSoItFits() {
    try (RequestCorrelation.Scope s = RequestCorrelation.open("req-42")) {
      assertThat(JdbcAuditLog.detailWithRequestId(null)).isEqualTo("requestId=req-42");
      assertThat(JdbcAuditLog.detailWithRequestId("custody: on"))
          .isEqualTo("custody: on; requestId=req-42");
      String cut = JdbcAuditLog.detailWithRequestId("x".repeat(AuditEvent.MAX_DETAIL));
      assertThat(cut).hasSize(AuditEvent.MAX_DETAIL).endsWith("x; requestId=req-42");
    }
  }
}
