package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkNotificationPayloadTest {
  /** The rows sealing and reissuing have always written (SealEnvelope, ReissueLink). */
  private static final String SEALED =
      "{\"v\":1,\"subject\":\"Your documents\",\"linkSecret\":\"x.y\"}";

  private static final String REISSUED = "{\"v\":1,\"linkSecret\":\"x.y\"}";

  @Test
  void writesTheStoredFormatByteForByte() {
    assertThat(new LinkNotificationPayload(Optional.of("Your documents"), "x.y").toJson())
        .isEqualTo(SEALED);
    assertThat(new LinkNotificationPayload(Optional.empty(), "x.y").toJson()).isEqualTo(REISSUED);
  }

  @Test
  void readsStoredRows() {
    assertThat(LinkNotificationPayload.parse(SEALED))
        .isEqualTo(new LinkNotificationPayload(Optional.of("Your documents"), "x.y"));
    assertThat(LinkNotificationPayload.parse(REISSUED))
        .isEqualTo(new LinkNotificationPayload(Optional.empty(), "x.y"));
    assertThat(LinkNotificationPayload.parse("{\"v\":1,\"subject\":null,\"linkSecret\":\"x\"}"))
        .isEqualTo(new LinkNotificationPayload(Optional.empty(), "x"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "[]",
        "{\"v\":1}",
        "{\"v\":1,\"linkSecret\":3}",
        "{\"v\":1,\"subject\":[],\"linkSecret\":\"x\"}",
        "{\"v\":1,\"linkSecret\":\"x\""
      })
  void refusesWhatItCannotUse(String json) {
    assertThatThrownBy(() -> LinkNotificationPayload.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the notification payload");
  }

  @Test
  void refusesOversizedPayloads() {
    String big = "{\"linkSecret\":\"" + "a".repeat(LinkNotificationPayload.MAX_CHARS) + "\"}";

    assertThatThrownBy(() -> LinkNotificationPayload.parse(big))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_showsNoSealedSecret() {
    assertThat(new LinkNotificationPayload(Optional.of("s"), "sealed-secret").toString())
        .doesNotContain("sealed-secret");
  }
}
