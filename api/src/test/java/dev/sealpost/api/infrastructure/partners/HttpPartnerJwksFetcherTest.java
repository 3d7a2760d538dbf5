package dev.sealpost.api.infrastructure.partners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sealpost.api.domain.InvalidInputException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpPartnerJwksFetcherTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static HttpPartnerJwksFetcher production() {
    return new HttpPartnerJwksFetcher(TIMEOUT, 65_536, false);
  }

  @ParameterizedTest
  @CsvSource({
    "http://203.0.113.7/jwks.json, must use https",
    "https://127.0.0.1/jwks.json, loopback",
    "https://127.8.9.10/jwks.json, loopback",
    "https://[::1]/jwks.json, loopback",
    "https://169.254.169.254/latest/meta-data/, link-local",
    "https://[fe80::1]/jwks.json, link-local",
    "https://10.0.0.1/jwks.json, private",
    "https://172.16.5.4/jwks.json, private",
    "https://192.168.0.1/jwks.json, private",
    "https://100.64.0.1/jwks.json, private",
    "https://[fd12:3456::1]/jwks.json, unique-local",
    "https://[fc00::1]/jwks.json, unique-local",
    "https://224.0.0.251/jwks.json, multicast",
    "https://[ff02::1]/jwks.json, multicast",
    "https://0.0.0.0/jwks.json, unspecified",
    "https://[::]/jwks.json, unspecified",
    "https://[::ffff:10.0.0.1]/jwks.json, private",
    "https://[::ffff:127.0.0.1]/jwks.json, loopback",
    "https://[64:ff9b::a9fe:a9fe]/jwks.json, link-local",
    "https://255.255.255.255/jwks.json, reserved",
    "https://user:pw@203.0.113.7/jwks.json, absolute https URL",
    "file:///etc/passwd, absolute https URL",
    "jwks.json, absolute https URL"
  })
  void refusedUris_areRefusedWithoutConnecting(String uri, String reason) {
    assertThatThrownBy(() -> production().checkUri("jwksUri", uri))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("jwksUri")
        .hasMessageContaining(reason);
  }

  @Test
  void aNameResolvingToAnyPrivateAddress_isRefused() {
    HttpPartnerJwksFetcher f =
        new HttpPartnerJwksFetcher(
            TIMEOUT,
            65_536,
            false,
            host ->
                new InetAddress[] {
                  InetAddress.getByName("203.0.113.7"), InetAddress.getByName("10.9.8.7")
                });
    assertThatThrownBy(() -> f.checkUri("jwksUri", "https://keys.partner.example/jwks.json"))
        .hasMessageContaining("private");
  }

  @Test
  void aPublicAddress_passesTheCheck() {
    HttpPartnerJwksFetcher f =
        new HttpPartnerJwksFetcher(
            TIMEOUT,
            65_536,
            false,
            host -> new InetAddress[] {InetAddress.getByName("203.0.113.7")});
    f.checkUri("jwksUri", "https://keys.partner.example/jwks.json");
  }

  @Test
  void developmentSetting_admitsLoopbackOnly_andHttpOnlyToLoopback() throws Exception {
    HttpPartnerJwksFetcher dev = new HttpPartnerJwksFetcher(TIMEOUT, 65_536, true);
    dev.checkUri("jwksUri", "http://127.0.0.1:8080/jwks.json");
    assertThatThrownBy(() -> dev.checkUri("jwksUri", "http://203.0.113.7/jwks.json"))
        .hasMessageContaining("https");
    assertThatThrownBy(() -> dev.checkUri("jwksUri", "https://169.254.169.254/"))
        .hasMessageContaining("link-local");
    assertThatThrownBy(() -> dev.checkUri("jwksUri", "https://10.0.0.1/"))
        .hasMessageContaining("private");
  }

  @Test
  void fetch_readsTheDocument_andRefusesRedirectsOversizeAndSlowness() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/ok",
        ex -> {
          hits.incrementAndGet();
          byte[] b = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
          }
        });
    s.createContext(
        "/chunked",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream o = ex.getResponseBody()) {
            o.write("{\"keys\":".getBytes(StandardCharsets.UTF_8));
            o.flush();
            o.write("[]}".getBytes(StandardCharsets.UTF_8));
          }
        });
    s.createContext(
        "/redirect",
        ex -> {
          ex.getResponseHeaders().set("Location", "/ok");
          ex.sendResponseHeaders(301, -1);
          ex.close();
        });
    s.createContext(
        "/big",
        ex -> {
          ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
          try (OutputStream o = ex.getResponseBody()) {
            o.write(new byte[70_000]);
          } catch (java.io.IOException ignored) {
            // the fetcher hangs up once past the cap
          }
        });
    s.createContext(
        "/drip",
        ex -> {
          ex.sendResponseHeaders(200, 1000);
          try (OutputStream o = ex.getResponseBody()) {
            for (int i = 0; i < 1000; i++) {
              o.write(' ');
              o.flush();
              Thread.sleep(100);
            }
          } catch (InterruptedException | java.io.IOException ignored) {
            // the fetcher hangs up at its deadline
          }
        });
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    try {
      String base = "http://127.0.0.1:" + s.getAddress().getPort();
      HttpPartnerJwksFetcher dev = new HttpPartnerJwksFetcher(TIMEOUT, 65_536, true);
      assertThat(dev.fetch("jwksUri", base + "/ok")).isEqualTo("{\"keys\":[]}");
      assertThat(dev.fetch("jwksUri", base + "/chunked")).isEqualTo("{\"keys\":[]}");
      assertThatThrownBy(() -> dev.fetch("jwksUri", base + "/redirect"))
          .hasMessageContaining("redirect");
      assertThat(hits.get()).isEqualTo(2 - 1); // the redirect was not followed
      assertThatThrownBy(() -> dev.fetch("jwksUri", base + "/big"))
          .hasMessageContaining("larger than 65536");
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> dev.fetch("jwksUri", base + "/drip"))
          .hasMessageContaining("timed out");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
      assertThatThrownBy(() -> production().fetch("jwksUri", base + "/ok"))
          .hasMessageContaining("https");
    } finally {
      s.stop(0);
    }
  }
}
