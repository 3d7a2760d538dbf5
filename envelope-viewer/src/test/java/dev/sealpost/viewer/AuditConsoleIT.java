package dev.sealpost.viewer;

import static dev.sealpost.audit.AuditBundles.at;
import static dev.sealpost.audit.AuditBundles.bundle;
import static dev.sealpost.audit.AuditBundles.checkpoints;
import static dev.sealpost.audit.AuditBundles.events;
import static dev.sealpost.audit.AuditBundles.json;
import static dev.sealpost.audit.AuditBundles.seq;
import static dev.sealpost.audit.AuditBundles.swapWithNext;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sealpost.audit.AuditBundles;
import dev.sealpost.audit.AuditEvidence;
import dev.sealpost.audit.AuditEvidenceVerification;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The auditor console in real headless Chromium: its in-browser verifier agrees with sdk-java's
 * {@link AuditEvidence#verify} on the same bundles (intact and every kind of tampering), and the
 * console itself (served with the api's CSP by a small JDK HttpServer playing the audit API)
 * refuses non-auditor keys, shows a timeline, verifies it, marks the first broken link, and passes
 * axe in every language. The real server end to end: ConsumerIT.auditorConsole_*.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditConsoleIT {
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private Chromium chrome;
  private AuditBundles bundles;
  private Path testRoot;
  private String axeSource;
  private volatile String served;

  @BeforeAll
  void start() throws Exception {
    testRoot = Path.of(System.getProperty("viewer.testRoot", "target/viewer-test"));
    axeSource = Files.readString(testRoot.resolve("axe.min.js"));
    bundles = new AuditBundles();
    served = json(bundles.valid());
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    chrome = new Chromium();
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  @SuppressWarnings("unchecked")
  void browserVerifier_agreesWithTheJavaVerifier_onIntactAndTamperedBundles() {
    chrome.driver.get(base() + "/test/audit-harness.html");
    waitReady();
    String jwks = bundles.publishedJwks();
    Map<String, Boolean> expectedOk = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : cases().entrySet()) {
      Map<String, Object> js =
          (Map<String, Object>)
              chrome.driver.executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + "window.sealpostAudit.verify(arguments[0], arguments[1]).then(done);",
                  c.getValue(),
                  jwks);
      assertThat(js).as(c.getKey()).doesNotContainKey("error");
      AuditEvidenceVerification java;
      try {
        java = AuditEvidence.verify(c.getValue(), TrustedKeys.fromJwksJson(jwks));
      } catch (MalformedEnvelopeException e) {
        assertThat(js)
            .as(c.getKey() + " is no bundle for Java: " + e.getMessage())
            .containsEntry("malformed", e.getMessage());
        expectedOk.put(c.getKey(), null);
        continue;
      }
      assertThat(js.get("ok")).as(c.getKey() + " " + java).isEqualTo(java.ok());
      assertThat(((Number) js.get("firstBadSeq")).longValue())
          .as(c.getKey())
          .isEqualTo(java.firstBadSeq());
      assertThat(js.get("firstBadType")).as(c.getKey()).isEqualTo(java.firstBadType());
      assertThat(js.get("reason")).as(c.getKey()).isEqualTo(java.reason());
      assertThat(((Number) js.get("envelopeEvents")).longValue())
          .as(c.getKey())
          .isEqualTo(java.envelopeEvents());
      assertThat(((Number) js.get("pathEvents")).longValue())
          .as(c.getKey())
          .isEqualTo(java.pathEvents());
      assertThat(((List<Number>) js.get("checkpointSeqs")).stream().map(Number::longValue).toList())
          .as(c.getKey())
          .isEqualTo(java.checkpointSeqs());
      assertThat(((Number) js.get("evidenceSeq")).longValue())
          .as(c.getKey())
          .isEqualTo(java.evidenceSeq());
      expectedOk.put(c.getKey(), java.ok());
    }
    // The comparison must be able to fail: only the intact bundle is intact; two are no bundle.
    Map<String, Boolean> want = new LinkedHashMap<>();
    cases().keySet().forEach(k -> want.put(k, k.equals("valid")));
    want.put("notABundle", null);
    want.put("badTime", null);
    assertThat(expectedOk).isEqualTo(want);
    // The bundle's own jwks (no published keys): consistent, and said to be not independent.
    Map<String, Object> own =
        (Map<String, Object>)
            chrome.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "window.sealpostAudit.verify(arguments[0], null).then(done);",
                json(bundles.valid()));
    assertThat(own).containsEntry("ok", true);
    assertThat((String) own.get("keySource")).contains("not independent");
  }

  @Test
  void console_refusesNonAuditorKeys_showsTheTimeline_verifiesIt_andPassesAxeInEveryLanguage() {
    served = json(bundles.valid());
    chrome.driver.get(base() + "/audit/");
    waitReady();
    assertAccessible("sign-in en");
    signIn("sender-key");
    assertThat(waitText("signin-error")).contains("not an auditor key");
    signIn("revoked-key");
    assertThat(waitText("signin-error")).contains("not valid");
    signIn("auditor-key");
    waitVisible("screen-events");
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(d -> !d.findElements(By.cssSelector("#events-body tr")).isEmpty());
    assertAccessible("events en");
    // Filters reach the API as its query parameters.
    chrome.driver.findElement(By.id("f-recipient")).sendKeys("r1");
    chrome.driver.findElement(By.id("filter-submit")).click();
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(d -> requests.stream().anyMatch(r -> r.contains("recipient=r1")));

    new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector("button[data-envelope-id]")).click();
              return true;
            });
    waitVisible("ev-content");
    assertThat(chrome.driver.findElements(By.cssSelector("#ev-timeline li"))).hasSize(4);
    chrome.driver.findElement(By.id("ev-verify")).click();
    WebElement result = waitResult();
    assertThat(result.getAttribute("data-ok")).isEqualTo("true");
    assertThat(result.getText()).contains("Intact", "2 signed checkpoints", "6, 12");
    assertAccessible("evidence verified en");
    for (String lang : List.of("fr", "es")) {
      new org.openqa.selenium.support.ui.Select(chrome.driver.findElement(By.id("lang-select")))
          .selectByValue(lang);
      assertThat(chrome.driver.findElement(By.tagName("html")).getAttribute("lang"))
          .isEqualTo(lang);
      assertAccessible("evidence " + lang);
      chrome.driver.findElement(By.id("nav-events")).click();
      assertAccessible("events " + lang);
      chrome.driver.findElement(By.id("nav-evidence")).click();
    }
    new org.openqa.selenium.support.ui.Select(chrome.driver.findElement(By.id("lang-select")))
        .selectByValue("en");

    // One event edited: the browser names it, as the CLI would.
    served = cases().get("edited");
    chrome.driver.findElement(By.id("ev-load")).click();
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("ev-result")).getAttribute("hidden") != null);
    chrome.driver.findElement(By.id("ev-verify")).click();
    result = waitResult();
    assertThat(result.getAttribute("data-ok")).isEqualTo("false");
    assertThat(result.getAttribute("data-first-bad-seq")).isEqualTo("5");
    assertThat(result.getText())
        .contains("First broken link: event seq 5 (ENVELOPE_OPENED)", "edited");
    assertThat(
            chrome
                .driver
                .findElement(By.cssSelector("#ev-timeline li.broken"))
                .getAttribute("data-seq"))
        .isEqualTo("5");
    assertAccessible("evidence broken en");

    // The print view (Save as PDF): only the timeline, the envelope's state and the result.
    chrome.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
    try {
      assertThat(chrome.driver.findElement(By.id("ev-timeline")).isDisplayed()).isTrue();
      assertThat(chrome.driver.findElement(By.id("ev-result")).isDisplayed()).isTrue();
      for (String hidden : List.of("nav", "evidence-form", "ev-verify", "lang-select")) {
        assertThat(chrome.driver.findElement(By.id(hidden)).isDisplayed()).as(hidden).isFalse();
      }
    } finally {
      chrome.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
    }

    chrome.driver.findElement(By.id("nav-signout")).click();
    waitVisible("screen-signin");
    assertThat(chrome.driver.findElement(By.id("events-body")).getText()).isEmpty();
    assertThat(
            chrome.driver.executeScript(
                "return sessionStorage.length + localStorage.length + document.cookie.length"))
        .isEqualTo(0L);
    assertThat(chrome.console())
        .as("no CSP violation")
        .noneMatch(m -> m.contains("Content Security Policy"));
  }

  private void signIn(String key) {
    WebElement input = chrome.driver.findElement(By.id("signin-key"));
    input.clear();
    input.sendKeys(key);
    chrome.driver.findElement(By.id("signin-submit")).click();
  }

  private void waitReady() {
    new WebDriverWait(chrome.driver, Duration.ofSeconds(20))
        .until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
  }

  private WebElement waitVisible(String id) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(20))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() ? e : null;
            });
  }

  private String waitText(String id) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(20))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() && !e.getText().isBlank() ? e.getText() : null;
            });
  }

  private WebElement waitResult() {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
        .until(
            d -> {
              WebElement e = d.findElement(By.id("ev-result"));
              return e.getAttribute("data-ok") != null ? e : null;
            });
  }

  /** axe-core on the current page: no serious or critical violation. */
  private void assertAccessible(String screen) {
    assertThat(chrome.seriousAxeViolations(axeSource)).as("axe on " + screen).isEmpty();
  }

  // ---- the fake audit API and the console's files, with the api's headers ----

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      ConsoleResources.securityHeaders().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (path.equals("/audit/")) {
        try (InputStream in = ConsoleResources.openIndex()) {
          send(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
      } else if (path.startsWith("/audit/assets/")) {
        Optional<InputStream> in = ConsoleResources.openAsset(path.substring(14));
        if (in.isEmpty()) {
          send(ex, 404, "text/plain", new byte[0]);
        } else {
          try (InputStream s = in.get()) {
            send(ex, 200, ViewerResources.contentType(path), s.readAllBytes());
          }
        }
      } else if (path.startsWith("/test/")) {
        Path file = testRoot.resolve(path.substring(6)).normalize();
        if (!file.startsWith(testRoot) || !Files.isRegularFile(file)) {
          send(ex, 404, "text/plain", new byte[0]);
        } else {
          send(ex, 200, ViewerResources.contentType(file.toString()), Files.readAllBytes(file));
        }
      } else if (path.equals("/.well-known/jwks.json")) {
        send(ex, 200, "application/jwk-set+json", utf8(bundles.publishedJwks()));
      } else if (path.startsWith("/v1/audit/")) {
        if ("Bearer revoked-key".equals(auth) || auth == null) {
          problem(ex, 401, "unauthorized");
        } else if (!"Bearer auditor-key".equals(auth)) {
          problem(ex, 403, "forbidden");
        } else if (path.equals("/v1/audit/events")) {
          send(ex, 200, "application/json", utf8(eventsPage()));
        } else if (path.equals("/v1/audit/evidence/" + AuditBundles.ENVELOPE)) {
          send(ex, 200, "application/json", utf8(served));
        } else {
          problem(ex, 404, "not-found");
        }
      } else {
        send(ex, 404, "text/plain", new byte[0]);
      }
    }
  }

  /** Name -> bundle JSON: the intact one and every kind of tampering. */
  private Map<String, String> cases() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("valid", json(bundles.valid()));
    out.put("edited", tampered(b -> at(b, 5).put("ip", "203.0.113.9")));
    out.put("editedPathEvent", tampered(b -> at(b, 10).put("actor", "system")));
    out.put(
        "editedDetail",
        tampered(b -> at(b, 12).put("detail", "evidence bundle; earlier events: 3")));
    out.put("dropped", tampered(b -> events(b).remove(at(b, 5))));
    out.put("droppedPathStart", tampered(b -> events(b).remove(at(b, 9))));
    out.put("droppedWholePath", tampered(b -> events(b).removeIf(e -> seq(e) <= 6)));
    out.put("droppedEvidenceEvent", tampered(b -> events(b).removeIf(e -> seq(e) >= 9)));
    out.put("reordered", tampered(b -> swapWithNext(b, 5)));
    out.put("twoTenantsCheckpoints", json(bundles.withTenantBsCheckpoints()));
    out.put("twoTenantsEvents", json(bundles.tenantBsEventsRelabelled()));
    out.put("forgedCheckpoint", json(bundle(AuditBundles.A, bundles.forger)));
    out.put("unsigned", tampered(b -> checkpoints(b).remove(1)));
    out.put("otherEnvelopeMetadata", tampered(b -> b.put("envelope", Map.of("id", "x"))));
    out.put("notABundle", "{\"format\":\"something-else\"}");
    out.put("badTime", tampered(b -> at(b, 5).put("time", "yesterday")));
    return out;
  }

  private String tampered(Consumer<Map<String, Object>> edit) {
    return json(bundles.tampered(edit));
  }

  private String eventsPage() {
    return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(
        Map.of("items", events(bundles.valid()), "nextCursor", "c2"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void problem(HttpExchange ex, int status, String slug) throws IOException {
    send(
        ex,
        status,
        "application/problem+json",
        utf8(
            "{\"type\":\"https://sealpost.dev/problems/" + slug + "\",\"status\":" + status + "}"));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }
}
