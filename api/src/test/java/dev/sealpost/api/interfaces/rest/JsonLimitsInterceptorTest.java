package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLimitsInterceptorTest {
  private static String drain(String json) throws IOException {
    InputStream in =
        new JsonLimitsInterceptor.GuardedJsonStream(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void ordinaryJson_passesUnchanged() throws IOException {
    String json = "{\"a\":[1,{\"b\":\"}}}]]]{{{[[[\\\"\"}],\"c\":null}";
    assertThat(drain(json)).isEqualTo(json);
  }

  @Test
  void nestingAtTheLimit_passes() throws IOException {
    int d = JsonLimitsInterceptor.MAX_DEPTH;
    drain("[".repeat(d) + "]".repeat(d));
  }

  @Test
  void tenThousandLevels_areRefusedEarly() {
    assertThatThrownBy(() -> drain("[".repeat(10_000) + "]".repeat(10_000)))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.problem().type()).endsWith("/too-deeply-nested"));
  }

  @Test
  void bracketsInsideStrings_doNotCount() throws IOException {
    drain("{\"s\":\"" + "[".repeat(10_000) + "\"}");
  }
}
