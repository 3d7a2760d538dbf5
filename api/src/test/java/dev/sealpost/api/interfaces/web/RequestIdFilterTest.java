package dev.sealpost.api.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdFilterTest {
  @Test
  void theLoggedPath_cannotSplitOrForgeALine_andIsBounded() {
    assertThat(RequestIdFilter.printable("/v1/envelopes/abc")).isEqualTo("/v1/envelopes/abc");
    assertThat(RequestIdFilter.printable("/x\n{\"Level\":\"SEVERE\"}\r\u001b[31m\u00e9"))
        .isEqualTo("/x?{\"Level\":\"SEVERE\"}??[31m?");
    assertThat(RequestIdFilter.printable("/" + "a".repeat(500))).hasSize(200);
  }
}
