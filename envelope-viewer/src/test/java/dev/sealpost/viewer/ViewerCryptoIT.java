package dev.sealpost.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.viewer.TestSealer.FinalChunk;
import dev.sealpost.viewer.TestSealer.LinkCrypto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Runs the viewer's own crypto modules (js/crypto.js, js/stream.js, js/envelope.js, bundled into a
 * test harness) in real headless Chromium and checks them against Java.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerCryptoIT {

  private FakeOpenApi api;
  private Chromium chrome;

  @BeforeAll
  void start() throws Exception {
    api = new FakeOpenApi(Path.of(System.getProperty("viewer.testRoot", "target/viewer-test")));
    chrome = new Chromium();
    chrome.driver.get(api.baseUrl() + "/test/harness.html");
    new WebDriverWait(chrome.driver, Duration.ofSeconds(20))
        .until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
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

  @SuppressWarnings("unchecked")
  private Map<String, Object> call(String function, Object... args) {
    Object result =
        chrome.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "const args = Array.prototype.slice.call(arguments, 1, arguments.length - 1);"
                + "window.sealpostHarness[arguments[0]](...args)"
                + ".then(done, e => done({ok: false, error: String(e)}));",
            Stream.concat(Stream.of(function), Arrays.stream(args)).toArray());
    return (Map<String, Object>) result;
  }

  private static String b64u(byte[] b) {
    return TestSealer.B64U.encodeToString(b);
  }

  @Test
  void linkTokenAndShare_matchJavaHkdf() {
    for (int i = 0; i < 5; i++) {
      byte[] secret = TestSealer.random(32);
      Map<String, Object> r = call("derive", b64u(secret));
      assertThat(r).containsEntry("ok", true);
      assertThat(r.get("token")).isEqualTo(b64u(LinkCrypto.token(secret)));
      assertThat(r.get("linkShare")).isEqualTo(b64u(LinkCrypto.linkShare(secret)));
      assertThat(r.get("token")).isNotEqualTo(r.get("linkShare"));
    }
  }

  @Test
  void linkTokenAndShare_matchSdkLinkSecret() {
    for (int i = 0; i < 3; i++) {
      LinkSecret secret = LinkSecret.generate();
      Map<String, Object> r = call("derive", secret.toBase64Url());
      assertThat(r.get("token")).isEqualTo(secret.tokenBase64Url());
      assertThat(r.get("linkShare")).isEqualTo(b64u(secret.linkShare()));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void sdkSealedLinkEnvelope_decryptsVerifiesAndStreamsAttachments() throws Exception {
    int c = TestSealer.CHUNK_SIZE;
    List<SdkEnvelopes.File> files =
        List.of(
            new SdkEnvelopes.File("empty.txt", "text/plain", new byte[0]),
            new SdkEnvelopes.File(
                "one-chunk.bin", "application/octet-stream", TestSealer.random(c)),
            new SdkEnvelopes.File("scan.pdf", "application/pdf", TestSealer.random(3 * c + 1234)));
    TestSealer.Sealed s =
        SdkEnvelopes.seal(
            "Acme Insurance",
            "Vos documents",
            "Bonjour,\nvoici votre police.",
            Instant.parse("2031-01-01T00:00:00Z"),
            files);
    Map<String, Object> r = open(s, s.serverShare());
    assertThat(r).containsEntry("ok", true);
    Map<String, Object> m = (Map<String, Object>) r.get("manifest");
    assertThat(m)
        .containsEntry("envelopeId", s.envelopeId())
        .containsEntry("tenant", s.tenant())
        .containsEntry("organisation", "Acme Insurance")
        .containsEntry("subject", "Vos documents")
        .containsEntry("message", "Bonjour,\nvoici votre police.")
        .containsEntry("expires", "2031-01-01T00:00:00.000Z");
    List<Map<String, Object>> atts = (List<Map<String, Object>>) m.get("attachments");
    assertThat(atts).hasSize(3);
    for (Map<String, Object> att : atts) {
      TestSealer.Attachment a = s.attachment((String) att.get("id"));
      assertThat(att.get("name")).isEqualTo(a.name());
      String url = api.putBlob("sdk-" + a.id(), a.ciphertext());
      Map<String, Object> d =
          call("attachment", url, JSONObjectUtils.toJSONString(att), s.envelopeId());
      assertThat(d).as(a.name()).containsEntry("ok", true);
      assertThat(((Number) d.get("size")).intValue()).isEqualTo(a.plaintext().length);
      assertThat(d.get("sha256"))
          .isEqualTo(b64u(MessageDigest.getInstance("SHA-256").digest(a.plaintext())));

      byte[] flipped = a.ciphertext().clone();
      flipped[flipped.length - 1] ^= 0x01;
      Map<String, Object> bad =
          call(
              "attachment",
              api.putBlob("sdk-flipped-" + a.id(), flipped),
              JSONObjectUtils.toJSONString(att),
              s.envelopeId());
      assertThat(bad).as(a.name() + " flipped").containsEntry("ok", false);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void organisation_isDisplayNameBesideUniqueName_andABadUniqueNameIsIgnored() {
    Map<String, String> cases =
        Map.of(
            "acme", "Acme Insurance (acme)",
            "ACME (evil)", "Acme Insurance",
            "Acme Insurance", "Acme Insurance");
    cases.forEach(
        (unique, shown) -> {
          TestSealer.Sealed s =
              SdkEnvelopes.seal("Acme Insurance", unique, "s", "m", null, List.of());
          Map<String, Object> r = open(s, s.serverShare());
          assertThat(r).as(unique).containsEntry("ok", true);
          assertThat((Map<String, Object>) r.get("manifest"))
              .as(unique)
              .containsEntry("organisation", shown);
        });
  }

  @Test
  void sdkSealedEnvelope_withImpostorJwks_isRefused() throws Exception {
    TestSealer.Sealed s = SdkEnvelopes.seal("Acme", "s", "m", null, List.of());
    String impostor =
        TestSealer.jwks(
            new ECKeyGenerator(Curve.P_256).keyID(s.tenant() + ".1").generate().toPublicJWK(),
            "Acme");
    Map<String, Object> r =
        call(
            "open",
            s.flattenedJwe(),
            s.linkSecret(),
            b64u(s.serverShare()),
            s.envelopeId(),
            impostor,
            s.recipientId());
    assertThat(r).containsEntry("ok", false).containsEntry("error", "SignatureError");
  }

  @Test
  void linkEnvelope_decryptsAndVerifies_withNonExtractableKek() {
    TestSealer.Sealed s =
        TestSealer.forTenant("acme-insurance")
            .subject("Ihre Police · política · 保険")
            .message("Line one\n<script>alert(1)</script>\nLine three")
            .attach(
                "policy.pdf", "application/pdf", "%PDF-1.7 test".getBytes(StandardCharsets.UTF_8))
            .seal();
    Map<String, Object> r = open(s, s.serverShare());
    assertThat(r).containsEntry("ok", true);
    assertThat(r.get("kekExtractable")).isEqualTo(false);
    assertThat(r.get("kekUsages")).isEqualTo(List.of("unwrapKey"));
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) r.get("manifest");
    assertThat(m)
        .containsEntry("envelopeId", s.envelopeId())
        .containsEntry("tenant", "acme-insurance")
        .containsEntry("subject", s.subject())
        .containsEntry("message", s.message())
        .containsEntry("created", "2026-11-29T09:30:00.000Z");
    assertThat((List<?>) m.get("attachments")).hasSize(1);
  }

  private Map<String, Object> open(TestSealer.Sealed s, byte[] serverShare) {
    return call(
        "open",
        s.flattenedJwe(),
        s.linkSecret(),
        b64u(serverShare),
        s.envelopeId(),
        s.jwksJson(),
        s.recipientId());
  }

  static Stream<Arguments> sizes() {
    int c = TestSealer.CHUNK_SIZE;
    return Stream.of(0, 1, c - 1, c, c + 1, 2 * c, 3 * c + 17)
        .flatMap(n -> Stream.of(FinalChunk.values()).map(f -> Arguments.of(n, f)));
  }

  @ParameterizedTest(name = "{0} bytes, {1}")
  @MethodSource("sizes")
  void attachment_decryptsStreamed_withMatchingSha256(int size, FinalChunk convention)
      throws Exception {
    byte[] plain = TestSealer.random(size);
    TestSealer.Sealed s =
        TestSealer.forTenant("acme")
            .finalChunk(convention)
            .attach("a.bin", "application/octet-stream", plain)
            .seal();
    TestSealer.Attachment a = s.attachments().get(0);
    String url = api.putBlob(a.id(), a.ciphertext());
    Map<String, Object> r = call("attachment", url, a.json(), s.envelopeId());
    assertThat(r).containsEntry("ok", true);
    assertThat(((Number) r.get("size")).intValue()).isEqualTo(size);
    assertThat(r.get("sha256")).isEqualTo(b64u(MessageDigest.getInstance("SHA-256").digest(plain)));
  }

  @Test
  void largeAttachment_streamsChunkByChunk() throws Exception {
    byte[] plain = TestSealer.random(24 * 1024 * 1024);
    TestSealer.Sealed s =
        TestSealer.forTenant("acme").attach("big.bin", "application/octet-stream", plain).seal();
    TestSealer.Attachment a = s.attachments().get(0);
    Map<String, Object> r =
        call("attachment", api.putBlob("big-" + a.id(), a.ciphertext()), a.json(), s.envelopeId());
    assertThat(r).containsEntry("ok", true);
    assertThat(((Number) r.get("size")).intValue()).isEqualTo(plain.length);
    assertThat(((Number) r.get("progressCalls")).intValue()).isEqualTo(384);
    assertThat(r.get("sha256")).isEqualTo(b64u(MessageDigest.getInstance("SHA-256").digest(plain)));
  }

  @Test
  void tamperedAttachment_isRefused_whereverTheFlipIs() {
    int c = TestSealer.CHUNK_SIZE;
    byte[] plain = TestSealer.random(2 * c + 100);
    TestSealer.Sealed s =
        TestSealer.forTenant("acme").attach("a.bin", "application/octet-stream", plain).seal();
    TestSealer.Attachment a = s.attachments().get(0);
    byte[] ct = a.ciphertext();
    int sealed = c + 16;
    Map<String, byte[]> variants = new java.util.LinkedHashMap<>();
    for (int pos :
        new int[] {
          0, 5, 8, 8 + 1000, 8 + sealed - 1, 8 + sealed + 7, ct.length - 20, ct.length - 1
        }) {
      byte[] v = ct.clone();
      v[pos] ^= 0x01;
      variants.put("flip@" + pos, v);
    }
    variants.put("final chunk dropped", Arrays.copyOf(ct, 8 + 2 * sealed));
    variants.put("cut mid-chunk", Arrays.copyOf(ct, 8 + sealed + 100));
    variants.put("header only", Arrays.copyOf(ct, 8));
    variants.put("empty", new byte[0]);
    variants.put("byte appended", Arrays.copyOf(ct, ct.length + 1));
    byte[] swapped = ct.clone();
    System.arraycopy(ct, 8, swapped, 8 + sealed, sealed);
    System.arraycopy(ct, 8 + sealed, swapped, 8, sealed);
    variants.put("chunks swapped", swapped);
    byte[] dupFirst =
        TestSealer.concat(Arrays.copyOf(ct, 8 + sealed), Arrays.copyOfRange(ct, 8, ct.length));
    variants.put("first chunk repeated", dupFirst);

    variants.forEach(
        (name, bytes) -> {
          String url = api.putBlob(a.id() + "-" + name.hashCode(), bytes);
          Map<String, Object> r = call("attachment", url, a.json(), s.envelopeId());
          assertThat(r).as(name).containsEntry("ok", false);
          assertThat((String) r.get("error"))
              .as(name)
              .isIn("IntegrityError", "MalformedEnvelopeError");
        });
  }

  @Test
  void attachmentOfAnotherEnvelope_isRefused() {
    TestSealer.Sealed s =
        TestSealer.forTenant("acme").attach("a.bin", "text/plain", new byte[10]).seal();
    TestSealer.Attachment a = s.attachments().get(0);
    Map<String, Object> r =
        call(
            "attachment",
            api.putBlob("other-" + a.id(), a.ciphertext()),
            a.json(),
            "another-envelope");
    assertThat(r).containsEntry("ok", false).containsEntry("error", "IntegrityError");
  }

  @Test
  void signatureByAnotherKey_isRefused() {
    TestSealer.Sealed s = TestSealer.forTenant("acme").publishImpostorKey().seal();
    assertThat(open(s, s.serverShare()))
        .containsEntry("ok", false)
        .containsEntry("error", "SignatureError");
  }

  @Test
  void signerOfAnotherTenant_isRefused() {
    TestSealer.Sealed s = TestSealer.forTenantWithKid("acme", "globex.1").seal();
    assertThat(open(s, s.serverShare()))
        .containsEntry("ok", false)
        .containsEntry("error", "SignatureError");
  }

  @Test
  void entryOfAnotherRecipient_isRefused() {
    TestSealer.Sealed s = TestSealer.forTenant("acme").seal();
    Map<String, Object> r =
        call(
            "open",
            s.flattenedJwe(),
            s.linkSecret(),
            b64u(s.serverShare()),
            s.envelopeId(),
            s.jwksJson(),
            "another-recipient");
    assertThat(r).containsEntry("ok", false).containsEntry("error", "NoRecipientError");
  }

  @Test
  void wrongServerShare_cannotDecrypt() {
    TestSealer.Sealed s = TestSealer.forTenant("acme").seal();
    assertThat(open(s, TestSealer.random(32)))
        .containsEntry("ok", false)
        .containsEntry("error", "IntegrityError");
  }

  @Test
  void tamperedManifestJwe_isRefused() {
    TestSealer.Sealed s = TestSealer.forTenant("acme").seal();
    for (String member : List.of("ciphertext", "tag", "iv", "encrypted_key")) {
      String jwe = flipFirstChar(s.flattenedJwe(), member);
      Map<String, Object> r =
          call(
              "open",
              jwe,
              s.linkSecret(),
              b64u(s.serverShare()),
              s.envelopeId(),
              s.jwksJson(),
              s.recipientId());
      assertThat(r).as(member).containsEntry("ok", false);
      assertThat((String) r.get("error"))
          .as(member)
          .isIn("IntegrityError", "MalformedEnvelopeError");
    }
  }

  private static String flipFirstChar(String json, String member) {
    String key = "\"" + member + "\":\"";
    int at = json.indexOf(key) + key.length();
    char c = json.charAt(at);
    char flipped = c == 'A' ? 'B' : 'A';
    return json.substring(0, at) + flipped + json.substring(at + 1);
  }

  @Test
  void fileNames_areSanitised() {
    Map<String, String> cases =
        Map.of(
            "../../etc/passwd", "_.._etc_passwd",
            "report.pdf", "report.pdf",
            "inv\u202Efdp.exe", "invfdp.exe",
            "CON.txt", "_CON.txt",
            "  .hidden  ", "hidden",
            "a\u0000b\nc.txt", "abc.txt",
            "", "attachment",
            "C:\\Users\\x.doc", "C__Users_x.doc");
    cases.forEach(
        (in, expected) -> assertThat(call("sanitize", in).get("name")).as(in).isEqualTo(expected));
  }
}
