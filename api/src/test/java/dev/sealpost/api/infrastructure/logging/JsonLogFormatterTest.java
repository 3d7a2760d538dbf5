package dev.sealpost.api.infrastructure.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.application.RequestCorrelation;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
  private final JsonLogFormatter formatter = new JsonLogFormatter();

  private static LogRecord record(String message) {
    LogRecord r = new LogRecord(Level.WARNING, message);
    r.setLoggerName("dev.sealpost.test");
    return r;
  }

  @Test
  void aLine_isOneJsonObject_evenWithQuotesControlCharactersAndLineBreaks() throws Exception {
    String nasty = "a \"quoted\" \\ back\nslash\r\t\u0000\u001b[31m\u2028end";
    String line = formatter.format(record(nasty));
    assertThat(line).endsWith("}\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r", "\u001b", "\u2028");
    Map<String, Object> json = JSONObjectUtils.parse(line);
    assertThat(json)
        .containsEntry("Level", "WARNING")
        .containsEntry("LoggerName", "dev.sealpost.test")
        .containsEntry("LogMessage", nasty)
        .containsKeys("Timestamp", "ThreadName")
        .doesNotContainKeys("RequestId", "TenantId", "Exception");
  }

  @Test
  void withinARequest_theLineCarriesItsIdAndTenant() throws Exception {
    try (RequestCorrelation.Scope s = RequestCorrelation.open("req-1")) {
      assertThat(JSONObjectUtils.parse(formatter.format(record("before auth"))))
          .containsEntry("RequestId", "req-1")
          .doesNotContainKey("TenantId");
      RequestCorrelation.tenant("t-1");
      assertThat(JSONObjectUtils.parse(formatter.format(record("after"))))
          .containsEntry("RequestId", "req-1")
          .containsEntry("TenantId", "t-1");
    }
    assertThat(JSONObjectUtils.parse(formatter.format(record("later"))))
        .doesNotContainKey("RequestId");
  }

  @Test
  void aThrowable_goesIntoException_andParametersAreFormatted() throws Exception {
    LogRecord r = record("failed {0}");
    r.setParameters(new Object[] {"here"});
    r.setThrown(new IllegalStateException("boom"));
    Map<String, Object> json = JSONObjectUtils.parse(formatter.format(r));
    assertThat(json).containsEntry("LogMessage", "failed here");
    assertThat((String) json.get("Exception")).startsWith("java.lang.IllegalStateException: boom");
  }

  @Test
  void requestIds_areWellFormedOnlyAsDefined_elseGenerated() {
    assertThat(RequestCorrelation.acceptOrGenerate("abc.DEF_1-2")).isEqualTo("abc.DEF_1-2");
    assertThat(RequestCorrelation.acceptOrGenerate("x".repeat(64))).hasSize(64);
    for (String bad : new String[] {null, "", "x".repeat(65), "a b", "a\"b", "a\nb", "é"}) {
      assertThat(RequestCorrelation.acceptOrGenerate(bad)).as("%s", bad).matches("[0-9a-f]{32}");
    }
  }
}
