package dev.sealpost.api.infrastructure.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.WebhookSender.Outcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address rules of webhook URLs, when stored and again at every delivery (DNS rebinding). */
class HttpsWebhookSenderTest {
  private static final HttpsWebhookSender STRICT =
      new HttpsWebhookSender(Duration.ofSeconds(2), false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://93.184.216.34/hook",
        "https://10.0.0.1/hook",
        "https://192.168.1.1/hook",
        "https://172.16.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://100.64.0.1/hook",
        "https://user:pw@93.184.216.34/hook",
        "https://93.184.216.34/hook#frag",
        "/relative",
        "not a url"
      })
  void unsafeUrls_areRefusedNamingTheField(String url) {
    assertThatThrownBy(() -> STRICT.checkUrl("url", url))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("url");
  }

  @Test
  void publicHttpsUrl_isAccepted() {
    HttpsWebhookSender s =
        new HttpsWebhookSender(
            Duration.ofSeconds(2),
            false,
            host -> new InetAddress[] {InetAddress.getByName("93.184.216.34")});
    s.checkUrl("url", "https://hooks.example.com/sealpost?x=1");
  }

  @Test
  void hostThatRebindsToLoopbackAfterTheCheck_isNeverConnectedTo() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger lookups = new AtomicInteger();
      HttpsWebhookSender s =
          new HttpsWebhookSender(
              Duration.ofSeconds(2),
              false,
              host ->
                  new InetAddress[] {
                    lookups.getAndIncrement() == 0
                        ? InetAddress.getByName("93.184.216.34")
                        : InetAddress.getLoopbackAddress()
                  });
      String url = "https://rebind.example:" + listener.getLocalPort() + "/hook";
      s.checkUrl("url", url);
      listener.setSoTimeout(300);
      Outcome o = s.send(url, "msg_1", 1, "{}", List.of(new byte[32]));
      assertThat(o.status()).isNull();
      assertThat(o.error()).contains("loopback");
      assertThatThrownBy(listener::accept).as("nothing connected").isNotNull();
    }
  }

  @Test
  void loopbackAllowedForTests_plainHttpOnlyToLoopback() {
    HttpsWebhookSender tests = new HttpsWebhookSender(Duration.ofSeconds(2), true);
    tests.checkUrl("url", "http://127.0.0.1:8080/hook");
    tests.checkUrl("url", "https://127.0.0.1:8443/hook");
    assertThatThrownBy(() -> tests.checkUrl("url", "https://10.1.2.3/hook"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void unreachableEndpoint_isAnOutcomeNotAnException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Outcome o =
        new HttpsWebhookSender(Duration.ofSeconds(2), true)
            .send("http://127.0.0.1:" + port + "/hook", "msg_1", 1, "{}", List.of(new byte[32]));
    assertThat(o.delivered()).isFalse();
    assertThat(o.error()).isEqualTo("could not connect");
  }

  @Test
  void signature_matchesThePublishedTestVector() {
    byte[] secret = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertThat(
            StandardWebhookSignature.sign(
                secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    byte[] other = secret.clone();
    other[0] ^= 1;
    String header =
        StandardWebhookSignature.header(
            List.of(secret, other),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}");
    assertThat(header.split(" "))
        .hasSize(2)
        .startsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }
}
