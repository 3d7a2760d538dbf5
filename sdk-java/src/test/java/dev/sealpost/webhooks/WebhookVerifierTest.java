package dev.sealpost.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.exception.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {
  // The test vector published with the Standard Webhooks reference implementations.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  private static WebhookVerifier at(long epochSecond) {
    return WebhookVerifier.create(SECRET)
        .withClock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  private static Map<String, List<String>> headers(String id, String ts, String sig) {
    return Map.of(
        "Webhook-Id",
        List.of(id),
        "webhook-timestamp",
        List.of(ts),
        "WEBHOOK-SIGNATURE",
        List.of(sig));
  }

  @Test
  void publishedTestVector_signsAndVerifies() {
    assertThat(at(TIMESTAMP).sign(ID, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
    VerifiedWebhook v =
        at(TIMESTAMP).verify(headers(ID, Long.toString(TIMESTAMP), SIGNATURE), BODY);
    assertThat(v.id()).isEqualTo(ID);
    assertThat(v.timestampSeconds()).isEqualTo(TIMESTAMP);
  }

  @Test
  void secretWithoutPrefix_verifiesToo() {
    WebhookVerifier v =
        WebhookVerifier.create(SECRET.substring("whsec_".length()))
            .withClock(Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC));
    assertThat(v.verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY).id()).isEqualTo(ID);
  }

  @Test
  void anyOfSeveralSignatures_isEnough() {
    String several = "v1,bm9wZQ== v1a,ignored " + SIGNATURE;
    assertThat(at(TIMESTAMP).verify(ID, Long.toString(TIMESTAMP), several, BODY).id())
        .isEqualTo(ID);
  }

  @Test
  void tamperedBody_fails() {
    byte[] body = BODY.clone();
    body[body.length - 2] ^= 1;
    assertThatThrownBy(() -> at(TIMESTAMP).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, body))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void tamperedIdOrTimestamp_fails() {
    assertThatThrownBy(
            () -> at(TIMESTAMP).verify(ID + "x", Long.toString(TIMESTAMP), SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(
            () -> at(TIMESTAMP).verify(ID, Long.toString(TIMESTAMP + 1), SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void flippedSignatureByte_fails() {
    String flipped = SIGNATURE.replace("g0hM", "g0hN");
    assertThatThrownBy(() -> at(TIMESTAMP).verify(ID, Long.toString(TIMESTAMP), flipped, BODY))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void otherSecret_fails() {
    WebhookVerifier other =
        WebhookVerifier.create("whsec_" + "A".repeat(44))
            .withClock(Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC));
    assertThatThrownBy(() -> other.verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void timestampOutsideTolerance_failsBothWays() {
    long limit = WebhookVerifier.DEFAULT_TOLERANCE.getSeconds();
    assertThat(at(TIMESTAMP + limit).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
        .isNotNull();
    assertThatThrownBy(
            () -> at(TIMESTAMP + limit + 1).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("too far");
    assertThatThrownBy(
            () -> at(TIMESTAMP - limit - 1).verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class);
    WebhookVerifier tight = at(TIMESTAMP + 10).withTolerance(Duration.ofSeconds(5));
    assertThatThrownBy(() -> tight.verify(ID, Long.toString(TIMESTAMP), SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void missingOrMalformedHeaders_fail() {
    assertThatThrownBy(() -> at(TIMESTAMP).verify(Map.of(), BODY))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> at(TIMESTAMP).verify(ID, "soon", SIGNATURE, BODY))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> at(TIMESTAMP).verify(ID, Long.toString(TIMESTAMP), "v1,%%%", BODY))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> at(TIMESTAMP).verify(ID, Long.toString(TIMESTAMP), "", BODY))
        .isInstanceOf(IntegrityException.class);
    Map<String, List<String>> twice =
        Map.of(
            "webhook-id", List.of(ID, "msg_other"),
            "webhook-timestamp", List.of(Long.toString(TIMESTAMP)),
            "webhook-signature", List.of(SIGNATURE));
    assertThatThrownBy(() -> at(TIMESTAMP).verify(twice, BODY))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void badSecret_isRefusedAtCreation() {
    assertThatThrownBy(() -> WebhookVerifier.create("whsec_not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookVerifier.create("whsec_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WebhookVerifier.create(SECRET).toString()).doesNotContain("MfKQ");
  }

  @Test
  void staticVerify_usesTheRealClock() {
    long now = Instant.now().getEpochSecond();
    String sig = WebhookVerifier.create(SECRET).sign(ID, now, BODY);
    assertThat(Webhooks.verify(SECRET, headers(ID, Long.toString(now), sig), BODY).id())
        .isEqualTo(ID);
    assertThatThrownBy(
            () -> Webhooks.verify(SECRET, headers(ID, Long.toString(TIMESTAMP), SIGNATURE), BODY))
        .isInstanceOf(IntegrityException.class);
  }
}
