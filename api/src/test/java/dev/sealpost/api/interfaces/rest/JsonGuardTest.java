package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON guard's UTF-8 and duplicate-name checks (HostileInputIT walks them over HTTP). */
class JsonGuardTest {
  private static void ok(String json) {
    assertThatCode(() -> JsonLimitsInterceptor.check(json.getBytes(StandardCharsets.UTF_8)))
        .doesNotThrowAnyException();
  }

  private static String refusal(byte[] json) {
    try {
      JsonLimitsInterceptor.check(json);
    } catch (ProblemException e) {
      assertThat(e.status()).isEqualTo(400);
      return e.getMessage();
    }
    throw new AssertionError("not refused: " + new String(json, StandardCharsets.ISO_8859_1));
  }

  private static String refusal(String json) {
    return refusal(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validBodies_pass() {
    ok("{\"a\":1,\"b\":{\"a\":2},\"c\":[{\"a\":1},{\"a\":2}],\"d\":\"é 😀 \\\"a\\\":\"}");
    ok("[{\"role\":\"x\"},{\"role\":\"y\"}]");
    ok("{\"a\":\"role\",\"role\":\"a\"}");
  }

  @Test
  void duplicateNames_areRefused_evenWhenEscaped() {
    assertThat(refusal("{\"role\":\"AUDITOR\",\"role\":\"ADMIN\"}"))
        .contains("\"role\" appears twice");
    assertThat(refusal("{\"role\":\"AUDITOR\",\"r\\u006fle\":\"ADMIN\"}"))
        .contains("appears twice");
    assertThat(refusal("{\"x\":{\"a\":1,\"a\":2}}")).contains("\"a\" appears twice");
    assertThat(refusal("{\"" + "n".repeat(2000) + "\":1}")).contains("at most");
  }

  @Test
  void invalidUtf8_isRefused() {
    assertThat(refusal(new byte[] {'"', (byte) 0xff, '"'})).contains("UTF-8");
    assertThat(refusal(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'})).contains("UTF-8");
    assertThat(refusal(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}))
        .contains("UTF-8");
    assertThat(refusal(new byte[] {'"', (byte) 0xe2, (byte) 0x82})).contains("UTF-8");
  }
}
