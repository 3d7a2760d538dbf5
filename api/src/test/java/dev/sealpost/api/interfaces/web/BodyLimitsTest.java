package dev.sealpost.api.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.interfaces.rest.JsonLimitsInterceptor;
import dev.sealpost.api.interfaces.web.BodyLimits.Limit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BodyLimitsTest {
  private static final String JSON = "application/json";

  @Test
  void openEndpoints_getAFewKiB_readInFull() {
    Limit small = new Limit(4096, true);
    assertThat(BodyLimits.of("POST", "/v1/open/e/r/challenge", JSON)).isEqualTo(small);
    assertThat(BodyLimits.of("POST", "/v1/open/e/r/verify", JSON)).isEqualTo(small);
    assertThat(BodyLimits.of("POST", "/v1/open", JSON)).isEqualTo(small);
    assertThat(BodyLimits.of("GET", "/v1/open/e/manifest", null)).isEqualTo(small);
    // multipart does not buy an open endpoint the seal's limit
    assertThat(BodyLimits.of("POST", "/v1/open/e/r/verify", "multipart/form-data; boundary=x"))
        .isEqualTo(small);
  }

  @Test
  void aReplyUpload_streams_onlyOnItsExactPath() {
    String e = "6f1c1f0e-3c1b-4a59-9a57-0c1f7f3e9d11";
    String r = "0b6c2d0e-1a2b-4c3d-8e9f-a0b1c2d3e4f5";
    String mp = "multipart/form-data; boundary=x";
    assertThat(BodyLimits.of("POST", "/v1/open/" + e + "/" + r + "/replies", mp))
        .isEqualTo(new Limit(BodyLimits.UNLIMITED, false));
    Limit small = new Limit(4096, true);
    assertThat(BodyLimits.of("GET", "/v1/open/" + e + "/" + r + "/replies", mp)).isEqualTo(small);
    assertThat(BodyLimits.of("POST", "/v1/open/" + e + "/" + r + "/replies/", mp)).isEqualTo(small);
    assertThat(BodyLimits.of("POST", "/v1/open/" + e + "/" + r + "/verify", mp)).isEqualTo(small);
    assertThat(BodyLimits.of("POST", "/v1/open/e/r/replies", mp)).isEqualTo(small);
    assertThat(BodyLimits.of("POST", "/v1/open/" + e + "/x/../replies", mp)).isEqualTo(small);
  }

  @Test
  void theSeal_getsTheJsonLimitOrStreamsMultipart() {
    assertThat(BodyLimits.of("POST", "/v1/envelopes", JSON))
        .isEqualTo(new Limit(JsonLimitsInterceptor.MAX_BYTES, false));
    assertThat(BodyLimits.of("POST", "/v1/envelopes", null))
        .isEqualTo(new Limit(JsonLimitsInterceptor.MAX_BYTES, false));
    assertThat(BodyLimits.of("POST", "/v1/envelopes", " Multipart/Form-Data; boundary=b"))
        .isEqualTo(new Limit(BodyLimits.UNLIMITED, false));
  }

  @Test
  void everythingElse_getsTensOfKiB_failingClosed() {
    Limit admin = new Limit(65_536, true);
    assertThat(BodyLimits.of("POST", "/v1/tenants", JSON)).isEqualTo(admin);
    assertThat(BodyLimits.of("PATCH", "/v1/tenant", "application/merge-patch+json"))
        .isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/v1/api-keys", JSON)).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/v1/partners", JSON)).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/v1/envelopes/e/recipients/r/reissue", JSON))
        .isEqualTo(admin);
    // only the exact seal gets the seal's limit: other methods and spellings do not
    assertThat(BodyLimits.of("PUT", "/v1/envelopes", "multipart/form-data")).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/v1/envelopes/", "multipart/form-data")).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/v1/envelopesX", "multipart/form-data")).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/v1/envelopes/x", "multipart/form-data")).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", "/x/v1/open/a", JSON)).isEqualTo(admin);
    assertThat(BodyLimits.of("POST", null, null)).isEqualTo(admin);
  }

  @Test
  void theLargestLegitimateAdminBody_fits() {
    // An inline JWKS as large as the largest one Sealpost fetches (partners.jwks-max-bytes,
    // default 64 KiB) would not fit with its wrapper; real ones (a few keys) are a few KiB.
    assertThat(BodyLimits.DEFAULT_MAX_BYTES).isGreaterThanOrEqualTo(16 * 1024);
    assertThat(BodyLimits.OPEN_MAX_BYTES).isLessThanOrEqualTo(8 * 1024);
  }

  @Test
  void detail_namesTheLimit() {
    assertThat(BodyLimits.of("POST", "/v1/open/a/b/verify", JSON).detail())
        .isEqualTo("this request body may have at most 4096 bytes");
    assertThat(BodyLimits.of("POST", "/v1/envelopes", JSON).detail())
        .contains("at most 67108864 bytes", "multipart");
  }

  @Test
  void streamedDeadline_growsWithTheBytesReceived() {
    Duration t = Duration.ofSeconds(30);
    long s = 1_000;
    assertThat(BodyLimits.deadlineNanos(s, t, 16_384, 0)).isEqualTo(s + 30_000_000_000L);
    assertThat(BodyLimits.deadlineNanos(s, t, 16_384, 16_384 * 10)).isEqualTo(s + 40_000_000_000L);
    assertThat(BodyLimits.deadlineNanos(s, t, 16_384, 8_192)).isEqualTo(s + 30_500_000_000L);
    // 100 MB at a normal speed never comes near it; no overflow for absurd counts
    assertThat(BodyLimits.deadlineNanos(s, t, 16_384, 100_000_000L))
        .isGreaterThan(s + 6_000_000_000_000L);
    assertThat(BodyLimits.deadlineNanos(s, t, 1, Long.MAX_VALUE)).isPositive();
  }

  @Test
  void settings_areChecked() {
    assertThat(RequestBodyFilter.timeout("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(RequestBodyFilter.timeout(null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(RequestBodyFilter.minRate(" 1024 ")).isEqualTo(1024);
    assertThatThrownBy(() -> RequestBodyFilter.timeout("PT0S"))
        .hasMessageContaining("sealpost.http.body-timeout");
    assertThatThrownBy(() -> RequestBodyFilter.timeout("30"))
        .hasMessageContaining("sealpost.http.body-timeout");
    assertThatThrownBy(() -> RequestBodyFilter.minRate("0"))
        .hasMessageContaining("sealpost.http.body-min-rate");
    assertThatThrownBy(() -> RequestBodyFilter.minRate("fast"))
        .hasMessageContaining("sealpost.http.body-min-rate");
  }
}
