package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.BOOTSTRAP_KEY;
import static dev.sealpost.api.it.ItSupport.assertProblem;
import static dev.sealpost.api.it.ItSupport.get;
import static dev.sealpost.api.it.ItSupport.json;
import static dev.sealpost.api.it.ItSupport.patchJson;
import static dev.sealpost.api.it.ItSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.OpenedReply;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.ReplyOpener;
import dev.sealpost.envelope.TrustedKeys;
import dev.sealpost.viewer.Chromium;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The consumer flow end to end over HTTP against Payara, with GreenMail as the real SMTP server and
 * the real viewer in Debian's headless Chromium.
 *
 * <p>How the server finds GreenMail: this class picks a free port and starts GreenMail on it before
 * Arquillian deploys, and the deployment (the real api.war) gets a {@code
 * META-INF/microprofile-config.properties} with {@code sealpost.mail=smtp}, {@code
 * sealpost.smtp.host/port} and {@code sealpost.smtp.starttls=relaxed} (GreenMail's plain SMTP has
 * no STARTTLS). MicroProfile Config reads it from the application's class loader; Failsafe's
 * environment sets no mail key, so nothing overrides it. Other IT classes keep the outbox mailer.
 * The archive is named ROOT.war so that Payara Micro serves it at the root context, as run.sh does.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@SuppressWarnings("unchecked")
class ConsumerIT {
  private static final int SMTP_PORT = freePort();
  private static final GreenMail MAIL = startMail();
  private static final Pattern LINK =
      Pattern.compile(
          "(https?://[^\\s\"<>]+)/v/([0-9a-f-]{36})/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})");
  private static final Pattern CODE = Pattern.compile("(?m)^\\s*([0-9]{6})\\s*$");

  /** When the running test began: the canary search reads only files written since. */
  private java.time.Instant testStarted;

  @org.junit.jupiter.api.BeforeEach
  void noteStart() {
    testStarted = java.time.Instant.now();
  }

  @Deployment(testable = false)
  static WebArchive deployment() {
    String props =
        "sealpost.mail=smtp\n"
            + "sealpost.smtp.host=127.0.0.1\n"
            + "sealpost.smtp.port="
            + SMTP_PORT
            + "\n"
            + "sealpost.smtp.from=notifications@sealpost.test\n"
            + "sealpost.smtp.starttls=relaxed\n";
    // ROOT.war: Payara Micro deploys it at "/", where the viewer expects to live (its assets and
    // API calls are absolute paths: /v/assets/..., /v1/open/..., /.well-known/jwks.json).
    return ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .merge(ItSupport.war())
        .addClass(ConsumerItResource.class)
        .addAsResource(new StringAsset(props), "META-INF/microprofile-config.properties");
  }

  @ArquillianResource URL base;

  record Tenant(String id, String admin, String sender) {}

  record Link(String envelopeId, String recipientId, String secret, String url) {
    String token() {
      return LinkSecret.fromBase64Url(secret).tokenBase64Url();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GreenMail startMail() {
    GreenMail g = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    g.start();
    return g;
  }

  @AfterAll
  static void stopMail() {
    MAIL.stop();
  }

  private URI api(String path) {
    return URI.create(base.toString()).resolve("v1/" + path);
  }

  private URI root(String path) {
    return URI.create(base.toString()).resolve("/" + path);
  }

  private Tenant newTenant(String displayName) {
    String name = "c-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r =
        postJson(
            api("tenants"),
            BOOTSTRAP_KEY,
            "{\"name\":\"" + name + "\",\"displayName\":" + quote(displayName) + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> t = json(r);
    String admin = (String) t.get("adminKey");
    HttpResponse<String> k =
        postJson(api("api-keys"), admin, "{\"role\":\"SENDER\",\"name\":\"sender\"}");
    assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
    return new Tenant((String) t.get("id"), admin, (String) json(k).get("key"));
  }

  private static String quote(String s) {
    return JSONObjectUtils.toJSONString(Map.of("s", s))
        .replaceFirst("^\\{\"s\":", "")
        .replaceFirst("}$", "");
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Seals for one consumer; answers the create response. */
  private Map<String, Object> seal(
      Tenant t,
      String email,
      String verification,
      String message,
      byte[] attachment,
      boolean notify,
      Integer maxOpens) {
    String body =
        "{\"subject\":\"Your policy documents\",\"message\":"
            + quote(message)
            + ",\"recipients\":[{\"type\":\"consumer\",\"email\":"
            + quote(email)
            + ",\"locale\":\"en\",\"verification\":"
            + verification
            + "}],\"policy\":{\"expiresIn\":\"P7D\""
            + (maxOpens == null ? "" : ",\"maxOpens\":" + maxOpens)
            + "},\"notify\":"
            + notify
            + (attachment == null
                ? ""
                : ",\"attachments\":[{\"name\":\"policy.pdf\",\"contentType\":\"application/pdf\","
                    + "\"data\":\""
                    + Base64.getEncoder().encodeToString(attachment)
                    + "\"}]")
            + "}";
    HttpResponse<String> r = postJson(api("envelopes"), t.sender(), body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private static final String OTP = "{\"method\":\"EMAIL_OTP\"}";

  private Link sealWithLink(Tenant t, String email, String verification, Integer maxOpens) {
    Map<String, Object> created =
        seal(t, email, verification, "hello " + unique(), null, false, maxOpens);
    String url =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link");
    return parseLink(url);
  }

  private static Link parseLink(String text) {
    Matcher m = LINK.matcher(text);
    assertThat(m.find()).as("a link in: " + text.length() + " chars").isTrue();
    return new Link(m.group(2), m.group(3), m.group(4), m.group(0));
  }

  private static List<MimeMessage> mailsTo(String email) {
    List<MimeMessage> out = new ArrayList<>();
    for (MimeMessage m : MAIL.getReceivedMessages()) {
      try {
        for (Address a : m.getAllRecipients()) {
          if (a.toString().contains(email)) {
            out.add(m);
          }
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static List<MimeMessage> awaitMails(String email, int n) {
    for (int i = 0; i < 300; i++) {
      List<MimeMessage> got = mailsTo(email);
      if (got.size() >= n) {
        return got;
      }
      sleep(100);
    }
    throw new AssertionError(
        "expected " + n + " mails to " + email + ", got " + mailsTo(email).size());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The text part and the HTML part of a mail. */
  private static String[] parts(MimeMessage m) {
    try {
      MimeMultipart mp = (MimeMultipart) m.getContent();
      return new String[] {
        (String) mp.getBodyPart(0).getContent(), (String) mp.getBodyPart(1).getContent()
      };
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String raw(MimeMessage m) {
    try {
      var out = new java.io.ByteArrayOutputStream();
      m.writeTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String latestCode(String email, int expectedMails) {
    List<MimeMessage> mails = awaitMails(email, expectedMails);
    Matcher m = CODE.matcher(parts(mails.get(mails.size() - 1))[0]);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private HttpResponse<String> challenge(Link l) {
    return postJson(
        api("open/" + l.envelopeId() + "/" + l.recipientId() + "/challenge"),
        null,
        "{\"token\":\"" + l.token() + "\"}");
  }

  private HttpResponse<String> verify(Link l, String answerField, String answer) {
    return postJson(
        api("open/" + l.envelopeId() + "/" + l.recipientId() + "/verify"),
        null,
        "{\"token\":\""
            + l.token()
            + "\""
            + (answerField == null ? "" : ",\"" + answerField + "\":" + quote(answer))
            + "}");
  }

  @Test
  void notify_sendsExactlyOneMailWithARealLinkAndNoContent_andTheViewerOpensIt() throws Exception {
    Tenant t = newTenant("Acme Insurance");
    String email = "happy-" + unique() + "@example.com";
    String canary = "CANARY-" + UUID.randomUUID();
    byte[] attachment =
        (canary + " attachment bytes " + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    Map<String, Object> created =
        seal(t, email, OTP, "Dear customer, " + canary, attachment, true, null);
    String envelopeId = (String) created.get("id");

    List<MimeMessage> mails = awaitMails(email, 1);
    sleep(2500);
    assertThat(mailsTo(email)).as("exactly one notification").hasSize(1);
    MimeMessage mail = mails.get(0);
    String[] body = parts(mail);
    assertThat(mail.getSubject()).isEqualTo("Your policy documents");
    assertThat(mail.getFrom()[0].toString()).contains("Acme Insurance");
    assertThat(body[0]).contains("Acme Insurance", "never ask for a password");
    assertThat(body[1]).contains("<a href=");
    assertThat(raw(mail)).doesNotContain(canary);
    Link link = parseLink(body[0]);
    assertThat(link.envelopeId()).isEqualTo(envelopeId);
    assertThat(body[1]).contains(link.secret());

    // Loading the page (as a mail scanner would) sends and consumes nothing.
    HttpResponse<String> page =
        get(root("v/" + link.envelopeId() + "/" + link.recipientId()), null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'none'", "frame-ancestors 'none'");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(get(root("v/index.html"), null).statusCode()).isEqualTo(404);
    // The viewer's service worker (large attachments stream to the downloads through it): served
    // as JavaScript under the same headers; its scope answers 204 when no worker took a request.
    HttpResponse<String> worker = get(root("v/sw.js"), null);
    assertThat(worker.statusCode()).isEqualTo(200);
    assertThat(worker.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/javascript");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("worker-src 'self'");
    assertThat(get(root("v/stream/" + link.envelopeId()), null).statusCode()).isEqualTo(204);
    sleep(1500);
    assertThat(mailsTo(email)).hasSize(1);
    assertThat(status(t, envelopeId)).isEqualTo("notified");

    HttpResponse<String> jwks = get(root(".well-known/jwks.json"), null);
    assertThat(jwks.body()).contains("\"tenantName\":\"Acme Insurance\"");

    try (Chromium chrome = new Chromium()) {
      // localhost: WebCrypto exists only in secure contexts, and http://localhost is one
      // (the host address Arquillian gives is not).
      chrome.driver.get(
          "http://localhost:"
              + base.getPort()
              + "/v/"
              + link.envelopeId()
              + "/"
              + link.recipientId()
              + "#"
              + link.secret());
      try {
        waitVisible(chrome, "start-continue").click();
      } catch (RuntimeException e) {
        chrome.screenshot("consumer-it-start");
        throw new AssertionError("viewer did not start; console: " + chrome.console(), e);
      }
      waitVisible(chrome, "screen-code");
      String code = latestCode(email, 2);
      chrome.driver.findElement(By.id("code-input")).sendKeys(code);
      chrome.driver.findElement(By.id("code-submit")).click();
      waitVisible(chrome, "screen-message");
      assertThat(chrome.driver.findElement(By.id("msg-body")).getText()).contains(canary);
      assertThat(chrome.driver.findElement(By.id("seal-title")).getText())
          .contains("Acme Insurance");
      WebElement row = chrome.driver.findElement(By.cssSelector("li[data-attachment-id]"));
      row.findElement(By.className("att-download")).click();
      WebElement save =
          new WebDriverWait(chrome.driver, Duration.ofSeconds(60))
              .until(
                  d -> {
                    WebElement e = row.findElement(By.className("att-save"));
                    return e.isDisplayed() ? e : null;
                  });
      save.click();
      Path file = chrome.downloads.resolve("policy.pdf");
      for (int i = 0;
          i < 200
              && !(Files.isRegularFile(file)
                  && !Files.exists(chrome.downloads.resolve("policy.pdf.crdownload")));
          i++) {
        sleep(100);
      }
      assertThat(Files.readAllBytes(file)).isEqualTo(attachment);
      // The real server's CSP and servlet let the page register its narrowly scoped worker.
      Object registered =
          chrome.driver.executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "navigator.serviceWorker.register('/v/sw.js', {scope: '/v/stream/'})"
                  + ".then(r => done(r.scope), e => done('failed: ' + e));");
      assertThat(String.valueOf(registered)).endsWith("/v/stream/");
    }
    assertThat(status(t, envelopeId)).isEqualTo("opened");
    assertCanaryNowhere(canary, link.secret());
  }

  private static WebElement waitVisible(Chromium chrome, String id) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() ? e : null;
            });
  }

  private String status(Tenant t, String envelopeId) {
    HttpResponse<String> r = get(api("envelopes/" + envelopeId), t.sender());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Map<String, Object>> rs = (List<Map<String, Object>>) json(r).get("recipients");
    return String.valueOf(rs.get(0).get("status"));
  }

  /**
   * The canary is in no file under the data dir, the outbox or the temp dir; the link is not
   * logged. Only files written since this test began are read: the canary and the link are made by
   * the test, so no older file can hold them (a file written to since, such as a log or the
   * database, has a newer modification time). Reading every file under the temp dir instead took
   * most of a minute per call on a machine with a clean clone and its node_modules there.
   */
  private void assertCanaryNowhere(String canary, String linkSecret) throws IOException {
    // A margin for file times from a clock a little behind this JVM's (as EnvelopeIT's).
    java.time.Instant since = testStarted.minusSeconds(120);
    List<String> hits = new ArrayList<>();
    for (Path root :
        List.of(
            Path.of(System.getProperty("sealpost.it.dataDir", "target/it-data")),
            Path.of(System.getProperty("java.io.tmpdir")),
            Path.of("target"))) {
      for (Path f :
          CanarySearch.filesContaining(root, since, canary.getBytes(StandardCharsets.UTF_8))) {
        hits.add("canary in " + f);
      }
      for (Path f :
          CanarySearch.filesContaining(
              root, since, linkSecret.getBytes(StandardCharsets.US_ASCII))) {
        String name = f.toString();
        if (name.endsWith(".log") || name.contains("server")) {
          hits.add("link secret in " + f);
        }
      }
    }
    assertThat(hits).isEmpty();
  }

  @Test
  void wrongCodeFiveTimes_locksRecipient_thenReissueGivesANewLinkAndKillsTheOldOne() {
    Tenant t = newTenant("Lock Mutual");
    // reissue rewraps the content key from the tenant's custody entry
    HttpResponse<String> custody = patchJson(api("tenant"), t.admin(), "{\"custody\":true}");
    assertThat(custody.statusCode()).as(custody.body()).isEqualTo(200);
    String email = "lock-" + unique() + "@example.com";
    Link l = sealWithLink(t, email, OTP, null);
    HttpResponse<String> c = challenge(l);
    assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
    assertThat(json(c)).containsEntry("method", "EMAIL_OTP");
    String code = latestCode(email, 1);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int i = 1; i <= 4; i++) {
      Map<String, Object> p = assertProblem(verify(l, "code", wrong), 401, "wrong-code");
      assertThat(p).containsEntry("remainingAttempts", (long) (5 - i));
    }
    assertProblem(verify(l, "code", wrong), 423, "locked");
    assertProblem(verify(l, "code", code), 423, "locked");
    assertProblem(challenge(l), 423, "locked");

    // Lifting the lock needs an ADMIN key (issue 12): the sealing SENDER is refused.
    assertProblem(reissue(l, t.sender(), false), 403, "lock-needs-admin");
    assertProblem(challenge(l), 423, "locked");
    HttpResponse<String> re = reissue(l, t.admin(), false);
    assertThat(re.statusCode()).as(re.body()).isEqualTo(200);
    Link fresh = parseLink((String) json(re).get("link"));
    assertThat(fresh.secret()).isNotEqualTo(l.secret());
    assertProblem(challenge(l), 404, "not-found");
    assertThat(challenge(fresh).statusCode()).isEqualTo(200);
    String newCode = latestCode(email, 2);
    HttpResponse<String> ok = verify(fresh, "code", newCode);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertProblem(verify(fresh, "code", newCode), 401, "wrong-code"); // single use

    // The rewrapped entry opens with the new link share and the new server share.
    Map<String, Object> v = json(ok);
    HttpResponse<String> manifest =
        ItSupport.send(
            ItSupport.request(
                    api("open/" + fresh.envelopeId() + "/manifest"), (String) v.get("accessToken"))
                .GET());
    assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
    LinkKek kek =
        LinkKek.derive(
            Base64.getUrlDecoder().decode((String) v.get("serverShare")),
            LinkSecret.fromBase64Url(fresh.secret()).linkShare(),
            fresh.envelopeId());
    String jwks = get(root(".well-known/jwks.json"), null).body();
    var opened =
        EnvelopeOpener.builder()
            .trust(TrustedKeys.fromJwksJson(jwks))
            .requireSignerOfManifestTenant()
            .build()
            .open(manifest.body(), RecipientKey.link(fresh.recipientId(), kek), fresh.envelopeId());
    assertThat(opened.manifest().subject()).isEqualTo("Your policy documents");
  }

  private HttpResponse<String> reissue(Link l, String apiKey, boolean notify) {
    return postJson(
        api("envelopes/" + l.envelopeId() + "/recipients/" + l.recipientId() + "/reissue"),
        apiKey,
        "{\"notify\":" + notify + "}");
  }

  /** A new key of the tenant: its id and the key. */
  private String[] newKey(Tenant t, String role) {
    HttpResponse<String> k =
        postJson(api("api-keys"), t.admin(), "{\"role\":\"" + role + "\",\"name\":\"k\"}");
    assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
    return new String[] {(String) json(k).get("id"), (String) json(k).get("key")};
  }

  private Tenant custodyTenant(String name) {
    Tenant t = newTenant(name);
    HttpResponse<String> custody = patchJson(api("tenant"), t.admin(), "{\"custody\":true}");
    assertThat(custody.statusCode()).as(custody.body()).isEqualTo(200);
    return t;
  }

  @Test
  void reissue_onlyBySealingSenderOrAdmin_auditedAsLinkReissued_andBounded() {
    Tenant t = custodyTenant("Reissue Mutual");
    String[] sealer = newKey(t, "SENDER");
    String[] admin = newKey(t, "ADMIN");
    String[] auditor = newKey(t, "AUDITOR");
    Tenant bySealer = new Tenant(t.id(), t.admin(), sealer[1]);
    Link l = sealWithLink(bySealer, "reissue-" + unique() + "@example.com", OTP, null);

    // Another SENDER key of the same tenant (the one newTenant made) may not.
    assertProblem(reissue(l, t.sender(), false), 403, "forbidden");
    assertProblem(reissue(l, auditor[1], false), 403, "forbidden");
    assertThat(challenge(l).statusCode()).as("the link still works").isEqualTo(200);

    HttpResponse<String> byAdmin = reissue(l, admin[1], false);
    assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(200);
    Link second = parseLink((String) json(byAdmin).get("link"));
    assertProblem(challenge(l), 404, "not-found");
    HttpResponse<String> bySender = reissue(second, sealer[1], false);
    assertThat(bySender.statusCode()).as(bySender.body()).isEqualTo(200);
    Link third = parseLink((String) json(bySender).get("link"));
    HttpResponse<String> mailed = reissue(third, sealer[1], true);
    assertThat(mailed.statusCode()).as(mailed.body()).isEqualTo(200);
    assertThat(json(mailed).get("link")).isNull();

    // sealpost.open.max-reissues (3): the 4th is refused, to an ADMIN too.
    assertProblem(reissue(third, sealer[1], false), 409, "reissue-limit");
    assertProblem(reissue(third, admin[1], false), 409, "reissue-limit");

    HttpResponse<String> events =
        get(api("audit/events?type=LINK_REISSUED&envelope=" + l.envelopeId()), auditor[1]);
    assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
    List<Map<String, Object>> items = (List<Map<String, Object>>) json(events).get("items");
    assertThat(items)
        .extracting(e -> e.get("actor"))
        .containsExactly("api-key:" + admin[0], "api-key:" + sealer[0], "api-key:" + sealer[0]);
    assertThat(items).allSatisfy(e -> assertThat(e).containsEntry("recipientId", l.recipientId()));
    // Whether a lock was lifted and whether the caller got the link, on the record itself.
    assertThat(items)
        .extracting(e -> ItSupport.withoutRequestId(e.get("detail")))
        .containsExactly(
            "lockLifted: false; link: answered",
            "lockLifted: false; link: answered",
            "lockLifted: false; link: mailed");
  }

  @Test
  void reissue_withoutALock_givesNoNewGuesses() {
    Tenant t = custodyTenant("Guess Assurance");
    Link l =
        sealWithLink(
            t,
            "guess-" + unique() + "@example.com",
            "{\"method\":\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\"}",
            null);
    assertThat(assertProblem(verify(l, "secret", "red-1"), 401, "wrong-secret"))
        .containsEntry("remainingAttempts", 4L);
    assertThat(assertProblem(verify(l, "secret", "red-2"), 401, "wrong-secret"))
        .containsEntry("remainingAttempts", 3L);
    HttpResponse<String> re = reissue(l, t.sender(), false);
    assertThat(re.statusCode()).as(re.body()).isEqualTo(200);
    Link fresh = parseLink((String) json(re).get("link"));
    assertThat(assertProblem(verify(fresh, "secret", "red-3"), 401, "wrong-secret"))
        .containsEntry("remainingAttempts", 2L);
    HttpResponse<String> ok = verify(fresh, "secret", "blue-harbour-42");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void sharedSecret_opensWithoutChallenge_andMailsNothing() {
    Tenant t = newTenant("Secret Assurance");
    String email = "secret-" + unique() + "@example.com";
    Link l =
        sealWithLink(
            t,
            email,
            "{\"method\":\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\",\"hint\":\"the word\"}",
            null);
    Map<String, Object> p = assertProblem(verify(l, "secret", "red-harbour"), 401, "wrong-secret");
    assertThat(p).containsEntry("remainingAttempts", 4L);
    HttpResponse<String> ok = verify(l, "secret", "blue-harbour-42");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    Map<String, Object> v = json(ok);
    assertThat(Base64.getUrlDecoder().decode((String) v.get("serverShare"))).hasSize(32);
    assertThat((String) v.get("accessToken")).matches("[A-Za-z0-9_-]{43}");
    HttpResponse<String> c = challenge(l);
    assertThat(json(c)).containsEntry("method", "SHARED_SECRET").containsEntry("hint", "the word");
    sleep(1500);
    assertThat(mailsTo(email)).isEmpty();

    // The access token reads that recipient's entry only, and nothing without it.
    HttpResponse<String> manifest =
        ItSupport.send(
            ItSupport.request(
                    api("open/" + l.envelopeId() + "/manifest"), (String) v.get("accessToken"))
                .GET());
    assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
    assertThat(manifest.body()).contains("\"kid\":\"" + l.recipientId() + "\"");
    assertThat(get(api("open/" + l.envelopeId() + "/manifest"), null).statusCode()).isEqualTo(401);
    assertThat(get(api("open/" + l.envelopeId() + "/manifest"), "x".repeat(43)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void none_isRefusedUnlessTheTenantAllowsIt() {
    Tenant t = newTenant("None Corp");
    String email = "none-" + unique() + "@example.com";
    HttpResponse<String> refused =
        postJson(
            api("envelopes"),
            t.sender(),
            "{\"subject\":\"S\",\"message\":\"m\",\"recipients\":[{\"type\":\"consumer\",\"email\":"
                + quote(email)
                + ",\"verification\":{\"method\":\"NONE\"}}],\"notify\":false}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    HttpResponse<String> patch =
        patchJson(
            api("tenant"),
            t.admin(),
            "{\"allowedVerificationMethods\":[\"EMAIL_OTP\",\"SHARED_SECRET\",\"NONE\"]}");
    assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
    Link l = sealWithLink(t, email, "{\"method\":\"NONE\"}", null);
    assertThat(json(challenge(l))).containsEntry("method", "NONE");
    assertThat(verify(l, null, null).statusCode()).isEqualTo(200);
    // The tenant turns NONE off again: existing NONE links stop working.
    patchJson(api("tenant"), t.admin(), "{\"allowedVerificationMethods\":[\"EMAIL_OTP\"]}");
    assertProblem(verify(l, null, null), 403, "method-not-allowed");
  }

  @Test
  void maxOpens_isEnforced_andExpiredAndRevokedAreRefused() {
    Tenant t = newTenant("Limits Ltd");
    String secret = "{\"method\":\"SHARED_SECRET\",\"secret\":\"open-sesame\"}";
    Link l = sealWithLink(t, "limits-" + unique() + "@example.com", secret, 2);
    assertThat(verify(l, "secret", "open-sesame").statusCode()).isEqualTo(200);
    assertThat(verify(l, "secret", "open-sesame").statusCode()).isEqualTo(200);
    assertProblem(verify(l, "secret", "open-sesame"), 410, "open-limit");

    Link expired = sealWithLink(t, "exp-" + unique() + "@example.com", secret, null);
    assertThat(postJson(api("it-consumer/expire/" + expired.envelopeId()), null, "").body())
        .isEqualTo("1");
    assertProblem(verify(expired, "secret", "open-sesame"), 410, "expired");

    Link revoked = sealWithLink(t, "rev-" + unique() + "@example.com", secret, null);
    HttpResponse<String> ok = verify(revoked, "secret", "open-sesame");
    String access = (String) json(ok).get("accessToken");
    HttpResponse<String> del =
        ItSupport.send(
            ItSupport.request(api("envelopes/" + revoked.envelopeId()), t.sender()).DELETE());
    assertThat(del.statusCode()).as(del.body()).isIn(200, 204);
    assertProblem(verify(revoked, "secret", "open-sesame"), 410, "revoked");
    HttpResponse<String> m =
        ItSupport.send(
            ItSupport.request(api("open/" + revoked.envelopeId() + "/manifest"), access).GET());
    assertThat(m.statusCode()).isEqualTo(410);

    // An unknown token is a plain 404.
    Link wrongToken =
        new Link(l.envelopeId(), l.recipientId(), LinkSecret.generate().toBase64Url(), l.url());
    assertProblem(verify(wrongToken, "secret", "open-sesame"), 404, "not-found");
  }

  @Test
  void codeRequests_areRateLimited_withRetryAfter() {
    Tenant t = newTenant("Rate Inc");
    String email = "rate-" + unique() + "@example.com";
    Link l = sealWithLink(t, email, OTP, null);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> c = challenge(l);
      assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
    }
    HttpResponse<String> limited = challenge(l);
    assertProblem(limited, 429, "rate-limited");
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    awaitMails(email, 5);
    sleep(1000);
    assertThat(mailsTo(email)).hasSize(5);
  }

  @Test
  void headerInjection_inSubjectOrAddress_isRefused() {
    Tenant t = newTenant("Inject SA");
    HttpResponse<String> r =
        postJson(
            api("envelopes"),
            t.sender(),
            "{\"subject\":\"Hello\\r\\nBcc: evil@example.com\",\"message\":\"m\",\"recipients\":"
                + "[{\"type\":\"consumer\",\"email\":\"a@example.com\",\"verification\":"
                + "{\"method\":\"EMAIL_OTP\"}}],\"notify\":true}");
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 422);
    HttpResponse<String> a =
        postJson(
            api("envelopes"),
            t.sender(),
            "{\"subject\":\"Hello\",\"message\":\"m\",\"recipients\":"
                + "[{\"type\":\"consumer\",\"email\":\"a@example.com\\r\\nBcc: evil@example.com\","
                + "\"verification\":{\"method\":\"EMAIL_OTP\"}}],\"notify\":true}");
    assertThat(a.statusCode()).as(a.body()).isBetween(400, 422);
  }

  // ------------------------------------------------------------------ secure reply (issue 17)

  /**
   * Issue 17's end-to-end: the mailed link opened in Chromium, a reply with a message and a 5 MB
   * file sealed in the page to the tenant's reply key and uploaded; the sender fetches it and opens
   * it byte-identically after checking the server's receipt; the server stored no clear text (the
   * canary is nowhere on disk).
   */
  @Test
  void reply_fromTheViewer_withAFiveMegabyteFile_opensByteIdenticalForTheSender() throws Exception {
    // The browser and the 5 MB upload cost CI time; the database's part of a reply (the count
    // under a lock, the transaction) is the server's reply ITs' on both databases.
    Assumptions.assumeTrue(
        ItSupport.database().equals("h2"), "the reply's browser run is on the H2 pass only");
    Tenant t = newTenant("Reply Mutual");
    RSAKey replyKey = new RSAKeyGenerator(2048).keyID("reply-" + unique()).generate();
    HttpResponse<String> put =
        ItSupport.send(
            ItSupport.request(api("tenant/reply-keys"), t.admin())
                .header("Content-Type", "application/json")
                .PUT(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        JSONObjectUtils.toJSONString(
                            Map.of("keys", List.of(replyKey.toPublicJWK().toJSONObject()))))));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    String email = "reply-" + unique() + "@example.com";
    seal(
        t,
        email,
        "{\"method\":\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\"}",
        "Please send us the signed claim form.",
        null,
        true,
        null);
    Link link = parseLink(parts(awaitMails(email, 1).get(0))[0]);

    String canary = "CANARY-" + UUID.randomUUID();
    String message = "Here is my signed claim form. " + canary;
    byte[] claim = new byte[5 * 1024 * 1024 + 321];
    new java.util.Random(17).nextBytes(claim);
    byte[] fileCanary = canary.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(fileCanary, 0, claim, claim.length / 2, fileCanary.length);
    Path dir = Files.createTempDirectory("sealpost-reply-it");
    Path claimFile = dir.resolve("claim form.pdf");
    Files.write(claimFile, claim);
    String replyId;
    try (Chromium chrome = new Chromium()) {
      openInViewer(chrome, link);
      waitVisible(chrome, "screen-secret");
      chrome.driver.findElement(By.id("secret-input")).sendKeys("blue-harbour-42");
      waitEnabled(chrome, "secret-submit").click();
      waitVisible(chrome, "reply");
      waitText(chrome, "reply-remaining", "You can send 5 more replies.");
      chrome.driver.findElement(By.id("reply-message")).sendKeys(message);
      chrome.driver.findElement(By.id("reply-files")).sendKeys(claimFile.toString());
      chrome.driver.findElement(By.id("reply-send")).click();
      WebElement receipt;
      try {
        receipt =
            new WebDriverWait(chrome.driver, Duration.ofSeconds(120))
                .until(
                    d -> {
                      WebElement e = d.findElement(By.id("reply-receipt"));
                      return e.isDisplayed() ? e : null;
                    });
      } catch (RuntimeException e) {
        chrome.screenshot("consumer-it-reply");
        throw new AssertionError(
            "no receipt; page says: "
                + chrome.driver.findElement(By.id("reply-error")).getText()
                + "; console: "
                + chrome.console(),
            e);
      }
      replyId = receipt.getDomAttribute("data-reply-id");
      assertThat(receipt.getText()).startsWith("Your reply was sent").contains(replyId);
      waitText(chrome, "reply-remaining", "You can send 4 more replies.");
      // The page checked the real server's receipt (its tenant key from the JWKS, the digests of
      // what the page sent) and says it holds.
      WebElement check = chrome.driver.findElement(By.id("reply-receipt-check"));
      new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
          .until(d -> !"checking".equals(check.getDomAttribute("data-state")));
      assertThat(check.getDomAttribute("data-state")).as(check.getText()).isEqualTo("ok");
    } finally {
      Files.delete(claimFile);
    }

    // The sender's side: the listed receipt, the stored manifest and attachment, opened with
    // sdk-java after checking the receipt against the server's published keys.
    HttpResponse<String> list = get(api("envelopes/" + link.envelopeId() + "/replies"), t.sender());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    List<Map<String, Object>> replies = (List<Map<String, Object>>) json(list).get("replies");
    assertThat(replies).hasSize(1);
    Map<String, Object> listed = replies.get(0);
    assertThat(listed.get("replyId")).isEqualTo(replyId);
    assertThat(listed.get("recipientId")).isEqualTo(link.recipientId());
    String replyPath = "envelopes/" + link.envelopeId() + "/replies/" + replyId;
    byte[] manifest = bytes(api(replyPath + "/manifest"), t.sender());
    List<Map<String, Object>> atts = (List<Map<String, Object>>) listed.get("attachments");
    assertThat(atts).hasSize(1);
    String attachmentId = (String) atts.get(0).get("id");
    byte[] stored = bytes(api(replyPath + "/attachments/" + attachmentId), t.sender());
    assertThat(ItSupport.containsBytes(stored, fileCanary)).isFalse();
    assertThat(ItSupport.containsBytes(manifest, fileCanary)).isFalse();
    OpenedReply opened =
        ReplyOpener.builder()
            .trust(TrustedKeys.fromJwksJson(get(root(".well-known/jwks.json"), null).body()))
            .requireSignerOfReceiptTenant()
            .build()
            .open(
                (String) listed.get("receipt"),
                manifest,
                RecipientKey.privateJwk(replyKey),
                link.envelopeId(),
                replyId);
    assertThat(opened.manifest().message()).isEqualTo(message);
    assertThat(opened.manifest().attachments().get(0).name()).isEqualTo("claim form.pdf");
    try (java.io.InputStream in =
        opened.openAttachment(attachmentId, new java.io.ByteArrayInputStream(stored))) {
      assertThat(in.readAllBytes()).isEqualTo(claim);
    }

    // The CLI, as a sender runs it, with the tenant's private reply key: checks the receipt and
    // every part, then writes the message and the file; another key opens nothing.
    Path keyFile = dir.resolve("reply.jwk");
    Files.writeString(keyFile, replyKey.toJSONString());
    Path otherKey = dir.resolve("other.jwk");
    Files.writeString(
        otherKey, new RSAKeyGenerator(2048).keyID(replyKey.getKeyID()).generate().toJSONString());
    Path out = dir.resolve("out");
    Path refused = dir.resolve("refused");
    try {
      Cli fetched =
          cli(
              "replies",
              "fetch",
              link.envelopeId(),
              "--key",
              keyFile.toString(),
              "--out",
              out.toString(),
              "--server",
              ItSupport.viaLoopback(base).toString(),
              "--api-key",
              t.sender());
      assertThat(fetched.exit()).as(fetched.out()).isZero();
      assertThat(Files.readString(out.resolve(replyId).resolve("message.txt"))).isEqualTo(message);
      assertThat(Files.readAllBytes(out.resolve(replyId).resolve("claim form.pdf")))
          .isEqualTo(claim);
      Cli wrongKey =
          cli(
              "replies",
              "fetch",
              link.envelopeId(),
              "--key",
              otherKey.toString(),
              "--out",
              refused.toString(),
              "--server",
              ItSupport.viaLoopback(base).toString(),
              "--api-key",
              t.sender());
      assertThat(wrongKey.exit()).as(wrongKey.out()).isNotZero();
      assertThat(refused.resolve(replyId).resolve("claim form.pdf")).doesNotExist();
    } finally {
      for (Path p : List.of(out, refused)) {
        if (Files.exists(p)) {
          try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        }
      }
      Files.deleteIfExists(keyFile);
      Files.deleteIfExists(otherKey);
    }
    assertCanaryNowhere(canary, link.secret());
  }

  private static byte[] bytes(URI uri, String apiKey) throws Exception {
    HttpResponse<byte[]> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                ItSupport.request(uri, apiKey).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
    return r.body();
  }

  // ------------------------------------------------------------------ the viewer's refusal screens

  private void openInViewer(Chromium chrome, Link l) {
    // localhost: WebCrypto needs a secure context (see the happy path).
    chrome.driver.get(
        "http://localhost:"
            + base.getPort()
            + "/v/"
            + l.envelopeId()
            + "/"
            + l.recipientId()
            + "#"
            + l.secret());
    waitEnabled(chrome, "start-continue").click();
  }

  /** Waits until a button can be pressed (the viewer disables them while a request runs). */
  private static WebElement waitEnabled(Chromium chrome, String id) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
        .until(
            d -> {
              WebElement e = d.findElement(By.id(id));
              return e.isDisplayed() && e.isEnabled() ? e : null;
            });
  }

  private static void enterCode(Chromium chrome, String code) {
    waitEnabled(chrome, "code-submit");
    WebElement input = chrome.driver.findElement(By.id("code-input"));
    input.clear();
    input.sendKeys(code);
    chrome.driver.findElement(By.id("code-submit")).click();
  }

  private static void waitText(Chromium chrome, String id, String text) {
    try {
      new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
          .until(
              d -> {
                WebElement e = d.findElement(By.id(id));
                return e.isDisplayed() && e.getText().equals(text);
              });
    } catch (RuntimeException e) {
      chrome.screenshot("consumer-it-" + id);
      throw new AssertionError(
          "#"
              + id
              + " never read '"
              + text
              + "'; it reads '"
              + chrome.driver.findElement(By.id(id)).getText()
              + "'; console: "
              + chrome.console(),
          e);
    }
  }

  /** The problem screen with this (English) title, and nothing else of the flow on show. */
  private static void assertProblemScreen(Chromium chrome, String title) {
    waitVisible(chrome, "screen-problem");
    waitText(chrome, "problem-title", title);
    assertThat(chrome.driver.findElement(By.id("screen-code")).isDisplayed()).isFalse();
    assertThat(chrome.driver.findElement(By.id("screen-message")).isDisplayed()).isFalse();
  }

  @Test
  void viewer_againstTheRealServer_sharedSecret_attemptsLeft_locked_expired_revoked_opensUsedUp()
      throws Exception {
    Tenant t = newTenant("Screens Mutual");
    String secret = "{\"method\":\"SHARED_SECRET\",\"secret\":\"open-sesame\"}";
    String lockEmail = "screens-lock-" + unique() + "@example.com";
    Link lock = sealWithLink(t, lockEmail, OTP, null);

    Link expired = sealWithLink(t, "screens-exp-" + unique() + "@example.com", secret, null);
    assertThat(postJson(api("it-consumer/expire/" + expired.envelopeId()), null, "").body())
        .isEqualTo("1");

    Link revoked = sealWithLink(t, "screens-rev-" + unique() + "@example.com", secret, null);
    HttpResponse<String> del =
        ItSupport.send(
            ItSupport.request(api("envelopes/" + revoked.envelopeId()), t.sender()).DELETE());
    assertThat(del.statusCode()).as(del.body()).isIn(200, 204);

    // maxOpens 1, opened once (API level): the viewer must say so, and mail no new code.
    String usedEmail = "screens-used-" + unique() + "@example.com";
    Link used = sealWithLink(t, usedEmail, OTP, 1);
    assertThat(challenge(used).statusCode()).isEqualTo(200);
    HttpResponse<String> first = verify(used, "code", latestCode(usedEmail, 1));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

    // SHARED_SECRET, opened in the browser: the sender's hint, a wrong answer, then the message.
    String sharedMessage = "Your premium notice " + unique();
    Link shared =
        parseLink(
            (String)
                ((List<Map<String, Object>>)
                        seal(
                                t,
                                "screens-secret-" + unique() + "@example.com",
                                "{\"method\":\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\","
                                    + "\"hint\":\"The name of our boat\"}",
                                sharedMessage,
                                null,
                                false,
                                null)
                            .get("recipients"))
                    .get(0)
                    .get("link"));

    // One browser for all the screens: each link is a fresh page load in the same session.
    try (Chromium chrome = new Chromium()) {
      openInViewer(chrome, shared);
      waitVisible(chrome, "screen-secret");
      waitText(chrome, "secret-hint", "The name of our boat");
      chrome.driver.findElement(By.id("secret-input")).sendKeys("red-harbour");
      waitEnabled(chrome, "secret-submit").click();
      waitText(chrome, "secret-error", "That answer is not correct. 4 attempts left.");
      WebElement answer = chrome.driver.findElement(By.id("secret-input"));
      answer.clear();
      answer.sendKeys("blue-harbour-42");
      waitEnabled(chrome, "secret-submit").click();
      waitVisible(chrome, "screen-message");
      assertThat(chrome.driver.findElement(By.id("msg-body")).getText()).isEqualTo(sharedMessage);
      assertThat(chrome.driver.findElement(By.id("seal-title")).getText())
          .contains("Screens Mutual");

      openInViewer(chrome, lock);
      waitVisible(chrome, "screen-code");
      String code = latestCode(lockEmail, 1);
      String wrong = code.equals("000000") ? "111111" : "000000";
      for (int left = 4; left >= 1; left--) {
        enterCode(chrome, wrong);
        waitText(
            chrome,
            "code-error",
            "That code is not correct. "
                + (left == 1 ? "1 attempt left." : left + " attempts left."));
      }
      enterCode(chrome, wrong);
      assertProblemScreen(chrome, "This message is locked");
      assertProblem(verify(lock, "code", code), 423, "locked");

      openInViewer(chrome, expired);
      assertProblemScreen(chrome, "This message has expired");

      openInViewer(chrome, revoked);
      assertProblemScreen(chrome, "The sender withdrew this message");

      openInViewer(chrome, used);
      assertProblemScreen(chrome, "This message cannot be opened again");
      assertThat(chrome.driver.findElement(By.id("problem-body")).getText())
          .contains("already been opened as many times as the sender allowed");
    }
    sleep(1000);
    assertThat(mailsTo(usedEmail))
        .as("no code mailed for a message that cannot be opened")
        .hasSize(1);
    assertProblem(challenge(used), 410, "open-limit");
  }

  // ------------------------------------------------------------------ auditor console

  /**
   * Issue 18 end to end: an envelope opened through the real viewer; a SENDER, ADMIN or PARTNER key
   * cannot sign in to the console at /audit/; an AUDITOR finds the envelope, sees its whole
   * timeline, verifies it in the browser (against /.well-known/jwks.json), downloads the bundle,
   * and the CLI verifies that file offline; after one audit row is edited in the database, the
   * console's verify and the CLI both name the edited event. axe on every console screen in en, fr
   * and es.
   */
  @Test
  void auditorConsole_findsTheOpenedEnvelope_verifiesInTheBrowser_andAgreesWithTheCli()
      throws Exception {
    // The console and the audit chain do not depend on the database (AuditIT runs the chain and
    // the evidence on both): one browser run keeps the suite's time down (~60 s per database).
    Assumptions.assumeTrue(
        ItSupport.database().equals("h2"), "the console's browser run is on the H2 pass only");
    Tenant t = newTenant("Console Mutual");
    HttpResponse<String> k =
        postJson(api("api-keys"), t.admin(), "{\"role\":\"AUDITOR\",\"name\":\"auditor\"}");
    assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
    String auditor = (String) json(k).get("key");
    com.nimbusds.jose.jwk.ECKey partnerKey =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
            .keyID("p-1")
            .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
            .generate();
    HttpResponse<String> partner =
        postJson(
            api("partners"),
            t.admin(),
            "{\"name\":\"Reinsurer\",\"jwks\":{\"keys\":["
                + partnerKey.toPublicJWK().toJSONString()
                + "]}}");
    assertThat(partner.statusCode()).as(partner.body()).isEqualTo(201);
    HttpResponse<String> pk =
        postJson(
            api("partners/" + json(partner).get("id") + "/api-keys"),
            t.admin(),
            "{\"name\":\"p\"}");
    assertThat(pk.statusCode()).as(pk.body()).isEqualTo(201);
    String partnerApiKey = (String) json(pk).get("key");
    Link l =
        sealWithLink(
            t,
            "console-" + unique() + "@example.com",
            "{\"method\":\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\"}",
            null);
    HttpResponse<String> page = get(root("audit/"), null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'")
        .doesNotContain("unsafe", "http");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(get(root("audit/index.html"), null).statusCode()).isEqualTo(404);
    Path jwksFile = Files.createTempFile("console-jwks", ".json");
    Files.writeString(jwksFile, get(root(".well-known/jwks.json"), null).body());
    String console = "http://localhost:" + base.getPort() + "/audit/";

    try (Chromium chrome = new Chromium()) {
      openInViewer(chrome, l);
      waitVisible(chrome, "screen-secret");
      chrome.driver.findElement(By.id("secret-input")).sendKeys("blue-harbour-42");
      waitEnabled(chrome, "secret-submit").click();
      try {
        new WebDriverWait(chrome.driver, Duration.ofSeconds(120))
            .until(d -> d.findElement(By.id("screen-message")).isDisplayed());
      } catch (RuntimeException e) {
        chrome.screenshot("consumer-it-console-open");
        throw new AssertionError(
            "the viewer did not open the envelope; page: "
                + chrome.driver.findElement(By.tagName("main")).getText()
                + "; console: "
                + chrome.console(),
            e);
      }

      chrome.driver.get(console);
      waitVisible(chrome, "screen-signin");
      ConsoleAxe axe = new ConsoleAxe(chrome);
      axe.check("sign-in");
      for (String refused : List.of(t.sender(), t.admin(), partnerApiKey)) {
        consoleSignIn(chrome, refused);
        waitEnabled(chrome, "signin-submit");
        assertThat(chrome.driver.findElement(By.id("signin-error")).getText())
            .isEqualTo(
                "This key is not an auditor key. Only keys with the AUDITOR role can use the audit"
                    + " console; sender, admin and partner keys cannot.");
        assertThat(chrome.driver.findElement(By.id("screen-events")).isDisplayed()).isFalse();
      }
      consoleSignIn(chrome, auditor);
      waitVisible(chrome, "screen-events");
      chrome.driver.findElement(By.id("f-envelope")).sendKeys(l.envelopeId());
      chrome.driver.findElement(By.id("filter-submit")).click();
      new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
          .until(d -> d.findElement(By.id("events-body")).getText().contains("ENVELOPE_OPENED"));
      axe.check("events");
      new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(
              d -> {
                d.findElement(By.cssSelector("button[data-envelope-id]")).click();
                return true;
              });
      waitVisible(chrome, "ev-content");
      String timeline = chrome.driver.findElement(By.id("ev-timeline")).getText();
      assertThat(timeline).contains("ENVELOPE_CREATED", "ENVELOPE_OPENED", "AUDIT_EXPORTED");
      String openedSeq =
          chrome
              .driver
              .findElement(By.xpath("//ol[@id='ev-timeline']/li[.//strong='ENVELOPE_OPENED']"))
              .getAttribute("data-seq");
      chrome.driver.findElement(By.id("ev-verify")).click();
      WebElement result = consoleResult(chrome);
      assertThat(result.getAttribute("data-ok")).as(result.getText()).isEqualTo("true");
      assertThat(result.getText()).contains("Intact", "/.well-known/jwks.json", t.id() + ".1");
      axe.check("evidence");

      chrome.driver.findElement(By.id("ev-download")).click();
      Path file = chrome.downloads.resolve("evidence-" + l.envelopeId() + ".json");
      for (int i = 0; i < 100 && !Files.isRegularFile(file); i++) {
        sleep(100);
      }
      Cli ok = cli("audit", "evidence", "verify", file.toString(), "--jwks", jwksFile.toString());
      assertThat(ok.exit()).as(ok.out()).isZero();

      // One row edited in the database: the console and the CLI name the same event.
      HttpResponse<String> tampered =
          postJson(
              api("it-diagnostics/audit-tamper?tenant=" + t.id() + "&op=edit&seq=" + openedSeq),
              null,
              "");
      assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(200);
      chrome.driver.findElement(By.id("ev-load")).click();
      new WebDriverWait(chrome.driver, Duration.ofSeconds(30))
          .until(d -> d.findElement(By.id("ev-result")).getAttribute("hidden") != null);
      chrome.driver.findElement(By.id("ev-verify")).click();
      result = consoleResult(chrome);
      assertThat(result.getAttribute("data-ok")).isEqualTo("false");
      assertThat(result.getAttribute("data-first-bad-seq")).isEqualTo(openedSeq);
      assertThat(result.getText())
          .contains("First broken link: event seq " + openedSeq + " (ENVELOPE_OPENED)", "edited");
      for (String lang : List.of("en", "fr", "es")) {
        new org.openqa.selenium.support.ui.Select(chrome.driver.findElement(By.id("lang-select")))
            .selectByValue(lang);
        axe.check("evidence broken " + lang);
        chrome.driver.findElement(By.id("nav-events")).click();
        axe.check("events " + lang);
        chrome.driver.findElement(By.id("nav-signout")).click();
        axe.check("sign-in " + lang);
        consoleSignIn(chrome, auditor);
        waitVisible(chrome, "screen-events");
        chrome.driver.findElement(By.id("nav-evidence")).click();
        chrome.driver.findElement(By.id("ev-envelope")).sendKeys(l.envelopeId());
        chrome.driver.findElement(By.id("ev-load")).click();
        waitVisible(chrome, "ev-content");
      }
      Path broken = Files.createTempFile("console-evidence", ".json");
      Cli fetched =
          cli(
              "audit",
              "evidence",
              "get",
              l.envelopeId(),
              "--out",
              broken.toString(),
              "--server",
              base.toString(),
              "--api-key",
              auditor);
      assertThat(fetched.exit()).as(fetched.out()).isZero();
      Cli bad =
          cli("audit", "evidence", "verify", broken.toString(), "--jwks", jwksFile.toString());
      assertThat(bad.exit()).as(bad.out()).isEqualTo(2);
      assertThat(bad.out()).contains("event seq " + openedSeq + " (ENVELOPE_OPENED)", "edited");
      assertThat(chrome.console()).noneMatch(m -> m.contains("Content Security Policy"));
    }
  }

  private static void consoleSignIn(Chromium chrome, String key) {
    WebElement input = waitVisible(chrome, "signin-key");
    input.clear();
    input.sendKeys(key);
    waitEnabled(chrome, "signin-submit").click();
  }

  private static WebElement consoleResult(Chromium chrome) {
    return new WebDriverWait(chrome.driver, Duration.ofSeconds(60))
        .until(
            d -> {
              WebElement e = d.findElement(By.id("ev-result"));
              return e.getAttribute("data-ok") != null ? e : null;
            });
  }

  /** axe-core (the viewer module's copy) on the console's current screen. */
  private static final class ConsoleAxe {
    private final Chromium chrome;
    private final String source;

    ConsoleAxe(Chromium chrome) throws IOException {
      this.chrome = chrome;
      this.source =
          Files.readString(
              Path.of(
                  System.getProperty(
                      "viewer.axe", "../envelope-viewer/target/viewer-test/axe.min.js")));
    }

    void check(String screen) {
      assertThat(chrome.seriousAxeViolations(source)).as("axe on console " + screen).isEmpty();
    }
  }

  private record Cli(int exit, String out) {}

  private static Cli cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cmd = dev.sealpost.cli.SealpostCli.newCommandLine();
    cmd.setOut(new java.io.PrintWriter(out, true));
    cmd.setErr(new java.io.PrintWriter(out, true));
    return new Cli(cmd.execute(args), out.toString());
  }

  // ------------------------------------------------------------------ concurrency

  /** Runs {@code n} calls at once (released together by a latch); answers every response. */
  private static List<HttpResponse<String>> concurrently(
      int n, java.util.function.Supplier<HttpResponse<String>> call) throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.get();
                }));
      }
      go.countDown();
      List<HttpResponse<String>> out = new ArrayList<>();
      for (var f : futures) {
        out.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<Integer, Long> byStatus(List<HttpResponse<String>> answers) {
    return answers.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                HttpResponse::statusCode,
                java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
  }

  private int openCount(Tenant t, String envelopeId) {
    HttpResponse<String> r = get(api("envelopes/" + envelopeId), t.sender());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Map<String, Object>> rs = (List<Map<String, Object>>) json(r).get("recipients");
    return ((Number) rs.get(0).get("openCount")).intValue();
  }

  private int auditEvents(Tenant t, String envelopeId, String type) {
    HttpResponse<String> k =
        postJson(api("api-keys"), t.admin(), "{\"role\":\"AUDITOR\",\"name\":\"auditor\"}");
    assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
    HttpResponse<String> r =
        get(
            api("audit/events?envelope=" + envelopeId + "&type=" + type + "&limit=100"),
            (String) json(k).get("key"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return ((List<Object>) json(r).get("items")).size();
  }

  @Test
  void concurrentVerify_withTheRightSecret_opensExactlyMaxOpensTimes_andRefusesTheRestWith410()
      throws Exception {
    Tenant t = newTenant("Race Re");
    Link l =
        sealWithLink(
            t,
            "race-" + unique() + "@example.com",
            "{\"method\":\"SHARED_SECRET\",\"secret\":\"open-sesame\"}",
            3);
    List<HttpResponse<String>> answers = concurrently(24, () -> verify(l, "secret", "open-sesame"));
    Map<Integer, Long> counts = byStatus(answers);
    assertThat(counts).as("statuses").containsOnlyKeys(200, 410).containsEntry(200, 3L);
    for (HttpResponse<String> r : answers) {
      if (r.statusCode() != 200) {
        assertProblem(r, 410, "open-limit");
      }
    }
    assertThat(openCount(t, l.envelopeId())).isEqualTo(3);
    assertThat(auditEvents(t, l.envelopeId(), "ENVELOPE_OPENED")).isEqualTo(3);
  }

  @Test
  void concurrentVerify_withOneEmailedCode_opensOnce_codeIsSingleUse() throws Exception {
    Tenant t = newTenant("Race Otp");
    String email = "race-otp-" + unique() + "@example.com";
    Link l = sealWithLink(t, email, OTP, 3);
    assertThat(challenge(l).statusCode()).isEqualTo(200);
    String code = latestCode(email, 1);
    List<HttpResponse<String>> answers = concurrently(24, () -> verify(l, "code", code));
    Map<Integer, Long> counts = byStatus(answers);
    // One open; every replay of the used code is a wrong answer (401 with attempts left, then 423).
    assertThat(counts).as("statuses").containsEntry(200, 1L);
    assertThat(counts.keySet()).as("statuses").isSubsetOf(200, 401, 423);
    for (HttpResponse<String> r : answers) {
      if (r.statusCode() == 401) {
        assertProblem(r, 401, "wrong-code");
      } else if (r.statusCode() == 423) {
        assertProblem(r, 423, "locked");
      }
    }
    assertThat(openCount(t, l.envelopeId())).isEqualTo(1);
  }

  // ------------------------------------------------------------------ access token lifetime

  /**
   * The lifetime itself (sealpost.open.access-token-ttl, with an injected clock) is
   * OpenLinkAccessTokenTest's; here the server, past that lifetime, answers 401 problem+json on
   * both reads. The session rows are aged by ConsumerItResource rather than by a short lifetime on
   * this shared server, which would make the slower browser tests flaky.
   */
  @Test
  void accessToken_pastItsLifetime_manifestAndAttachmentAnswer401SessionEnded() throws Exception {
    Tenant t = newTenant("Session Ltd");
    Map<String, Object> created =
        seal(
            t,
            "session-" + unique() + "@example.com",
            "{\"method\":\"SHARED_SECRET\",\"secret\":\"open-sesame\"}",
            "session message",
            "x".repeat(1000).getBytes(StandardCharsets.UTF_8),
            false,
            null);
    Link l =
        parseLink(
            (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link"));
    HttpResponse<String> ok = verify(l, "secret", "open-sesame");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    Map<String, Object> v = json(ok);
    assertThat(((Number) v.get("expiresIn")).longValue()).isEqualTo(600L); // the default, PT10M
    String access = (String) v.get("accessToken");

    HttpResponse<String> manifest =
        ItSupport.send(
            ItSupport.request(api("open/" + l.envelopeId() + "/manifest"), access).GET());
    assertThat(manifest.statusCode()).as(manifest.body()).isEqualTo(200);
    LinkKek kek =
        LinkKek.derive(
            Base64.getUrlDecoder().decode((String) v.get("serverShare")),
            LinkSecret.fromBase64Url(l.secret()).linkShare(),
            l.envelopeId());
    String attachmentId =
        EnvelopeOpener.builder()
            .trust(TrustedKeys.fromJwksJson(get(root(".well-known/jwks.json"), null).body()))
            .build()
            .open(manifest.body(), RecipientKey.link(l.recipientId(), kek), l.envelopeId())
            .manifest()
            .attachments()
            .get(0)
            .id();
    URI attachment = api("open/" + l.envelopeId() + "/attachments/" + attachmentId);
    assertThat(ItSupport.send(ItSupport.request(attachment, access).GET()).statusCode())
        .isEqualTo(200);

    assertThat(postJson(api("it-consumer/end-sessions/" + l.envelopeId()), null, "").body())
        .isEqualTo("1");

    for (URI u : List.of(api("open/" + l.envelopeId() + "/manifest"), attachment)) {
      HttpResponse<String> r = ItSupport.send(ItSupport.request(u, access).GET());
      assertProblem(r, 401, "session-ended");
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
  }

  // ------------------------------------------------------------------ an independent client

  @Test
  void independentClient_withOnlyTheWireDetails_opensTheMailedLink_andChecksEveryByte()
      throws Exception {
    Tenant t = newTenant("Wire Assurance");
    String email = "wire-" + unique() + "@example.com";
    String canary = "CANARY-" + UUID.randomUUID();
    byte[] attachment = new byte[200_000]; // 4 chunks of 64 KiB, the last one short
    new java.security.SecureRandom().nextBytes(attachment);
    byte[] marker = canary.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(marker, 0, attachment, 1000, marker.length);
    Map<String, Object> created =
        seal(t, email, OTP, "Wire message " + canary, attachment, true, null);

    IndependentWireClient client = new IndependentWireClient(URI.create(base.toString()));
    IndependentWireClient.Link link =
        IndependentWireClient.parseLink(parts(awaitMails(email, 1).get(0))[0]);
    assertThat(link.envelopeId()).isEqualTo(created.get("id"));

    HttpResponse<String> c = client.challenge(link);
    assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
    assertThat(IndependentWireClient.json(c.body()))
        .containsEntry("method", "EMAIL_OTP")
        .containsEntry("hint", "w***@example.com");
    HttpResponse<String> v = client.verify(link, "code", latestCode(email, 2));
    assertThat(v.statusCode()).as(v.body()).isEqualTo(200);
    assertThat(IndependentWireClient.json(v.body()).keySet())
        .containsExactlyInAnyOrder("accessToken", "expiresIn", "serverShare");

    IndependentWireClient.Opened opened = client.open(link, v);
    assertThat(opened.manifest())
        .containsEntry("tenant", t.id())
        .containsEntry("subject", "Your policy documents")
        .containsEntry("message", "Wire message " + canary);
    assertThat(opened.signerKid()).startsWith(t.id() + ".");
    byte[] got = opened.attachments().get("policy.pdf");
    assertThat(got).isEqualTo(attachment);
    assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(got))
        .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(attachment));

    // Canary: neither the notification nor the code mail carries envelope content.
    List<MimeMessage> mails = mailsTo(email);
    assertThat(mails).hasSize(2);
    for (MimeMessage m : mails) {
      assertThat(raw(m)).doesNotContain(canary).doesNotContain("Wire message");
    }
  }
}
