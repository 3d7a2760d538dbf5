package dev.sealpost.api.soak;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.soak.SoakCluster.Server;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.LinkKek;
import dev.sealpost.envelope.LinkSecret;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.TrustedKeys;
import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The soak's traffic: one tenant with a sender, an auditor and a partner; each {@link #step} is one
 * operation of a fixed ten-step mix, spread over both instances. Every request is recorded in
 * {@link SoakStats} under its operation name, with its status (or the exception's class name).
 */
@SuppressWarnings("unchecked")
final class SoakTraffic {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern CODE = Pattern.compile("(?m)^\\s*([0-9]{6})\\s*$");

  private final List<Server> servers;
  private final SoakStats stats;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final ConcurrentLinkedQueue<Link> sealed = new ConcurrentLinkedQueue<>();
  private final Map<Path, Boolean> readMails = new ConcurrentHashMap<>();
  private final Map<String, String> codes = new ConcurrentHashMap<>();
  private String sender;
  private String auditor;
  private String partnerId;
  private String partnerKey;
  private TrustedKeys jwks;

  record Link(String envelopeId, String recipientId, String secret, String email) {
    String token() {
      return LinkSecret.fromBase64Url(secret).tokenBase64Url();
    }
  }

  /** A request that did not get the status it needed; already recorded. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String what) {
      super(what, null, false, false);
    }
  }

  SoakTraffic(List<Server> servers, SoakStats stats) {
    this.servers = servers;
    this.stats = stats;
  }

  /** A tenant, its SENDER and AUDITOR keys (above the per-key rate limit), and a partner. */
  void setUp() throws Exception {
    Server a = servers.get(0);
    String name = "soak-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> t =
        json(
            call(
                "setup",
                post(a.api("tenants"), SoakCluster.BOOTSTRAP_KEY, "{\"name\":\"" + name + "\"}"),
                201));
    String admin = (String) t.get("adminKey");
    sender = apiKey(a, admin, "SENDER");
    auditor = apiKey(a, admin, "AUDITOR");
    ECKey partner =
        new ECKeyGenerator(Curve.P_256)
            .keyID("soak-partner-1")
            .keyUse(KeyUse.ENCRYPTION)
            .generate();
    String jwksJson =
        JSONObjectUtils.toJSONString(Map.of("keys", List.of(partner.toPublicJWK().toJSONObject())));
    partnerId =
        (String)
            json(call(
                    "setup",
                    post(a.api("partners"), admin, "{\"name\":\"soak\",\"jwks\":" + jwksJson + "}"),
                    201))
                .get("id");
    partnerKey =
        (String)
            json(call(
                    "setup",
                    post(
                        a.api("partners/" + partnerId + "/api-keys"),
                        admin,
                        "{\"name\":\"inbox\"}"),
                    201))
                .get("key");
    jwks =
        TrustedKeys.fromJwksJson(
            call("setup", get(a.root(".well-known/jwks.json"), null), 200).body());
  }

  private String apiKey(Server s, String admin, String role) throws Exception {
    String body =
        "{\"role\":\"" + role + "\",\"name\":\"soak-" + role + "\",\"rateLimitPerMinute\":1000000}";
    return (String) json(call("setup", post(s.api("api-keys"), admin, body), 201)).get("key");
  }

  /** Operation {@code n} of the mix: n mod 10 picks it, n picks the instance(s). */
  void step(long n) {
    Server x = servers.get((int) (n % servers.size()));
    Server y = servers.get((int) ((n + 1) % servers.size()));
    try {
      switch ((int) (n % 10)) {
        case 0, 5 -> sealConsumer(x, 16 * 1024);
        case 1, 6 -> openAsConsumer(x, y);
        case 2, 7 -> sealPartner(x, 4 * 1024);
        case 3 -> fetchAsPartner(x, y);
        case 8 -> call("envelope.get", get(x.api("envelopes?limit=20"), sender), 200);
        default -> call("audit.events", get(x.api("audit/events?limit=50"), auditor), 200);
      }
    } catch (Failed e) {
      // recorded under its operation
    } catch (Exception e) {
      stats.error("client", e);
    }
  }

  private void sealConsumer(Server s, int size) throws Exception {
    String email = "c-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("type", "consumer");
    recipient.put("email", email);
    recipient.put("verification", Map.of("method", "EMAIL_OTP"));
    Map<String, Object> created =
        json(
            call(
                "consumer.seal", post(s.api("envelopes"), sender, sealBody(recipient, size)), 201));
    String url =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link");
    String[] parts = url.substring(url.indexOf("/v/") + 3).split("[/#]");
    sealed.add(new Link(parts[0], parts[1], parts[2], email));
  }

  private void sealPartner(Server s, int size) throws Exception {
    call(
        "partner.seal",
        post(
            s.api("envelopes"),
            sender,
            sealBody(Map.of("type", "partner", "partnerId", partnerId), size)),
        201);
  }

  private static String sealBody(Map<String, Object> recipient, int size) {
    byte[] attachment = new byte[size];
    RANDOM.nextBytes(attachment);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", "Your policy documents");
    body.put("message", "Soak message " + UUID.randomUUID());
    body.put("recipients", List.of(recipient));
    body.put("policy", Map.of("expiresIn", "P1D"));
    body.put("notify", false);
    body.put(
        "attachments",
        List.of(
            Map.of(
                "name", "policy.pdf",
                "contentType", "application/pdf",
                "data", Base64.getEncoder().encodeToString(attachment))));
    return JSONObjectUtils.toJSONString(body);
  }

  /**
   * Challenge on {@code x} (the code mail lands in x's outbox), verify on {@code y}, download and
   * decrypt the manifest from {@code y} and the attachment from {@code x}.
   */
  private void openAsConsumer(Server x, Server y) throws Exception {
    Link l = sealed.poll();
    if (l == null) {
      sealConsumer(x, 16 * 1024);
      return;
    }
    String base = "open/" + l.envelopeId() + "/" + l.recipientId();
    String token = JSONObjectUtils.toJSONString(Map.of("token", l.token()));
    call("consumer.challenge", post(x.api(base + "/challenge"), null, token), 200);
    String code = codeFor(x, l.email());
    Map<String, Object> v =
        json(
            call(
                "consumer.verify",
                post(
                    y.api(base + "/verify"),
                    null,
                    JSONObjectUtils.toJSONString(Map.of("token", l.token(), "code", code))),
                200));
    String access = (String) v.get("accessToken");
    HttpResponse<String> manifest =
        call("consumer.manifest", get(y.api("open/" + l.envelopeId() + "/manifest"), access), 200);
    LinkKek kek =
        LinkKek.derive(
            Base64.getUrlDecoder().decode((String) v.get("serverShare")),
            LinkSecret.fromBase64Url(l.secret()).linkShare(),
            l.envelopeId());
    OpenedEnvelope opened =
        EnvelopeOpener.builder()
            .trust(jwks)
            .requireSignerOfManifestTenant()
            .build()
            .open(manifest.body(), RecipientKey.link(l.recipientId(), kek), l.envelopeId());
    String attachmentId = opened.manifest().attachments().get(0).id();
    HttpResponse<byte[]> ciphertext =
        callBytes(
            "consumer.attachment",
            x.api("open/" + l.envelopeId() + "/attachments/" + attachmentId),
            access);
    try (InputStream plain =
        opened.openAttachment(attachmentId, new ByteArrayInputStream(ciphertext.body()))) {
      plain.readAllBytes(); // IntegrityException if the bytes do not verify
    }
  }

  /**
   * The partner lists its inbox on {@code x} and fetches the newest item's bytes from {@code y}.
   */
  private void fetchAsPartner(Server x, Server y) throws Exception {
    List<Map<String, Object>> items =
        (List<Map<String, Object>>)
            json(call("partner.inbox", get(x.api("inbox?limit=20"), partnerKey), 200)).get("items");
    if (items.isEmpty()) {
      return;
    }
    Map<String, Object> item = items.get(RANDOM.nextInt(items.size()));
    String id = (String) item.get("envelopeId");
    call("partner.manifest", get(y.api("inbox/" + id + "/manifest"), partnerKey), 200);
    for (Map<String, Object> a : (List<Map<String, Object>>) item.get("attachments")) {
      callBytes(
          "partner.attachment", y.api("inbox/" + id + "/attachments/" + a.get("id")), partnerKey);
    }
  }

  /** The six-digit code in the newest mail to {@code email} in {@code s}'s outbox. */
  private String codeFor(Server s, String email) throws Exception {
    synchronized (this) {
      try (Stream<Path> files = Files.list(s.outbox())) {
        for (Path f : files.filter(f -> f.toString().endsWith(".eml")).sorted().toList()) {
          if (readMails.putIfAbsent(f, Boolean.TRUE) == null) {
            readMail(f);
          }
        }
      }
    }
    String code = codes.remove(email);
    if (code == null) {
      stats.record("consumer.mail", 0, "no-code-mail");
      throw new Failed("no code mail to " + email);
    }
    return code;
  }

  private void readMail(Path f) throws Exception {
    try (InputStream in = Files.newInputStream(f)) {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
      Object content = m.getContent();
      String text =
          content instanceof MimeMultipart mp
              ? String.valueOf(mp.getBodyPart(0).getContent())
              : String.valueOf(content);
      Matcher code = CODE.matcher(text);
      if (!code.find()) {
        return; // not a code mail
      }
      Set<String> to = new HashSet<>();
      for (Address addr : m.getAllRecipients()) {
        to.add(((InternetAddress) addr).getAddress());
      }
      to.forEach(address -> codes.put(address, code.group(1)));
    }
  }

  /** The two audit verifications at the end: ok on both instances. */
  boolean auditVerifiesOnEveryInstance(StringBuilder out) throws Exception {
    boolean ok = true;
    for (Server s : servers) {
      HttpResponse<String> r = call("audit.verify", get(s.api("audit/verify"), auditor), 200);
      Map<String, Object> v = json(r);
      out.append("- audit verify on ")
          .append(s)
          .append(": ok ")
          .append(v.get("ok"))
          .append(", events ")
          .append(v.get("events"))
          .append(", signed checkpoint at seq ")
          .append(v.get("checkpoint") instanceof Map<?, ?> cp ? cp.get("seq") : "none")
          .append('\n');
      ok &= Boolean.TRUE.equals(v.get("ok"));
    }
    return ok;
  }

  // ---- HTTP ----

  private HttpRequest.Builder get(URI uri, String bearer) {
    return auth(HttpRequest.newBuilder(uri).GET(), bearer);
  }

  private HttpRequest.Builder post(URI uri, String bearer, String json) {
    return auth(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        bearer);
  }

  private static HttpRequest.Builder auth(HttpRequest.Builder b, String bearer) {
    return bearer == null ? b : b.header("Authorization", "Bearer " + bearer);
  }

  private HttpResponse<String> call(String op, HttpRequest.Builder request, int expected)
      throws Failed {
    long start = System.nanoTime();
    HttpResponse<String> r;
    try {
      r =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      stats.record(op, System.nanoTime() - start, e.getClass().getSimpleName());
      throw new Failed(op + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed(op + ": interrupted");
    }
    stats.record(op, System.nanoTime() - start, Integer.toString(r.statusCode()));
    if (r.statusCode() != expected) {
      stats.sample(op, r.statusCode(), r.body());
      throw new Failed(op + ": " + r.statusCode());
    }
    return r;
  }

  private HttpResponse<byte[]> callBytes(String op, URI uri, String bearer) throws Failed {
    long start = System.nanoTime();
    try {
      HttpResponse<byte[]> r =
          http.send(
              get(uri, bearer).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      stats.record(op, System.nanoTime() - start, Integer.toString(r.statusCode()));
      if (r.statusCode() != 200) {
        stats.sample(op, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        throw new Failed(op + ": " + r.statusCode());
      }
      return r;
    } catch (IOException e) {
      stats.record(op, System.nanoTime() - start, e.getClass().getSimpleName());
      throw new Failed(op + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failed(op + ": interrupted");
    }
  }

  private static Map<String, Object> json(HttpResponse<String> r) throws java.text.ParseException {
    return JSONObjectUtils.parse(r.body());
  }
}
