package dev.sealpost.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The canary searches of the ITs rely on this: it must find what is there, not only miss. */
class ItSupportTest {
  @Test
  void containsBytes_findsANeedleAnywhere_includingHighBytes_andNothingElse() {
    byte[] hay = new byte[] {(byte) 0xff, 0x00, 'C', 'A', 'N', (byte) 0x80, 'Y', 0x7f};
    assertThat(ItSupport.containsBytes(hay, new byte[] {'A', 'N', (byte) 0x80})).isTrue();
    assertThat(ItSupport.containsBytes(hay, new byte[] {(byte) 0xff, 0x00})).isTrue();
    assertThat(ItSupport.containsBytes(hay, new byte[] {'Y', 0x7f})).isTrue();
    assertThat(ItSupport.containsBytes(hay, new byte[] {'A', 'N', 'A'})).isFalse();
    assertThat(ItSupport.containsBytes(hay, new byte[] {(byte) 0x80, 'Y', 0x7f, 0x00})).isFalse();
    byte[] utf8 = "Dear customer, CANARY-é-1".getBytes(StandardCharsets.UTF_8);
    assertThat(ItSupport.containsBytes(utf8, "CANARY-é".getBytes(StandardCharsets.UTF_8))).isTrue();
  }
}
