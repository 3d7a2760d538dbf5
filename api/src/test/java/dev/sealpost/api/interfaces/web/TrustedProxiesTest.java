package dev.sealpost.api.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  @Test
  void matchesAddressesAndBlocks() {
    TrustedProxies p = new TrustedProxies(List.of("10.0.0.0/16", "192.0.2.7", "::1"));
    assertThat(p.trusts("10.0.255.1")).isTrue();
    assertThat(p.trusts("10.1.0.1")).isFalse();
    assertThat(p.trusts("192.0.2.7")).isTrue();
    assertThat(p.trusts("192.0.2.8")).isFalse();
    assertThat(p.trusts("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(p.trusts("not-an-ip.example")).isFalse();
    assertThat(p.trusts(null)).isFalse();
  }

  @Test
  void trustsNobodyByDefault() {
    assertThat(new TrustedProxies(List.of()).trusts("127.0.0.1")).isFalse();
  }
}
