package dev.sealpost.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.viewer.FakeOpenApi.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the built viewer in headless Chromium through what a consumer does: open the link, ask for
 * a code, type it, read the message, download the attachment; and through what can go wrong. A fake
 * API (the JDK's HttpServer) answers with really sealed data. Screenshots land in
 * target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerFlowIT {

  private static final String MESSAGE =
      "Dear Ms Doe,\n\nyour policy 4711 is attached. <b>This is not bold</b> & stays text.\n\nKind regards";

  private FakeOpenApi api;
  private Chromium chrome;
  private String axeSource;

  @BeforeAll
  void start() throws Exception {
    Path testRoot = Path.of(System.getProperty("viewer.testRoot", "target/viewer-test"));
    api = new FakeOpenApi(testRoot);
    chrome = new Chromium();
    axeSource = Files.readString(testRoot.resolve("axe.min.js"));
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @BeforeEach
  void desktop() throws Exception {
    chrome.driver.manage().window().setSize(new Dimension(1200, 1000));
    try (var files = Files.list(chrome.downloads)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    chrome.console();
  }

  /** An envelope sealed by sdk-java, as the server will seal it. */
  private TestSealer.Sealed envelope(byte[] attachment) {
    return SdkEnvelopes.seal(
        "Acme Insurance",
        "acme",
        "Your policy documents",
        MESSAGE,
        Instant.parse("2030-01-31T12:00:00Z"),
        List.of(
            new SdkEnvelopes.File("Policy 2026.pdf", "application/pdf", attachment),
            new SdkEnvelopes.File(
                "Terms.txt",
                "text/plain",
                "Terms and conditions".getBytes(StandardCharsets.UTF_8))));
  }

  private WebElement waitVisible(String id) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(20))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() ? e : null;
            });
  }

  private WebElement byId(String id) {
    return chrome.driver.findElement(By.id(id));
  }

  private void openLink(TestSealer.Sealed s) {
    chrome.driver.get(api.baseUrl() + s.link());
  }

  private void continueToCode(TestSealer.Sealed s) {
    openLink(s);
    waitVisible("start-continue").click();
    waitVisible("screen-code");
  }

  private void enterCode(String code) {
    WebElement input = byId("code-input");
    input.clear();
    input.sendKeys(code);
    byId("code-submit").click();
  }

  /** axe-core on the current page: no serious or critical violation. */
  private void assertAccessible(String screen) {
    assertThat(chrome.seriousAxeViolations(axeSource)).as("axe on " + screen).isEmpty();
  }

  private void assertNoCspViolation() {
    assertThat(chrome.console())
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
  }

  @Test
  void emailOtp_happyPath_readsMessageAndDownloadsCheckedAttachment() throws Exception {
    byte[] pdf = TestSealer.random(150_000);
    TestSealer.Sealed s = envelope(pdf);
    api.serve(s);

    openLink(s);
    waitVisible("start-continue");
    assertThat(chrome.driver.getCurrentUrl()).doesNotContain("#").doesNotContain(s.linkSecret());
    assertThat(api.apiRequests()).as("loading the page sends nothing").isEmpty();
    chrome.screenshot("01-start");
    assertAccessible("start");

    byId("start-continue").click();
    waitVisible("screen-code");
    assertThat(byId("code-lead").getText()).contains("j•••@example.com");
    assertThat(api.apiRequests())
        .containsExactly("POST /v1/open/" + s.envelopeId() + "/" + s.recipientId() + "/challenge");
    assertThat(api.requestBodies()).containsExactly("{\"token\":\"" + s.token() + "\"}");
    assertThat(chrome.driver.switchTo().activeElement().getDomAttribute("id"))
        .isEqualTo("code-input");
    chrome.screenshot("02-code");
    assertAccessible("code");

    enterCode("000000");
    WebElement error = waitVisible("code-error");
    assertThat(error.getText()).isEqualTo("That code is not correct. 4 attempts left.");
    assertThat(byId("code-input").getDomAttribute("aria-invalid")).isEqualTo("true");
    chrome.screenshot("03-wrong-code");

    enterCode("123456");
    waitVisible("screen-message");
    assertThat(byId("seal-title").getText()).isEqualTo("Sealed by Acme Insurance (acme)");
    assertThat(byId("msg-subject").getText()).isEqualTo("Your policy documents");
    assertThat(byId("msg-body").getDomProperty("textContent")).isEqualTo(MESSAGE);
    assertThat(byId("msg-body").findElements(By.tagName("b"))).isEmpty();
    assertThat(byId("code-input").getDomProperty("value")).isEmpty();
    chrome.screenshot("04-message");
    assertAccessible("message");

    TestSealer.Attachment a = s.attachments().get(0);
    WebElement row =
        chrome.driver.findElement(By.cssSelector("li[data-attachment-id='" + a.id() + "']"));
    assertThat(row.getText())
        .contains("Policy 2026.pdf")
        .contains("150 kB")
        .contains("application/pdf");
    row.findElement(By.className("att-download")).click();
    WebElement save =
        new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
            .until(
                d -> {
                  WebElement e = row.findElement(By.className("att-save"));
                  return e.isDisplayed() ? e : null;
                });
    assertThat(save.getDomAttribute("download")).isEqualTo("Policy 2026.pdf");
    assertThat(save.getDomAttribute("href")).startsWith("blob:");
    assertThat(row.findElement(By.className("att-state")).getText())
        .isEqualTo("Decrypted and checked.");
    save.click();
    Path file = awaitDownload("Policy 2026.pdf");
    assertThat(Files.readAllBytes(file)).isEqualTo(pdf);
    chrome.screenshot("05-downloaded");

    assertThat(api.allRequests()).noneMatch(r -> r.contains(s.linkSecret()));
    assertThat(api.requestBodies()).noneMatch(b -> b.contains(s.linkSecret()));
    assertThat(api.apiRequests())
        .contains(
            "GET /v1/open/" + s.envelopeId() + "/manifest",
            "GET /.well-known/jwks.json",
            "GET /v1/open/" + s.envelopeId() + "/attachments/" + a.id());
    assertNoCspViolation();
  }

  private Path awaitDownload(String name) throws InterruptedException {
    Path file = chrome.downloads.resolve(name);
    for (int i = 0; i < 200; i++) {
      if (Files.isRegularFile(file)
          && !Files.exists(chrome.downloads.resolve(name + ".crdownload"))) {
        return file;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no download of " + name + " in " + chrome.downloads);
  }

  @Test
  void sharedSecret_showsHint_andOpensWithTheAnswer() {
    TestSealer.Sealed s = envelope(new byte[100]);
    api.serve(s).method("SHARED_SECRET", "Your policy number, as on your card", "PN-4711");
    openLink(s);
    waitVisible("start-continue").click();
    waitVisible("screen-secret");
    assertThat(byId("secret-hint").getText()).isEqualTo("Your policy number, as on your card");
    byId("secret-input").sendKeys("PN-4711");
    chrome.screenshot("06-secret");
    assertAccessible("secret");
    byId("secret-submit").click();
    waitVisible("screen-message");
    assertThat(api.requestBodies()).last().asString().contains("\"secret\":\"PN-4711\"");
  }

  @Test
  void badSignature_showsLoudWarning_andNoContent() {
    TestSealer.Sealed s =
        TestSealer.forTenant("acme-insurance")
            .subject("Pay now")
            .message("secret body")
            .publishImpostorKey()
            .seal();
    api.serve(s);
    continueToCode(s);
    enterCode("123456");
    waitVisible("screen-problem");
    assertThat(byId("screen-problem").getDomAttribute("class")).contains("danger");
    assertThat(byId("problem-title").getText())
        .isEqualTo("Warning: we cannot confirm who sent this message");
    assertThat(chrome.driver.getPageSource())
        .doesNotContain("Pay now")
        .doesNotContain("secret body");
    assertThat(byId("screen-message").isDisplayed()).isFalse();
    chrome.screenshot("07-bad-signature");
    assertAccessible("bad signature");
  }

  @Test
  void tamperedAttachment_isRefused_andNothingIsOffered() {
    byte[] plain = TestSealer.random(70_000);
    TestSealer.Sealed s = envelope(plain);
    TestSealer.Attachment a = s.attachments().get(0);
    byte[] tampered = a.ciphertext().clone();
    tampered[tampered.length - 100] ^= 0x20;
    api.serve(s).attachmentBytes(a.id(), tampered);
    continueToCode(s);
    enterCode("123456");
    waitVisible("screen-message");
    WebElement row =
        chrome.driver.findElement(By.cssSelector("li[data-attachment-id='" + a.id() + "']"));
    row.findElement(By.className("att-download")).click();
    WebElement state =
        new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
            .until(
                d -> {
                  WebElement e = row.findElement(By.className("att-state"));
                  return e.getDomAttribute("class").contains("error") ? e : null;
                });
    assertThat(state.getText()).contains("could not be opened");
    assertThat(row.findElement(By.className("att-save")).isDisplayed()).isFalse();
    assertThat(row.findElement(By.className("att-save")).getDomAttribute("href")).isNull();
    chrome.screenshot("08-tampered-attachment");
  }

  @Test
  void lastWrongCode_locks() {
    TestSealer.Sealed s = envelope(new byte[1]);
    api.serve(s).attemptsLeft(1);
    continueToCode(s);
    enterCode("999999");
    waitVisible("screen-problem");
    assertThat(byId("problem-title").getText()).isEqualTo("This message is locked");
    chrome.screenshot("09-locked");
  }

  @Test
  void expiredRevokedAndUsedUp_explainWhatHappened() {
    Map<String, String> cases =
        Map.of(
            "envelope-expired", "This message has expired",
            "envelope-revoked", "The sender withdrew this message",
            "max-opens-reached", "This message cannot be opened again",
            "gone", "This message is no longer available");
    cases.forEach(
        (slug, title) -> {
          TestSealer.Sealed s = envelope(new byte[1]);
          api.serve(s).failVerify(Problem.of(410, slug));
          continueToCode(s);
          enterCode("123456");
          waitVisible("screen-problem");
          assertThat(byId("problem-title").getText()).as(slug).isEqualTo(title);
          if (slug.equals("envelope-expired")) {
            chrome.screenshot("10-expired");
          }
        });
  }

  @Test
  void rateLimitedCode_saysHowLongToWait() {
    TestSealer.Sealed s = envelope(new byte[1]);
    api.serve(s).failChallenge(new Problem(429, "rate-limited", Map.of(), "30"));
    openLink(s);
    waitVisible("start-continue").click();
    WebElement error = waitVisible("start-error");
    assertThat(error.getText())
        .isEqualTo("Too many requests. Please wait 30 seconds and try again.");
    assertThat(byId("start-continue").isEnabled()).isTrue();
    chrome.screenshot("11-rate-limited");
  }

  @Test
  void linkWithoutSecret_explainsAndSendsNothing() {
    TestSealer.Sealed s = envelope(new byte[1]);
    api.serve(s);
    chrome.driver.get(api.baseUrl() + "/v/" + s.envelopeId() + "/" + s.recipientId());
    waitVisible("screen-problem");
    assertThat(byId("problem-title").getText()).isEqualTo("This link is incomplete");
    assertThat(api.apiRequests()).isEmpty();
    chrome.screenshot("12-link-incomplete");
  }

  @Test
  void languageSwitcher_translatesEverything_onAPhone() {
    TestSealer.Sealed s = envelope(TestSealer.random(5000));
    api.serve(s);
    chrome.driver.manage().window().setSize(new Dimension(390, 844));
    continueToCode(s);
    new Select(byId("lang-select")).selectByValue("fr");
    assertThat(byId("code-title").getText()).isEqualTo("Saisissez le code reçu par e-mail");
    assertThat(byId("code-lead").getText()).contains("j•••@example.com");
    assertThat(chrome.driver.findElement(By.tagName("html")).getDomAttribute("lang"))
        .isEqualTo("fr");
    chrome.screenshot("13-code-fr-phone");
    new Select(byId("lang-select")).selectByValue("es");
    enterCode("123456");
    waitVisible("screen-message");
    assertThat(byId("seal-title").getText()).isEqualTo("Sellado por Acme Insurance (acme)");
    assertThat(byId("msg-created").getText()).startsWith("Sellado el ");
    chrome.screenshot("14-message-es-phone");
    assertAccessible("message on a phone");
  }

  @Test
  void newCode_isSent_andEndedSession_isExplainedPerAttachment() {
    TestSealer.Sealed s = envelope(TestSealer.random(1000));
    api.serve(s);
    continueToCode(s);
    byId("code-resend").click();
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(
            d ->
                byId("status")
                    .getText()
                    .equals("A new code is on its way. Use the most recent one."));
    assertThat(api.apiRequests()).filteredOn(r -> r.endsWith("/challenge")).hasSize(2);

    enterCode("123456");
    waitVisible("screen-message");
    api.failAttachments(Problem.of(401, "access-token-expired"));
    TestSealer.Attachment a = s.attachments().get(0);
    WebElement row =
        chrome.driver.findElement(By.cssSelector("li[data-attachment-id='" + a.id() + "']"));
    row.findElement(By.className("att-download")).click();
    WebElement state =
        new WebDriverWait(chrome.driver, Duration.ofSeconds(20))
            .until(
                d -> {
                  WebElement e = row.findElement(By.className("att-state"));
                  return e.getDomAttribute("class").contains("error") ? e : null;
                });
    assertThat(state.getText()).startsWith("For your security, access lasts only a short time.");
    assertThat(row.findElement(By.className("att-save")).isDisplayed()).isFalse();
  }

  @Test
  void serverTrouble_isCalm_andTheCodeCanBeSentAgain() {
    TestSealer.Sealed s = envelope(new byte[1]);
    api.serve(s).failVerify(Problem.of(503, "unavailable"));
    continueToCode(s);
    enterCode("123456");
    WebElement error = waitVisible("code-error");
    assertThat(error.getText())
        .isEqualTo("Something went wrong on our side. Please try again in a moment.");
    assertThat(byId("screen-code").isDisplayed()).isTrue();
    api.failVerify(null);
    enterCode("123456");
    waitVisible("screen-message");
    assertThat(byId("code-error").isDisplayed()).isFalse();
  }

  @Test
  void darkMode_isReadable() {
    TestSealer.Sealed s = envelope(TestSealer.random(2000));
    api.serve(s);
    chrome.driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try {
      continueToCode(s);
      enterCode("000000");
      waitVisible("code-error");
      chrome.screenshot("15-wrong-code-dark");
      assertAccessible("code screen, dark");
      enterCode("123456");
      waitVisible("screen-message");
      chrome.screenshot("16-message-dark");
      assertAccessible("message, dark");
    } finally {
      chrome.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
  }

  @Test
  void methodNone_opensRightAfterContinue() {
    TestSealer.Sealed s = envelope(new byte[1]);
    api.serve(s).method("NONE", "", "");
    openLink(s);
    waitVisible("start-continue").click();
    waitVisible("screen-message");
    assertThat(api.requestBodies())
        .last()
        .asString()
        .isEqualTo("{\"token\":\"" + s.token() + "\"}");
  }

  @Test
  void offline_saysSo_andWorksOnceBackOnline() {
    TestSealer.Sealed s = envelope(new byte[1]);
    api.serve(s);
    openLink(s);
    waitVisible("start-continue");
    chrome.driver.executeCdpCommand("Network.enable", Map.of());
    chrome.driver.executeCdpCommand(
        "Network.emulateNetworkConditions",
        Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    try {
      byId("start-continue").click();
      WebElement error = waitVisible("start-error");
      assertThat(error.getText())
          .isEqualTo("We could not reach the service. Check your connection and try again.");
      chrome.screenshot("17-offline");
    } finally {
      chrome.driver.executeCdpCommand(
          "Network.emulateNetworkConditions",
          Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
      chrome.driver.executeCdpCommand("Network.disable", Map.of());
    }
    byId("start-continue").click();
    waitVisible("screen-code");
  }
}
