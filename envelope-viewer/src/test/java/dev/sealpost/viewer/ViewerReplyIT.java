package dev.sealpost.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.ReplyOpener;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.viewer.FakeOpenApi.Part;
import dev.sealpost.viewer.FakeOpenApi.Problem;
import dev.sealpost.viewer.FakeOpenApi.ReplyUpload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * "Reply securely" in headless Chromium against the fake API: a message and a 5 MB file are sealed
 * in the page to the tenant's reply keys and uploaded (REPLY-WIRE.md), then opened here with the
 * private keys by an independent implementation (Nimbus for the JWE, the JDK's AES-GCM for the
 * STREAM); the only clear text that travels is the ids; the answers 409, 413, 401 and a network
 * failure are explained and nothing is claimed sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerReplyIT {

  private static final Base64.Decoder B64U = Base64.getUrlDecoder();
  private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();
  private static final long MAX_BYTES = 104_857_600L;
  private static final int FILE_SIZE = 5 * 1024 * 1024 + 12_345;

  private FakeOpenApi api;
  private Chromium chrome;
  private String axeSource;
  private Path files;
  private RSAKey rsaReplyKey;
  private ECKey ecReplyKey;
  private ECKey receiptKey;
  private String receiptTenant;

  @BeforeAll
  void start() throws Exception {
    Path testRoot = Path.of(System.getProperty("viewer.testRoot", "target/viewer-test"));
    api = new FakeOpenApi(testRoot);
    chrome = new Chromium();
    axeSource = Files.readString(testRoot.resolve("axe.min.js"));
    files = Files.createTempDirectory("sealpost-reply-files");
    rsaReplyKey = new RSAKeyGenerator(2048).keyID("reply-rsa-2026").generate();
    ecReplyKey = new ECKeyGenerator(Curve.P_256).keyID("reply-ec-2026").generate();
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.close();
    }
    if (api != null) {
      api.close();
    }
    if (files != null) {
      Chromium.deleteTree(files);
    }
  }

  @BeforeEach
  void desktop() {
    chrome.driver.manage().window().setSize(new Dimension(1200, 1000));
    chrome.console();
  }

  // ---- the flow ----

  @Test
  void messageAndFiveMegabytes_areSealedInTheBrowser_andOpenByteIdentical() throws Exception {
    String canary = "CANARY-" + UUID.randomUUID();
    String message =
        "Dear Acme,\n\nmy claim form is attached. " + canary + " <b>not bold</b> & ünïcödé.";
    byte[] claim = TestSealer.random(FILE_SIZE);
    byte[] fileCanary = ("FILECANARY-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    for (int at : new int[] {0, FILE_SIZE / 2 + 7, FILE_SIZE - fileCanary.length}) {
      System.arraycopy(fileCanary, 0, claim, at, fileCanary.length);
    }
    String claimName = "claim form " + canary + ".pdf";
    Path claimFile = files.resolve(claimName);
    Files.write(claimFile, claim);
    Path emptyFile = files.resolve("empty.txt");
    Files.write(emptyFile, new byte[0]);

    TestSealer.Sealed s = envelope();
    api.serve(s).offerReply(jwks(rsaReplyKey, ecReplyKey), 5, MAX_BYTES).slowReplyReads(40);
    signedReceipts(s);
    openMessage(s);
    WebElement section = waitVisible("reply");
    assertThat(byId("reply-remaining").getText()).isEqualTo("You can send 5 more replies.");
    assertThat(byId("reply-max").getText())
        .isEqualTo("Message and files together: up to 104.9 MB.");
    assertThat(byId("reply-lead").getText()).contains("only Acme Insurance (acme) can read it");

    byId("reply-message").sendKeys(message);
    byId("reply-files").sendKeys(claimFile + "\n" + emptyFile);
    assertThat(byId("reply-file-list").getText()).contains(claimName).contains("empty.txt");
    chrome.screenshot("20-reply-form");
    assertAccessible("reply form");
    recordProgress();

    byId("reply-send").click();
    WebElement receipt = waitVisible("reply-receipt", 90);
    assertThat(receipt.getText()).startsWith("Your reply was sent");
    // The page checked the server's receipt against what it sent: signature, ids, every digest.
    assertThat(receiptCheck())
        .containsExactly(
            "ok", "The server signed a receipt for exactly the message and files you sent.");
    chrome.screenshot("21-reply-sent");
    assertAccessible("reply sent");
    assertThat(byId("reply-remaining").getText()).isEqualTo("You can send 4 more replies.");
    assertThat(byId("reply-message").getDomProperty("value")).isEmpty();
    assertThat(section.findElement(By.id("reply-error")).isDisplayed()).isFalse();

    // What travelled: one upload, parts in REPLY-WIRE order, only ids in clear.
    List<ReplyUpload> uploads = api.replyUploads();
    assertThat(uploads).hasSize(1);
    ReplyUpload up = uploads.get(0);
    assertThat(up.path())
        .isEqualTo("/v1/open/" + s.envelopeId() + "/" + s.recipientId() + "/replies");
    assertThat(up.contentType()).startsWith("multipart/form-data; boundary=");
    assertThat(up.authorization()).startsWith("Bearer ");
    assertThat(up.parts())
        .extracting(Part::name)
        .containsExactly("reply", "manifest", "attachment", "attachment");
    assertThat(up.parts())
        .extracting(Part::contentType)
        .containsExactly(
            "application/json",
            "application/jose+json",
            "application/octet-stream",
            "application/octet-stream");
    assertThat(Multipart.checkReplyParts(up.parts())).isNull();
    Map<String, Object> clear = JSONObjectUtils.parse(up.parts().get(0).text());
    assertThat(clear).containsOnlyKeys("replyId", "attachments");
    String replyId = (String) clear.get("replyId");
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) clear.get("attachments");
    assertThat(replyId).matches(Multipart.UUID);
    assertThat(ids).hasSize(2).allMatch(id -> Multipart.UUID.matcher((String) id).matches());
    assertThat(up.parts().get(2).filename()).isEqualTo(ids.get(0));
    assertThat(up.parts().get(3).filename()).isEqualTo(ids.get(1));
    assertThat(receipt.getText()).contains(replyId);

    byte[] messageCanary = canary.getBytes(StandardCharsets.UTF_8);
    for (byte[] body : api.rawRequestBodies()) {
      assertThat(Multipart.indexOf(body, messageCanary, 0))
          .as("message canary in clear")
          .isEqualTo(-1);
      assertThat(Multipart.indexOf(body, fileCanary, 0)).as("file canary in clear").isEqualTo(-1);
      assertThat(Multipart.indexOf(body, "claim form".getBytes(StandardCharsets.UTF_8), 0))
          .as("file name in clear")
          .isEqualTo(-1);
    }
    assertThat(api.allRequests()).noneMatch(r -> r.contains("CANARY"));

    // Progress was shown while sending (not just 0 and 100 %).
    List<Double> sending = uploadProgress();
    assertThat(sending).as("upload progress values").anyMatch(v -> v > 0 && v < 1);

    // Opened with the tenant's private keys, each of them, by an independent implementation.
    String manifestDoc = up.parts().get(1).text();
    assertReplyJweShape(manifestDoc, List.of(rsaReplyKey, ecReplyKey));
    for (JWK key : List.of(rsaReplyKey, ecReplyKey)) {
      Map<String, Object> m = openManifest(manifestDoc, key);
      assertThat(m.get("v")).isEqualTo(1L);
      assertThat(m.get("replyId")).isEqualTo(replyId);
      assertThat(m.get("envelopeId")).isEqualTo(s.envelopeId());
      assertThat(m.get("recipientId")).isEqualTo(s.recipientId());
      assertThat(m.get("message")).isEqualTo(message);
      assertThat(Instant.parse((String) m.get("created"))).isBefore(Instant.now().plusSeconds(5));
      List<?> atts = (List<?>) m.get("attachments");
      assertThat(atts).hasSize(2);
      Map<?, ?> a0 = (Map<?, ?>) atts.get(0);
      Map<?, ?> a1 = (Map<?, ?>) atts.get(1);
      assertThat(a0.get("id")).isEqualTo(ids.get(0));
      assertThat(a0.get("name")).isEqualTo(claimName);
      assertThat(a0.get("mediaType")).isEqualTo("application/pdf");
      assertThat(a0.get("size")).isEqualTo((long) FILE_SIZE);
      assertThat(a0.get("chunkSize")).isEqualTo(65536L);
      assertThat(a0.get("sha256")).isEqualTo(B64E.encodeToString(sha256(claim)));
      assertThat(openStream(up.parts().get(2).body(), a0, replyId)).isEqualTo(claim);
      assertThat(a1.get("name")).isEqualTo("empty.txt");
      assertThat(a1.get("size")).isEqualTo(0L);
      assertThat(up.parts().get(3).body()).hasSize(24);
      assertThat(openStream(up.parts().get(3).body(), a1, replyId)).isEmpty();
    }
    // sdk-java's ReplyOpener, as a sender's system opens it: the receipt (signed by the tenant's
    // key, over the digests of the parts as received) first, then the manifest, then the STREAMs.
    String receiptJws = (String) api.replyAnswers().get(0).get("receipt");
    ReplyOpener opener =
        ReplyOpener.builder()
            .trust(TrustedKeys.of(List.of(receiptKey.toPublicJWK())))
            .requireSignerOfReceiptTenant()
            .build();
    for (JWK key : List.of(rsaReplyKey, ecReplyKey)) {
      OpenedReply opened =
          opener.open(
              receiptJws,
              up.parts().get(1).body(),
              RecipientKey.privateJwk(key),
              s.envelopeId(),
              replyId);
      assertThat(opened.manifest().message()).isEqualTo(message);
      assertThat(opened.manifest().recipientId()).isEqualTo(s.recipientId());
      assertThat(opened.receipt().attachmentIds()).containsExactlyElementsOf(ids);
      for (int i = 0; i < 2; i++) {
        try (var in =
            opened.openAttachment(
                ids.get(i), new java.io.ByteArrayInputStream(up.parts().get(2 + i).body()))) {
          assertThat(in.readAllBytes()).isEqualTo(i == 0 ? claim : new byte[0]);
        }
      }
      assertThat(opened.manifest().attachments().get(0).name()).isEqualTo(claimName);
    }
    // The same STREAM object does not open as another reply's (the reply id is in the AAD).
    Map<String, Object> m = openManifest(manifestDoc, ecReplyKey);
    Map<?, ?> a0 = (Map<?, ?>) ((List<?>) m.get("attachments")).get(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> openStream(up.parts().get(2).body(), a0, UUID.randomUUID().toString()))
        .isInstanceOf(javax.crypto.AEADBadTagException.class);
    assertNoCspViolation();
  }

  @Test
  void aSingleEcReplyKey_keepsTheEpkPerRecipient_andTheProtectedHeaderExact() throws Exception {
    TestSealer.Sealed s = envelope();
    api.serve(s).offerReply(jwks(ecReplyKey), 1, MAX_BYTES);
    signedReceipts(s);
    openMessage(s);
    waitVisible("reply");
    assertThat(byId("reply-remaining").getText()).isEqualTo("You can send 1 more reply.");
    byId("reply-message").sendKeys("Only text, one key.");
    byId("reply-send").click();
    waitVisible("reply-receipt");
    // The last reply allowed: the form goes, the count says so.
    assertThat(byId("reply-form").isDisplayed()).isFalse();
    assertThat(byId("reply-remaining").getText())
        .isEqualTo("You have sent as many replies as this message allows.");

    ReplyUpload up = api.replyUploads().get(0);
    assertThat(up.parts()).extracting(Part::name).containsExactly("reply", "manifest");
    Map<String, Object> clear = JSONObjectUtils.parse(up.parts().get(0).text());
    assertThat((List<?>) clear.get("attachments")).isEmpty();
    assertReplyJweShape(up.parts().get(1).text(), List.of(ecReplyKey));
    assertThat(openManifest(up.parts().get(1).text(), ecReplyKey).get("message"))
        .isEqualTo("Only text, one key.");
  }

  @Test
  void refusedUploads_areExplained_andNothingIsClaimedSent() throws Exception {
    Path file = files.resolve("statement.txt");
    Files.write(file, TestSealer.random(3000));
    Map<Problem, String> cases = new LinkedHashMap<>();
    cases.put(
        Problem.of(409, "reply-limit-reached"),
        "You have already sent as many replies as this message allows. This reply was not sent.");
    cases.put(
        Problem.of(413, "payload-too-large"),
        "The service refused your reply as too large (at most 104.9 MB). Nothing was sent.");
    cases.put(
        Problem.of(401, "access-token-expired"),
        "Your session has ended, so your reply was not sent. Copy your message if you want to keep"
            + " it, then open the link from your email again to reply.");
    cases.put(
        Problem.of(503, "unavailable"),
        "Something went wrong on our side: your reply was not sent. Please try again in a moment.");
    int shot = 0;
    for (Map.Entry<Problem, String> c : cases.entrySet()) {
      TestSealer.Sealed s = envelope();
      api.serve(s).offerReply(jwks(rsaReplyKey), 3, MAX_BYTES).failReplies(c.getKey());
      openMessage(s);
      waitVisible("reply");
      byId("reply-message").sendKeys("Please call me back.");
      byId("reply-files").sendKeys(file.toString());
      byId("reply-send").click();
      WebElement error = waitVisible("reply-error");
      String status = String.valueOf(c.getKey().status());
      assertThat(error.getText()).as(status).isEqualTo(c.getValue());
      assertThat(byId("reply-receipt").isDisplayed()).as(status).isFalse();
      assertThat(api.replyUploads()).as(status).hasSize(1);
      assertThat(byId("reply-message").getDomProperty("value"))
          .as("the text stays, to copy or send again")
          .isEqualTo("Please call me back.");
      assertThat(byId("status").getText()).as(status).doesNotContain("sent");
      if (c.getKey().status() == 409) {
        assertThat(byId("reply-remaining").getText())
            .isEqualTo("You have sent as many replies as this message allows.");
        assertThat(byId("reply-send").isDisplayed()).isFalse();
        chrome.screenshot("22-reply-limit");
        assertAccessible("reply limit");
      }
      if (c.getKey().status() == 401 || c.getKey().status() == 409) {
        assertThat(byId("reply-send").isDisplayed()).as(status).isFalse();
      } else {
        assertThat(byId("reply-send").isEnabled()).as(status + ": can try again").isTrue();
      }
      shot++;
    }
    assertThat(shot).isEqualTo(4);
  }

  @Test
  void aReceiptNotForWhatWasSent_isSaidSo_andTheReplyStillCountsAsSent() throws Exception {
    TestSealer.Sealed s = envelope();
    api.serve(s).offerReply(jwks(ecReplyKey), 5, MAX_BYTES);
    signedReceipts(s);
    ECKey tenantKey = receiptKey;
    // The server signs, with the tenant's published key, for a manifest one byte off the one sent.
    api.receiptSigner(
        (e, r, id, received, parts) -> {
          List<FakeOpenApi.Part> changed = new ArrayList<>(parts);
          FakeOpenApi.Part m = parts.get(1);
          byte[] body = m.body().clone();
          body[body.length / 2] ^= 1;
          changed.set(1, new FakeOpenApi.Part(m.name(), m.filename(), m.contentType(), body));
          return signReceipt(e, r, id, received, changed);
        });
    openMessage(s);
    waitVisible("reply");
    byId("reply-message").sendKeys("Is this receipt mine?");
    byId("reply-send").click();
    assertThat(waitVisible("reply-receipt", 60).getText()).startsWith("Your reply was sent");
    String notMatching =
        "The server's receipt does not match what you sent. Keep the reference above and tell"
            + " Acme Insurance (acme).";
    assertThat(receiptCheck()).containsExactly("bad", notMatching);
    assertThat(byId("reply-remaining").getText()).isEqualTo("You can send 4 more replies.");
    assertAccessible("receipt not matching");

    // Right digests, but signed by a key the tenant does not publish: no better.
    receiptKey = new ECKeyGenerator(Curve.P_256).keyID(s.tenant() + ".3").generate();
    api.receiptSigner(this::signReceipt);
    byId("reply-message").sendKeys("And this one?");
    byId("reply-send").click();
    waitVisible("reply-receipt", 60);
    assertThat(receiptCheck()).containsExactly("bad", notMatching);

    // A key another tenant publishes, signing in that tenant's name: not this envelope's tenant.
    ECKey otherTenants = new ECKeyGenerator(Curve.P_256).keyID("globex.1").generate();
    api.alsoPublish(otherTenants);
    receiptKey = otherTenants;
    receiptTenant = "globex";
    byId("reply-message").sendKeys("And from another tenant?");
    byId("reply-send").click();
    waitVisible("reply-receipt", 60);
    assertThat(receiptCheck()).containsExactly("bad", notMatching);

    // The tenant's own key, right digests, but a time other than the one the 201 showed.
    receiptKey = tenantKey;
    receiptTenant = s.tenant();
    api.receiptSigner(
        (e, r, id, received, parts) -> signReceipt(e, r, id, "2020-01-01T00:00:00Z", parts));
    byId("reply-message").sendKeys("And at another time?");
    byId("reply-send").click();
    waitVisible("reply-receipt", 60);
    assertThat(receiptCheck()).containsExactly("bad", notMatching);

    // The published keys cannot be fetched: not checked, and said so; the reply was still sent.
    api.receiptSigner(this::signReceipt).jwksUnavailable();
    byId("reply-message").sendKeys("And with the keys away?");
    byId("reply-send").click();
    waitVisible("reply-receipt", 60);
    assertThat(receiptCheck())
        .containsExactly(
            "unchecked",
            "The server's receipt could not be checked right now; your reply was sent.");
    assertThat(api.replyUploads()).hasSize(5);
    assertNoCspViolation();
  }

  @Test
  void networkFailure_isNotClaimedSent_andSendingAgainWorks() throws Exception {
    TestSealer.Sealed s = envelope();
    api.serve(s).offerReply(jwks(rsaReplyKey), 3, MAX_BYTES);
    signedReceipts(s);
    openMessage(s);
    waitVisible("reply");
    byId("reply-message").sendKeys("Hello");
    chrome.driver.executeCdpCommand("Network.enable", Map.of());
    chrome.driver.executeCdpCommand(
        "Network.emulateNetworkConditions",
        Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    try {
      byId("reply-send").click();
      WebElement error = waitVisible("reply-error");
      assertThat(error.getText())
          .isEqualTo(
              "We could not reach the service, so we cannot confirm that your reply was sent."
                  + " Check your connection and try again.");
      assertThat(byId("reply-receipt").isDisplayed()).isFalse();
      assertThat(api.replyUploads()).isEmpty();
    } finally {
      chrome.driver.executeCdpCommand(
          "Network.emulateNetworkConditions",
          Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
      chrome.driver.executeCdpCommand("Network.disable", Map.of());
    }
    byId("reply-send").click();
    waitVisible("reply-receipt");
    assertThat(byId("reply-error").isDisplayed()).isFalse();
    assertThat(api.replyUploads()).hasSize(1);
  }

  @Test
  void emptyOrTooLargeReplies_areRefusedInThePage_andSendNothing_inSpanishToo() throws Exception {
    Path big = files.resolve("scan.bin");
    Files.write(big, TestSealer.random(5000));
    TestSealer.Sealed s = envelope();
    api.serve(s).offerReply(jwks(rsaReplyKey, ecReplyKey), 2, 4000);
    openMessage(s);
    waitVisible("reply");
    byId("reply-send").click();
    assertThat(waitVisible("reply-error").getText()).isEqualTo("Write a message or attach a file.");
    byId("reply-files").sendKeys(big.toString());
    byId("reply-send").click();
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(d -> byId("reply-error").getText().startsWith("Your reply is too large"));
    assertThat(byId("reply-error").getText())
        .isEqualTo(
            "Your reply is too large: message and files together can be at most 4 kB."
                + " Nothing was sent.");
    assertThat(api.replyUploads()).isEmpty();
    new Select(byId("lang-select")).selectByValue("es");
    assertThat(byId("reply-title").getText()).isEqualTo("Responder de forma segura");
    assertThat(byId("reply-remaining").getText()).isEqualTo("Puede enviar 2 respuestas más.");
    assertThat(byId("reply-error").getText()).startsWith("Su respuesta es demasiado grande");
    new Select(byId("lang-select")).selectByValue("fr");
    assertThat(byId("reply-send").getText()).isEqualTo("Chiffrer et envoyer");
    chrome.screenshot("23-reply-too-large-fr");
    new Select(byId("lang-select")).selectByValue("en");

    // A file that is gone by the time it is read (moved or deleted after it was chosen).
    Path gone = files.resolve("moved away.txt");
    Files.write(gone, TestSealer.random(1000));
    openMessage(s);
    waitVisible("reply");
    byId("reply-files").sendKeys(gone.toString());
    Files.delete(gone);
    byId("reply-send").click();
    new WebDriverWait(chrome.driver, Duration.ofSeconds(10))
        .until(d -> byId("reply-error").getText().startsWith("The file"));
    assertThat(byId("reply-error").getText())
        .isEqualTo(
            "The file moved away.txt could not be read: it may have been moved or changed."
                + " Choose it again. Nothing was sent.");
    assertThat(api.replyUploads()).isEmpty();
  }

  @Test
  void noReplyOffered_noSection_andDoubtfulKeys_noSection() throws Exception {
    TestSealer.Sealed s = envelope();
    api.serve(s);
    openMessage(s);
    assertThat(byId("reply").isDisplayed()).isFalse();

    // A private member in a "public" reply key: the page offers no reply rather than use it.
    Map<String, Object> leaked =
        new LinkedHashMap<>(Map.of("keys", List.of(ecReplyKey.toJSONObject())));
    api.serve(s).offerReply(leaked, 3, MAX_BYTES);
    openMessage(s);
    assertThat(byId("reply").isDisplayed()).isFalse();
    // RSA below 2048 bits: refused too.
    RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").generate();
    api.serve(s).offerReply(jwks(small), 3, MAX_BYTES);
    openMessage(s);
    assertThat(byId("reply").isDisplayed()).isFalse();
  }

  // ---- helpers ----

  private TestSealer.Sealed envelope() {
    return SdkEnvelopes.seal(
        "Acme Insurance",
        "acme",
        "Your claim",
        "Please send us the signed claim form.",
        Instant.parse("2030-01-31T12:00:00Z"),
        List.of(
            new SdkEnvelopes.File(
                "form.txt", "text/plain", "the form".getBytes(StandardCharsets.UTF_8))));
  }

  private static Map<String, Object> jwks(JWK... keys) {
    List<Object> list = new ArrayList<>();
    for (JWK k : keys) {
      list.add(k.toPublicJWK().toJSONObject());
    }
    return Map.of("keys", list);
  }

  private void openMessage(TestSealer.Sealed s) {
    chrome.driver.get(
        "about:blank"); // the same link again must load the page, not just its fragment
    chrome.driver.get(api.baseUrl() + s.link());
    waitVisible("start-continue").click();
    waitVisible("screen-code");
    WebElement input = byId("code-input");
    input.clear();
    input.sendKeys("123456");
    byId("code-submit").click();
    waitVisible("screen-message");
  }

  private WebElement waitVisible(String id) {
    return waitVisible(id, 20);
  }

  private WebElement waitVisible(String id, int seconds) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(seconds))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() ? e : null;
            });
  }

  private WebElement byId(String id) {
    return chrome.driver.findElement(By.id(id));
  }

  private void assertAccessible(String screen) {
    assertThat(chrome.seriousAxeViolations(axeSource)).as("axe on " + screen).isEmpty();
  }

  private void assertNoCspViolation() {
    assertThat(chrome.console())
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
  }

  /** Records every value the progress bar shows while the page says it is sending. */
  private void recordProgress() {
    chrome.driver.executeScript(
        "window.__replyProgress = [];"
            + "const bar = document.getElementById('reply-progress');"
            + "new MutationObserver(() => {"
            + "  const t = document.getElementById('reply-progress-text').dataset.i18n;"
            + "  window.__replyProgress.push([t, bar.value]);"
            + "}).observe(bar, {attributes: true});");
  }

  @SuppressWarnings("unchecked")
  private List<Double> uploadProgress() {
    List<List<Object>> seen =
        (List<List<Object>>) chrome.driver.executeScript("return window.__replyProgress;");
    return seen.stream()
        .filter(e -> "reply.uploading".equals(e.get(0)))
        .map(e -> ((Number) e.get(1)).doubleValue())
        .toList();
  }

  /**
   * REPLY-WIRE.md "The reply JWE": exact protected header, {alg, kid} (+ epk) per key, nothing
   * else.
   */
  private static void assertReplyJweShape(String doc, List<JWK> keys) throws Exception {
    Map<String, Object> jwe = JSONObjectUtils.parse(doc);
    assertThat(jwe).containsOnlyKeys("protected", "recipients", "iv", "ciphertext", "tag");
    assertThat(new String(B64U.decode((String) jwe.get("protected")), StandardCharsets.UTF_8))
        .isEqualTo("{\"cty\":\"sealpost-reply+json\",\"enc\":\"A256GCM\"}");
    List<?> recipients = (List<?>) jwe.get("recipients");
    assertThat(recipients).hasSize(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      Map<String, Object> entry = (Map<String, Object>) recipients.get(i);
      assertThat(entry.keySet()).containsExactlyInAnyOrder("header", "encrypted_key");
      Map<String, Object> header = (Map<String, Object>) entry.get("header");
      assertThat(header.get("kid")).isEqualTo(keys.get(i).getKeyID());
      if (keys.get(i) instanceof ECKey) {
        assertThat(header.keySet()).containsExactlyInAnyOrder("alg", "kid", "epk");
        assertThat(header.get("alg")).isEqualTo("ECDH-ES+A256KW");
        assertThat(((Map<String, Object>) header.get("epk")).keySet())
            .containsExactlyInAnyOrder("kty", "crv", "x", "y");
      } else {
        assertThat(header.keySet()).containsExactlyInAnyOrder("alg", "kid");
        assertThat(header.get("alg")).isEqualTo("RSA-OAEP-256");
        assertThat(B64U.decode((String) entry.get("encrypted_key"))).hasSize(256);
      }
    }
  }

  /**
   * Nimbus's decrypter opens this key's entry: effective header = protected + the entry's header,
   * AAD = ASCII(protected) as it appears in the document (RFC 7516 section 5.2).
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> openManifest(String doc, JWK key) throws Exception {
    Map<String, Object> general = JSONObjectUtils.parse(doc);
    Map<String, Object> entry =
        ((List<Map<String, Object>>) general.get("recipients"))
            .stream()
                .filter(r -> key.getKeyID().equals(((Map<?, ?>) r.get("header")).get("kid")))
                .findFirst()
                .orElseThrow();
    String protectedB64 = (String) general.get("protected");
    Map<String, Object> merged =
        new LinkedHashMap<>(
            JSONObjectUtils.parse(new String(B64U.decode(protectedB64), StandardCharsets.UTF_8)));
    merged.putAll((Map<String, Object>) entry.get("header"));
    JWEHeader header = JWEHeader.parse(merged);
    assertThat(header.getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
    assertThat(header.getAlgorithm()).isIn(JWEAlgorithm.RSA_OAEP_256, JWEAlgorithm.ECDH_ES_A256KW);
    JWEDecrypter decrypter =
        key instanceof RSAKey rsa ? new RSADecrypter(rsa) : new ECDHDecrypter((ECKey) key);
    byte[] plain =
        decrypter.decrypt(
            header,
            new Base64URL((String) entry.get("encrypted_key")),
            new Base64URL((String) general.get("iv")),
            new Base64URL((String) general.get("ciphertext")),
            new Base64URL((String) general.get("tag")),
            protectedB64.getBytes(StandardCharsets.US_ASCII));
    return JSONObjectUtils.parse(new String(plain, StandardCharsets.UTF_8));
  }

  /** STREAM (FORMAT.md section 6) with the reply id in the AAD, opened with the JDK's AES-GCM. */
  static byte[] openStream(byte[] object, Map<?, ?> att, String replyId) throws Exception {
    byte[] key = B64U.decode((String) att.get("key"));
    byte[] prefix = B64U.decode((String) att.get("noncePrefix"));
    int chunkSize = ((Number) att.get("chunkSize")).intValue();
    byte[] header = Arrays.copyOf(object, 8);
    assertThat(new String(header, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("SPA1");
    assertThat(ByteBuffer.wrap(header, 4, 4).getInt()).isEqualTo(chunkSize);
    byte[] aad =
        TestSealer.concat(header, TestSealer.u16(replyId), TestSealer.u16((String) att.get("id")));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int pos = 8;
    for (int counter = 0; ; counter++) {
      int left = object.length - pos;
      boolean last = left <= chunkSize + 16;
      int len = last ? left : chunkSize + 16;
      byte[] nonce =
          ByteBuffer.allocate(12).put(prefix).putInt(counter).put((byte) (last ? 1 : 0)).array();
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      out.writeBytes(c.doFinal(object, pos, len));
      pos += len;
      if (last) {
        break;
      }
    }
    byte[] plain = out.toByteArray();
    assertThat((long) plain.length).isEqualTo(((Number) att.get("size")).longValue());
    assertThat(B64E.encodeToString(sha256(plain))).isEqualTo(att.get("sha256"));
    return plain;
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  /**
   * Receipts signed as the server signs them: by a second key of the envelope's tenant ({@code
   * <tenant>.2}), published in the JWKS beside the manifest's key.
   */
  private void signedReceipts(TestSealer.Sealed s) throws Exception {
    receiptTenant = s.tenant();
    receiptKey = new ECKeyGenerator(Curve.P_256).keyID(s.tenant() + ".2").generate();
    api.alsoPublish(receiptKey).receiptSigner(this::signReceipt);
  }

  /** What the page says of the receipt once it has checked it: its state and its sentence. */
  private String[] receiptCheck() {
    WebElement line = waitVisible("reply-receipt-check", 30);
    new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
        .until(d -> !"checking".equals(line.getDomAttribute("data-state")));
    return new String[] {line.getDomAttribute("data-state"), line.getText()};
  }

  /** The receipt as REPLY-WIRE.md "The receipt" describes it, signed with a tenant key. */
  private String signReceipt(
      String envelopeId, String recipientId, String replyId, String received, List<Part> parts) {
    try {
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("sha256", B64E.encodeToString(sha256(parts.get(1).body())));
      manifest.put("size", (long) parts.get(1).body().length);
      List<Object> atts = new ArrayList<>();
      for (Part p : parts.subList(2, parts.size())) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", p.filename());
        a.put("sha256", B64E.encodeToString(sha256(p.body())));
        a.put("size", (long) p.body().length);
        atts.add(a);
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("v", 1L);
      payload.put("tenant", receiptTenant);
      payload.put("envelopeId", envelopeId);
      payload.put("recipientId", recipientId);
      payload.put("replyId", replyId);
      payload.put("received", received);
      payload.put("manifest", manifest);
      payload.put("attachments", atts);
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(receiptKey.getKeyID())
                  .type(new JOSEObjectType("sealpost-reply-receipt+jws"))
                  .build(),
              new Payload(JSONObjectUtils.toJSONString(payload)));
      jws.sign(new ECDSASigner(receiptKey));
      return jws.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
