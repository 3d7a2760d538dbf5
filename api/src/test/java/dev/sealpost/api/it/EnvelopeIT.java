package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.BOOTSTRAP_KEY;
import static dev.sealpost.api.it.ItSupport.get;
import static dev.sealpost.api.it.ItSupport.json;
import static dev.sealpost.api.it.ItSupport.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sender API over HTTP (issue 3): create (JSON and streamed multipart, up to 100 MB under a
 * small server heap), status, list, revoke and crypto-shred, Idempotency-Key, the clear-text guard,
 * auth, tenancy and malformed input, and canaries proving no plaintext or link secret at rest or in
 * logs. One class on purpose: Payara starts once per IT class.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@SuppressWarnings("unchecked")
class EnvelopeIT {
  private static final Instant CLASS_START = Instant.now();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return ItSupport.war();
  }

  @ArquillianResource URL base;

  private static volatile Tenant tenantA;

  record Tenant(String id, String admin, String sender, String auditor) {}

  private URI api(String path) {
    return URI.create(base.toString()).resolve("v1/" + path);
  }

  private URI root(String path) {
    return URI.create(base.toString()).resolve("/" + path);
  }

  private Tenant tenant() {
    if (tenantA == null) {
      synchronized (EnvelopeIT.class) {
        if (tenantA == null) {
          tenantA = newTenant();
        }
      }
    }
    return tenantA;
  }

  private Tenant newTenant() {
    String name = "e-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r =
        postJson(
            api("tenants"),
            BOOTSTRAP_KEY,
            "{\"name\":\"" + name + "\",\"displayName\":\"Insurer " + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> t = json(r);
    String admin = (String) t.get("adminKey");
    return new Tenant((String) t.get("id"), admin, key(admin, "SENDER"), key(admin, "AUDITOR"));
  }

  private String key(String admin, String role) {
    HttpResponse<String> r =
        postJson(
            api("api-keys"),
            admin,
            "{\"role\":\"" + role + "\",\"name\":\"" + role.toLowerCase() + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("key");
  }

  private static String consumerBody(String subject, String message, boolean notify) {
    return "{\"subject\":"
        + quote(subject)
        + ",\"message\":"
        + quote(message)
        + ",\"recipients\":[{\"type\":\"consumer\",\"email\":\"a@example.com\",\"locale\":\"fr\","
        + "\"verification\":{\"method\":\"EMAIL_OTP\"}},"
        + "{\"type\":\"consumer\",\"email\":\"b@example.com\",\"verification\":{\"method\":"
        + "\"SHARED_SECRET\",\"secret\":\"blue-harbour-42\",\"hint\":\"the word we agreed on the phone\"}}],"
        + "\"policy\":{\"expiresIn\":\"P7D\",\"maxOpens\":5},\"notify\":"
        + notify
        + "}";
  }

  private static String quote(String s) {
    return JSONObjectUtils.toJSONString(Map.of("s", s))
        .replaceFirst("^\\{\"s\":", "")
        .replaceFirst("}$", "");
  }

  private Map<String, Object> create(String key, String body) {
    HttpResponse<String> r = postJson(api("envelopes"), key, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private Path dataDir() {
    return Path.of(System.getProperty("sealpost.it.dataDir"));
  }

  private Path envelopeBlobs(String tenantId, String envelopeId) {
    return dataDir().resolve("blobs").resolve(tenantId).resolve(envelopeId);
  }

  // ---------------------------------------------------------------- create and status

  @Test
  void createJson_answersIdsAndLinksOnlyWithoutNotify_andStatusShowsRecipients() {
    Tenant t = tenant();
    String attachment =
        Base64.getEncoder().encodeToString("hello policy".getBytes(StandardCharsets.UTF_8));
    String body =
        consumerBody("Your policy documents", "Dear customer, here they are.", false)
            .replaceFirst(
                "}$",
                ",\"attachments\":[{\"name\":\"policy.pdf\",\"contentType\":\"application/pdf\",\"data\":\""
                    + attachment
                    + "\"}]}");
    HttpResponse<String> r = postJson(api("envelopes"), t.sender(), body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location").orElse("")).contains("/v1/envelopes/");
    Map<String, Object> created = json(r);
    assertThat(created.keySet()).containsExactlyInAnyOrder("id", "recipients");
    String id = (String) created.get("id");
    List<Map<String, Object>> recipients = (List<Map<String, Object>>) created.get("recipients");
    assertThat(recipients).hasSize(2);
    for (Map<String, Object> rec : recipients) {
      assertThat(rec).containsEntry("type", "consumer").containsKeys("id", "email", "link");
      assertThat((String) rec.get("link"))
          .matches("https?://[^/]+/v/" + id + "/" + rec.get("id") + "#[A-Za-z0-9_-]{43}");
    }
    assertThat(recipients.get(0)).containsEntry("email", "a@example.com");

    Map<String, Object> status = json(get(api("envelopes/" + id), t.sender()));
    assertThat(status)
        .containsEntry("id", id)
        .containsEntry("status", "active")
        .containsEntry("notify", false)
        .containsEntry("maxOpens", 5L)
        .containsEntry("attachments", 1L);
    List<Map<String, Object>> rs = (List<Map<String, Object>>) status.get("recipients");
    assertThat(rs).extracting(m -> m.get("status")).containsOnly("pending");
    assertThat(rs)
        .extracting(m -> m.get("verification"))
        .containsExactly("EMAIL_OTP", "SHARED_SECRET");
    assertThat(Instant.parse((String) status.get("expiresAt")))
        .isAfter(Instant.now().plus(Duration.ofDays(6)))
        .isBefore(Instant.now().plus(Duration.ofDays(8)));

    // Ciphertext only at rest: the manifest is a General JSON JWE with one entry per recipient.
    Path dir = envelopeBlobs(t.id(), id);
    assertThat(dir.resolve("manifest.jwe")).exists();
    Map<String, Object> jwe = parse(read(dir.resolve("manifest.jwe")));
    assertThat((List<Object>) jwe.get("recipients")).hasSize(2);
    assertThat(jwe).containsKeys("protected", "iv", "ciphertext", "tag");
  }

  @Test
  void createWithNotify_answersNoLinks() {
    Map<String, Object> created = create(tenant().sender(), consumerBody("Documents", "m", true));
    for (Map<String, Object> rec : (List<Map<String, Object>>) created.get("recipients")) {
      assertThat(rec).doesNotContainKey("link");
    }
  }

  // ---------------------------------------------------------------- helpers for files

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      return JSONObjectUtils.parse(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
