package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.BOOTSTRAP_KEY;
import static dev.sealpost.api.it.ItSupport.assertProblem;
import static dev.sealpost.api.it.ItSupport.get;
import static dev.sealpost.api.it.ItSupport.json;
import static dev.sealpost.api.it.ItSupport.patchJson;
import static dev.sealpost.api.it.ItSupport.postJson;
import static dev.sealpost.api.it.ItSupport.request;
import static dev.sealpost.api.it.ItSupport.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server platform over HTTP: start, health, class loading, keys, tenancy, API keys, errors,
 * security headers, rate limits. On the run's shared server ({@link SharedServer}).
 */
@SuppressWarnings("unchecked")
class ServerIT {

  /** The run's shared server (the packaged war at /): see {@link SharedServer}. */
  final URL base = SharedServer.base();

  private URI api(String path) {
    return URI.create(base.toString()).resolve("v1/" + path);
  }

  private URI root(String path) {
    return URI.create(base.toString()).resolve("/" + path);
  }

  @Test
  void ready_reportsDatabaseBlobStoreAndKeysUp() {
    HttpResponse<String> r = get(root("health/ready"), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"database\"", "\"blob-store\"", "\"keys\"")
        .doesNotContain("DOWN");
    assertThat(get(root("health/live"), null).statusCode()).isEqualTo(200);
  }

  @Test
  void applicationNimbus_winsOverPayarasBundledCopy() {
    Map<String, Object> d = json(get(api("it-diagnostics"), null));
    assertThat(d).containsEntry("nimbusVersion", "10.10").containsEntry("sameLoader", true);
    assertThat((String) d.get("nimbusLocation")).contains("nimbus-jose-jwt-10.10.jar");
  }

  @Test
  void runsOnTheDatabaseThisExecutionChose() {
    Map<String, Object> d = json(get(api("it-diagnostics"), null));
    assertThat(((String) d.get("database")).toLowerCase())
        .isEqualTo(ItSupport.database().equals("h2") ? "h2" : "postgresql");
  }

  @Test
  void jwks_publishesPublicKeysWhoseKidNamesTheTenant() throws Exception {
    Map<String, Object> tenant = createTenant();
    HttpResponse<String> r = get(jwks(), null);
    assertThat(r.statusCode()).isEqualTo(200);
    JWKSet set = JWKSet.parse(r.body());
    assertThat(set.getKeys()).isNotEmpty();
    for (JWK k : set.getKeys()) {
      assertThat(k.isPrivate()).isFalse();
      assertThat(k.getKeyID()).matches("[0-9a-f-]{36}\\.[0-9]+");
    }
    assertThat(set.getKeyByKeyId(tenant.get("id") + ".1")).isNotNull();
    assertThat(r.body()).doesNotContain("\"d\"");
  }

  private URI jwks() {
    return URI.create(base.toString()).resolve(".well-known/jwks.json");
  }

  @Test
  void missingOrUnknownKey_gives401ProblemJson() {
    HttpResponse<String> none = get(api("tenant"), null);
    assertProblem(none, 401, "unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertProblem(get(api("tenant"), "sp_" + "x".repeat(43)), 401, "unauthorized");
    assertProblem(
        send(request(api("tenant"), null).header("Authorization", "Basic Zm9vOmJhcg==")),
        401,
        "unauthorized");
  }

  @Test
  void tenantLifecycle_createSettingsAndKeys() {
    Map<String, Object> created = createTenant();
    String admin = (String) created.get("adminKey");
    assertThat(admin).startsWith("sp_").hasSize(46);
    // Display names are unique across the server (ConsumerIT seals as "Acme Insurance").
    String acme = "Acme Insurance " + ((String) created.get("id")).substring(0, 8);

    Map<String, Object> settings = json(get(api("tenant"), admin));
    assertThat(settings).containsEntry("id", created.get("id")).containsEntry("custody", false);
    assertThat((List<Object>) settings.get("allowedVerificationMethods"))
        .containsExactlyInAnyOrder("EMAIL_OTP", "SHARED_SECRET");

    HttpResponse<String> patched =
        patchJson(
            api("tenant"),
            admin,
            "{\"displayName\":\""
                + acme
                + "\",\"allowedVerificationMethods\":[\"EMAIL_OTP\",\"NONE\"],"
                + "\"defaultExpiry\":\"P7D\",\"maxExpiry\":\"P30D\",\"custody\":true}");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    Map<String, Object> after = json(get(api("tenant"), admin));
    assertThat(after)
        .containsEntry("displayName", acme)
        .containsEntry("defaultExpiry", "P7D")
        .containsEntry("custody", true);
    assertThat((List<Object>) after.get("allowedVerificationMethods"))
        .containsExactlyInAnyOrder("EMAIL_OTP", "NONE");

    assertProblem(
        patchJson(api("tenant"), admin, "{\"defaultExpiry\":\"P60D\"}"), 422, "invalid-field");
    assertProblem(
        patchJson(api("tenant"), admin, "{\"allowedVerificationMethods\":[\"CARRIER_PIGEON\"]}"),
        422,
        "invalid-field");

    // Only the bootstrap ADMIN creates tenants.
    assertProblem(
        postJson(api("tenants"), admin, "{\"name\":\"other-" + UUID.randomUUID() + "\"}"),
        403,
        "forbidden");

    HttpResponse<String> key =
        postJson(api("api-keys"), admin, "{\"role\":\"SENDER\",\"name\":\"billing system\"}");
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    Map<String, Object> sender = json(key);
    assertThat(sender.keySet()).containsExactlyInAnyOrder("id", "key");
    String senderKey = (String) sender.get("key");
    assertProblem(get(api("tenant"), senderKey), 403, "forbidden");
    assertProblem(
        postJson(api("api-keys"), admin, "{\"role\":\"PARTNER\",\"name\":\"x\"}"),
        422,
        "invalid-field");
    assertProblem(
        postJson(api("api-keys"), admin, "{\"role\":\"ROOT\",\"name\":\"x\"}"),
        422,
        "invalid-field");

    Map<String, Object> audited =
        json(
            get(
                api(
                    "it-diagnostics/audit-count?tenant="
                        + created.get("id")
                        + "&type=API_KEY_CREATED"),
                null));
    assertThat(audited).containsEntry("count", 2L); // the tenant's admin key and the sender key
  }

  @Test
  void duplicateTenantName_gives409() {
    String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(postJson(api("tenants"), BOOTSTRAP_KEY, "{\"name\":\"" + name + "\"}").statusCode())
        .isEqualTo(201);
    assertProblem(
        postJson(api("tenants"), BOOTSTRAP_KEY, "{\"name\":\"" + name + "\"}"), 409, "conflict");
    assertProblem(
        postJson(api("tenants"), BOOTSTRAP_KEY, "{\"name\":\"Not A Slug!\"}"),
        422,
        "invalid-field");
  }

  @Test
  void badRequests_giveStableProblemTypes_neverStackTraces() {
    assertProblem(postJson(api("tenants"), BOOTSTRAP_KEY, "{\"name\": "), 400, "malformed-json");
    assertProblem(postJson(api("tenants"), BOOTSTRAP_KEY, "[1,2,3]"), 400, "malformed-json");
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertProblem(postJson(api("tenants"), BOOTSTRAP_KEY, deep), 400, "too-deeply-nested");
    assertProblem(
        send(
            request(api("tenants"), BOOTSTRAP_KEY)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))),
        415,
        "unsupported-media-type");
    assertProblem(send(request(api("tenant"), BOOTSTRAP_KEY).DELETE()), 405, "method-not-allowed");
    assertProblem(get(api("no-such-thing"), BOOTSTRAP_KEY), 404, "not-found");
    // Outside JAX-RS too: the container's own error page is problem+json.
    assertProblem(get(URI.create(base.toString()).resolve("no-such-page"), null), 404, "not-found");
  }

  @Test
  void securityHeaders_onEveryAnswer_hstsOnlyOverTls() {
    for (HttpResponse<String> r :
        List.of(
            get(api("tenant"), BOOTSTRAP_KEY),
            get(api("tenant"), null),
            get(api("no-such-thing"), null),
            get(jwks(), null))) {
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("frame-ancestors 'none'");
      assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
    assertThat(get(api("tenant"), BOOTSTRAP_KEY).headers().firstValue("Cache-Control"))
        .hasValue("no-store");

    // X-Forwarded-Proto counts only from a trusted proxy (the ITs trust 127.0.0.0/8).
    URI loopback = ItSupport.viaLoopback(base).resolve("v1/tenant");
    HttpResponse<String> proxied =
        send(request(loopback, BOOTSTRAP_KEY).header("X-Forwarded-Proto", "https").GET());
    assertThat(proxied.headers().firstValue("Strict-Transport-Security")).isPresent();
    if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
      HttpResponse<String> forged =
          send(request(api("tenant"), BOOTSTRAP_KEY).header("X-Forwarded-Proto", "https").GET());
      assertThat(forged.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
  }

  @Test
  void rateLimit_gives429WithRetryAfter() {
    String admin = (String) createTenant().get("adminKey");
    String limited =
        (String)
            json(postJson(
                    api("api-keys"),
                    admin,
                    "{\"role\":\"ADMIN\",\"name\":\"slow\",\"rateLimitPerMinute\":2}"))
                .get("key");
    assertThat(get(api("tenant"), limited).statusCode()).isEqualTo(200);
    assertThat(get(api("tenant"), limited).statusCode()).isEqualTo(200);
    HttpResponse<String> third = get(api("tenant"), limited);
    assertProblem(third, 429, "rate-limited");
    assertThat(Integer.parseInt(third.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1, 60);
    assertThat(get(api("tenant"), admin).statusCode()).isEqualTo(200); // other keys unaffected
  }

  @Test
  void openApiAndMetrics_areServed() {
    HttpResponse<String> openapi = get(URI.create(base.toString()).resolve("openapi"), null);
    assertThat(openapi.statusCode()).isEqualTo(200);
    assertThat(openapi.body()).contains("/v1/tenants", "Sealpost API");
    assertThat(get(root("metrics"), null).statusCode()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- API key lifecycle

  @Test
  void apiKeys_listedWithoutSecrets_revokedKeyGets401_andTheRevocationIsAudited() {
    Map<String, Object> tenant = createTenant();
    String admin = (String) tenant.get("adminKey");
    Map<String, Object> sender =
        json(postJson(api("api-keys"), admin, "{\"role\":\"SENDER\",\"name\":\"billing\"}"));
    String senderKey = (String) sender.get("key");
    String senderId = (String) sender.get("id");
    assertThat(get(api("envelopes"), senderKey).statusCode()).isEqualTo(200);

    HttpResponse<String> listed = get(api("api-keys"), admin);
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    OpenApiContract.assertResponseMatches(
        "GET", "/v1/api-keys", 200, "application/json", listed.body());
    assertThat(listed.body()).doesNotContain(admin, senderKey, "sp_", "hash");
    List<Map<String, Object>> items = (List<Map<String, Object>>) json(listed).get("items");
    assertThat(items).hasSize(2); // POST /v1/tenants left exactly the tenant's first admin key
    Map<String, Object> listedSender =
        items.stream().filter(k -> senderId.equals(k.get("id"))).findFirst().orElseThrow();
    assertThat(listedSender)
        .containsEntry("name", "billing")
        .containsEntry("role", "SENDER")
        .containsEntry("bootstrap", false);
    assertThat(listedSender.get("revokedAt")).isNull();
    assertThat(listedSender.get("expiresAt")).isNull();
    assertThat((String) listedSender.get("lastUsedAt")).isNotNull(); // it listed envelopes

    HttpResponse<String> revoked = send(request(api("api-keys/" + senderId), admin).DELETE());
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
    assertProblem(get(api("envelopes"), senderKey), 401, "unauthorized");
    // Again: still 204, nothing changes, no second event.
    assertThat(send(request(api("api-keys/" + senderId), admin).DELETE()).statusCode())
        .isEqualTo(204);
    Map<String, Object> after =
        ((List<Map<String, Object>>) json(get(api("api-keys"), admin)).get("items"))
            .stream().filter(k -> senderId.equals(k.get("id"))).findFirst().orElseThrow();
    assertThat((String) after.get("revokedAt")).isNotNull();
    assertThat(auditCount(tenant.get("id"), "API_KEY_REVOKED")).isEqualTo(1L);
    String auditor =
        (String)
            json(postJson(api("api-keys"), admin, "{\"role\":\"AUDITOR\",\"name\":\"audit\"}"))
                .get("key");
    List<Map<String, Object>> revokedEvents =
        (List<Map<String, Object>>)
            json(get(api("audit/events?type=API_KEY_REVOKED"), auditor)).get("items");
    assertThat(revokedEvents)
        .extracting(e -> ItSupport.withoutRequestId(e.get("detail")))
        .containsExactly("key: " + senderId + "; role: SENDER");

    assertProblem(
        send(request(api("api-keys/" + UUID.randomUUID()), admin).DELETE()), 404, "not-found");
  }

  @Test
  void apiKeys_paginateWithACursor() {
    String admin = (String) createTenant().get("adminKey");
    for (int i = 0; i < 3; i++) {
      postJson(api("api-keys"), admin, "{\"role\":\"AUDITOR\",\"name\":\"a" + i + "\"}");
    }
    Map<String, Object> first = json(get(api("api-keys?limit=3"), admin));
    assertThat((List<Object>) first.get("items")).hasSize(3);
    Map<String, Object> second =
        json(get(api("api-keys?limit=3&cursor=" + first.get("nextCursor")), admin));
    assertThat((List<Object>) second.get("items")).hasSize(1);
    assertThat(second.get("nextCursor")).isNull();
    assertProblem(get(api("api-keys?cursor=bogus"), admin), 422, "invalid-field");
  }

  @Test
  void firstAdminKey_isTheLastAdminKeyUntilTheTenantMadeItsOwn_thenRevocable() {
    Map<String, Object> tenant = createTenant();
    String first = (String) tenant.get("adminKey");
    Map<String, Object> items = json(get(api("api-keys"), first));
    String firstId = (String) ((List<Map<String, Object>>) items.get("items")).get(0).get("id");

    Map<String, Object> p =
        assertProblem(
            send(request(api("api-keys/" + firstId), first).DELETE()), 409, "last-admin-key");
    assertThat(p.get("detail").toString()).doesNotContain(first);

    // Rotation without downtime: a second ADMIN key of the same name, then the first goes.
    Map<String, Object> own =
        json(postJson(api("api-keys"), first, "{\"role\":\"ADMIN\",\"name\":\"admin\"}"));
    String ownKey = (String) own.get("key");
    assertThat(get(api("tenant"), first).statusCode()).isEqualTo(200);
    assertThat(get(api("tenant"), ownKey).statusCode()).isEqualTo(200);
    assertThat(send(request(api("api-keys/" + firstId), ownKey).DELETE()).statusCode())
        .isEqualTo(204);
    assertProblem(get(api("tenant"), first), 401, "unauthorized");
    assertThat(get(api("tenant"), ownKey).statusCode()).isEqualTo(200);
    // Now the own key is the last one.
    assertProblem(
        send(request(api("api-keys/" + own.get("id")), ownKey).DELETE()), 409, "last-admin-key");
  }

  @Test
  void anotherTenantsKey_is404_andOtherRoles_get403OnBothEndpoints() throws Exception {
    String adminA = (String) createTenant().get("adminKey");
    String adminB = (String) createTenant().get("adminKey");
    String keyOfA =
        (String)
            json(postJson(api("api-keys"), adminA, "{\"role\":\"SENDER\",\"name\":\"s\"}"))
                .get("id");
    assertProblem(send(request(api("api-keys/" + keyOfA), adminB).DELETE()), 404, "not-found");
    assertThat(get(api("api-keys"), adminB).body()).doesNotContain(keyOfA);

    List<String> others = new java.util.ArrayList<>();
    for (String role : List.of("SENDER", "AUDITOR")) {
      others.add(
          (String)
              json(postJson(
                      api("api-keys"),
                      adminA,
                      "{\"role\":\"" + role + "\",\"name\":\"" + role + "\"}"))
                  .get("key"));
    }
    com.nimbusds.jose.jwk.ECKey enc =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
            .keyID("p-" + UUID.randomUUID())
            .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
            .generate();
    HttpResponse<String> partner =
        postJson(
            api("partners"),
            adminA,
            "{\"name\":\"p\",\"jwks\":{\"keys\":[" + enc.toPublicJWK().toJSONString() + "]}}");
    assertThat(partner.statusCode()).as(partner.body()).isEqualTo(201);
    HttpResponse<String> partnerKey =
        postJson(
            api("partners/" + json(partner).get("id") + "/api-keys"), adminA, "{\"name\":\"i\"}");
    others.add((String) json(partnerKey).get("key"));
    for (String key : others) {
      assertProblem(get(api("api-keys"), key), 403, "forbidden");
      assertProblem(send(request(api("api-keys/" + keyOfA), key).DELETE()), 403, "forbidden");
    }
    // The PARTNER key is listed with its partner, and an ADMIN can revoke it too.
    Map<String, Object> listedPartnerKey =
        ((List<Map<String, Object>>) json(get(api("api-keys"), adminA)).get("items"))
            .stream().filter(k -> "PARTNER".equals(k.get("role"))).findFirst().orElseThrow();
    assertThat(listedPartnerKey).containsEntry("partnerId", json(partner).get("id"));
    assertThat(
            send(request(api("api-keys/" + listedPartnerKey.get("id")), adminA).DELETE())
                .statusCode())
        .isEqualTo(204);
    assertProblem(get(api("inbox"), others.get(2)), 401, "unauthorized");
  }

  @Test
  void expiringKey_worksUntilExpiresAt_then401_andBadExpiriesName_theField() throws Exception {
    String admin = (String) createTenant().get("adminKey");
    String soon = java.time.Instant.now().plusSeconds(3).toString();
    HttpResponse<String> created =
        postJson(
            api("api-keys"),
            admin,
            "{\"role\":\"SENDER\",\"name\":\"short\",\"expiresAt\":\"" + soon + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = (String) json(created).get("key");
    assertThat(get(api("envelopes"), key).statusCode()).isEqualTo(200);
    Thread.sleep(3_500);
    assertProblem(get(api("envelopes"), key), 401, "unauthorized");

    for (String bad :
        List.of(
            "2001-01-01T00:00:00Z",
            java.time.Instant.now().plus(java.time.Duration.ofDays(800)).toString(),
            "tomorrow")) {
      Map<String, Object> p =
          assertProblem(
              postJson(
                  api("api-keys"),
                  admin,
                  "{\"role\":\"SENDER\",\"name\":\"x\",\"expiresAt\":\"" + bad + "\"}"),
              422,
              "invalid-field");
      assertThat(p).containsEntry("field", "expiresAt");
    }
  }

  private long auditCount(Object tenantId, String type) {
    return (Long)
        json(get(api("it-diagnostics/audit-count?tenant=" + tenantId + "&type=" + type), null))
            .get("count");
  }

  @Test
  void displayNames_uniqueUpToCaseWidthAndConfusables_racingCreatesHaveOneWinner()
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String display = "Northwind Mutual " + id;
    Map<String, Object> first = createTenant("n-" + id, display);
    String[] lookalikes = {
      display.toUpperCase(java.util.Locale.ROOT),
      display.replace("o", "\u043e"), // Cyrillic o
      display.replace("N", "\uff2e"), // full-width N
      display.replace("Mutual", "MutuaI") // capital I for l
    };
    for (String lookalike : lookalikes) {
      Map<String, Object> p =
          assertProblem(
              postJson(
                  api("tenants"),
                  BOOTSTRAP_KEY,
                  "{\"name\":\"x-"
                      + UUID.randomUUID()
                      + "\",\"displayName\":\""
                      + lookalike
                      + "\"}"),
              409,
              "display-name-taken");
      assertThat(p).as(lookalike).containsEntry("field", "displayName");
    }
    String other = (String) createTenant().get("adminKey");
    assertProblem(
        patchJson(api("tenant"), other, "{\"displayName\":\"" + lookalikes[1] + "\"}"),
        409,
        "display-name-taken");
    // Its own name in another case is fine for the tenant itself.
    assertThat(
            patchJson(
                    api("tenant"),
                    (String) first.get("adminKey"),
                    "{\"displayName\":\"" + lookalikes[0] + "\"}")
                .statusCode())
        .isEqualTo(200);

    // Two creates racing for one display name: the unique column picks exactly one.
    String contested = "Contested Assurance " + id;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> racers = new java.util.ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String name = "r" + i + "-" + id;
        racers.add(
            pool.submit(
                () ->
                    postJson(
                        api("tenants"),
                        BOOTSTRAP_KEY,
                        "{\"name\":\"" + name + "\",\"displayName\":\"" + contested + "\"}")));
      }
      List<Integer> statuses = new java.util.ArrayList<>();
      for (var f : racers) {
        HttpResponse<String> r = f.get();
        statuses.add(r.statusCode());
        if (r.statusCode() == 409) {
          assertProblem(r, 409, "display-name-taken");
        }
      }
      assertThat(statuses).containsExactlyInAnyOrder(201, 409);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tenantPatch_recordsTenantUpdatedWithWhatChanged_andTheChainStillVerifies() {
    Map<String, Object> created = createTenant();
    String admin = (String) created.get("adminKey");
    HttpResponse<String> patched =
        patchJson(
            api("tenant"),
            admin,
            "{\"allowedVerificationMethods\":[\"EMAIL_OTP\",\"NONE\"],\"custody\":true,"
                + "\"defaultExpiry\":\"P30D\"}");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    HttpResponse<String> k =
        postJson(api("api-keys"), admin, "{\"role\":\"AUDITOR\",\"name\":\"auditor\"}");
    assertThat(k.statusCode()).as(k.body()).isEqualTo(201);
    String auditor = (String) json(k).get("key");

    Map<String, Object> page = json(get(api("audit/events?type=TENANT_UPDATED"), auditor));
    List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0))
        .containsEntry("type", "TENANT_UPDATED")
        .containsEntry("actor", "api-key:" + firstKeyId(admin));
    assertThat(ItSupport.withoutRequestId(items.get(0).get("detail")))
        .isEqualTo("allowedVerificationMethods: +NONE -SHARED_SECRET; custody: on");
    assertThat((String) items.get(0).get("detail")).matches(".*; requestId=[0-9a-f]{32}");
    // An event with nothing else to note has the request's id only (issue 16).
    Map<String, Object> created0 =
        ((List<Map<String, Object>>)
                json(get(api("audit/events?type=API_KEY_CREATED"), auditor)).get("items"))
            .get(0);
    assertThat((String) created0.get("detail")).matches("requestId=[0-9a-f]{32}");
    assertThat(created0).containsKey("userAgent");
    Map<String, Object> verify = json(get(api("audit/verify"), auditor));
    assertThat(verify).as(verify.toString()).containsEntry("ok", true);

    // The JWKS names the tenant by display name and by its unique name.
    String jwks = get(URI.create(base.toString()).resolve(".well-known/jwks.json"), null).body();
    assertThat(jwks).contains("\"tenantUniqueName\":\"" + created.get("name") + "\"");
  }

  private String firstKeyId(String admin) {
    List<Map<String, Object>> keys =
        (List<Map<String, Object>>) json(get(api("api-keys"), admin)).get("items");
    return (String) keys.get(0).get("id");
  }

  // ---------------------------------------------------------------- issue 12, findings 6 and 7

  @Test
  void displayName_withHiddenCharactersOrPersonalData_isRefusedNamingIt() {
    String name = "d-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created =
        postJson(
            api("tenants"),
            BOOTSTRAP_KEY,
            "{\"name\":\"" + name + "\",\"displayName\":\"Acme\\u202Egnp.exe\"}");
    assertThat(assertProblem(created, 422, "invalid-field")).containsEntry("field", "displayName");
    OpenApiContract.assertResponseMatches(
        "POST", "/v1/tenants", 422, "application/problem+json", created.body());

    String admin = (String) createTenant().get("adminKey");
    for (String bad :
        List.of(
            "Acme 078.05.1120",
            "Acme \\uff10\\uff17\\uff18-\\uff10\\uff15-\\uff11\\uff11\\uff12\\uff10",
            "Acme \\u2066Bank\\u2069",
            "\\u200EAcme",
            "Acme\\u0007")) {
      HttpResponse<String> r = patchJson(api("tenant"), admin, "{\"displayName\":\"" + bad + "\"}");
      assertThat(assertProblem(r, 422, "invalid-field"))
          .as(bad)
          .containsEntry("field", "displayName");
      OpenApiContract.assertResponseMatches(
          "PATCH", "/v1/tenant", 422, "application/problem+json", r.body());
    }
    assertThat((String) json(get(api("tenant"), admin)).get("displayName")).startsWith("Tenant t-");
  }

  @Test
  void unknownQueryParameter_gives400NamingIt_onListsAndQueries() {
    String admin = (String) createTenant().get("adminKey");
    String auditor = apiKey(admin, "AUDITOR");
    String sender = apiKey(admin, "SENDER");

    // A typo for "envelope" used to answer 200 with every event of the tenant.
    HttpResponse<String> typo = get(api("audit/events?envelopeId=" + UUID.randomUUID()), auditor);
    Map<String, Object> p = assertProblem(typo, 400, "unknown-parameter");
    assertThat(p).containsEntry("field", "envelopeId");
    assertThat((String) p.get("detail")).contains("envelopeId");
    OpenApiContract.assertResponseMatches(
        "GET", "/v1/audit/events", 400, "application/problem+json", typo.body());

    HttpResponse<String> list = get(api("envelopes?limit=2&lmit=3"), sender);
    assertThat(assertProblem(list, 400, "unknown-parameter")).containsEntry("field", "lmit");
    OpenApiContract.assertResponseMatches(
        "GET", "/v1/envelopes", 400, "application/problem+json", list.body());
    assertThat(
            assertProblem(
                get(api("audit/export?format=csv&fromat=csv"), auditor), 400, "unknown-parameter"))
        .containsEntry("field", "fromat");
    assertThat(assertProblem(get(api("tenant?verbose=1"), admin), 400, "unknown-parameter"))
        .containsEntry("field", "verbose");

    // The declared ones still work; an unknown caller still gets 401 first.
    assertThat(
            get(api("audit/events?envelope=" + UUID.randomUUID() + "&limit=5"), auditor)
                .statusCode())
        .isEqualTo(200);
    assertThat(get(api("envelopes?limit=2"), sender).statusCode()).isEqualTo(200);
    assertProblem(get(api("audit/events?envelopeId=x"), null), 401, "unauthorized");
  }

  @Test
  void dataDirectory_holdsOnlyOwnerOnlyFiles_databaseIncluded() throws IOException {
    createTenant(); // the database, the keys and the audit log have been written
    Path data = SharedServer.dataDir();
    List<String> open;
    try (Stream<Path> all = Files.walk(data)) {
      open =
          all.filter(f -> !f.equals(data)) // made by whoever runs the server (run.sh: umask 077)
              .filter(ServerIT::readableByOthers)
              .map(f -> data.relativize(f) + " " + permissions(f))
              .toList();
    }
    assertThat(open).as("files and directories under %s open to group or others", data).isEmpty();
    if (ItSupport.database().equals("h2")) {
      assertThat(permissions(data.resolve("db"))).isEqualTo("rwx------");
      assertThat(permissions(data.resolve("db").resolve("sealpost.mv.db"))).isEqualTo("rw-------");
    }
  }

  private static boolean readableByOthers(Path f) {
    try {
      return Files.getPosixFilePermissions(f).stream()
          .anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
    } catch (IOException e) {
      return false; // gone meanwhile
    }
  }

  private static String permissions(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      return "missing";
    }
  }

  private String apiKey(String admin, String role) {
    HttpResponse<String> r =
        postJson(api("api-keys"), admin, "{\"role\":\"" + role + "\",\"name\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("key");
  }

  @Test
  void webhooks_managedByAdminsOfTheirTenantOnly_secretShownOnce_badUrlsNamed() {
    String admin = (String) createTenant().get("adminKey");
    String otherAdmin = (String) createTenant().get("adminKey");
    String sender =
        (String)
            json(postJson(api("api-keys"), admin, "{\"role\":\"SENDER\",\"name\":\"s\"}"))
                .get("key");
    // allow-loopback is on for the ITs: a loopback https URL passes the address check
    String url = "https://127.0.0.1:9/hooks/sealpost";
    HttpResponse<String> created =
        postJson(
            api("webhooks"), admin, "{\"url\":\"" + url + "\",\"events\":[\"envelope.opened\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = (String) json(created).get("id");
    String secret = (String) json(created).get("secret");
    assertThat(secret).startsWith("whsec_");

    HttpResponse<String> listed = get(api("webhooks"), admin);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains(id, url).doesNotContain(secret, "whsec_");
    Map<String, Object> one = json(get(api("webhooks/" + id), admin));
    assertThat(one).containsEntry("url", url).containsEntry("events", List.of("envelope.opened"));

    HttpResponse<String> changed =
        patchJson(
            api("webhooks/" + id),
            admin,
            "{\"events\":[\"envelope.opened\",\"envelope.revoked\"],\"rotateSecret\":true}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    String rotated = (String) json(changed).get("secret");
    assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
    Map<String, Object> after = (Map<String, Object>) json(changed).get("webhook");
    assertThat(after.get("events")).isEqualTo(List.of("envelope.opened", "envelope.revoked"));
    assertThat(after.get("previousSecretValidUntil")).isNotNull();
    HttpResponse<String> urlOnly =
        patchJson(api("webhooks/" + id), admin, "{\"url\":\"https://127.0.0.1:9/v2\"}");
    assertThat(json(urlOnly)).containsEntry("secret", null);

    HttpResponse<String> deliveries = get(api("webhooks/" + id + "/deliveries?limit=10"), admin);
    assertThat(deliveries.statusCode()).as(deliveries.body()).isEqualTo(200);
    assertThat(json(deliveries)).containsEntry("items", List.of());

    // another tenant's ADMIN: 404 everywhere; other roles: 403
    assertProblem(get(api("webhooks/" + id), otherAdmin), 404, "not-found");
    assertProblem(get(api("webhooks/" + id + "/deliveries"), otherAdmin), 404, "not-found");
    assertProblem(
        patchJson(api("webhooks/" + id), otherAdmin, "{\"rotateSecret\":true}"), 404, "not-found");
    assertProblem(send(request(api("webhooks/" + id), otherAdmin).DELETE()), 404, "not-found");
    assertThat(get(api("webhooks"), otherAdmin).body()).doesNotContain(id);
    assertProblem(get(api("webhooks"), sender), 403, "forbidden");
    assertProblem(
        postJson(
            api("webhooks"), sender, "{\"url\":\"" + url + "\",\"events\":[\"envelope.opened\"]}"),
        403,
        "forbidden");

    // bad input: 422 naming the field, as for a partner's jwksUri
    for (String bad :
        List.of(
            "http://93.184.216.34/hook",
            "https://10.0.0.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[fd00::1]/hook",
            "ftp://127.0.0.1/hook")) {
      Map<String, Object> p =
          assertProblem(
              postJson(
                  api("webhooks"),
                  admin,
                  "{\"url\":\"" + bad + "\",\"events\":[\"envelope.opened\"]}"),
              422,
              "invalid-field");
      assertThat(p).containsEntry("field", "url");
    }
    Map<String, Object> p =
        assertProblem(
            postJson(
                api("webhooks"), admin, "{\"url\":\"" + url + "\",\"events\":[\"envelope.read\"]}"),
            422,
            "invalid-field");
    assertThat(p).containsEntry("field", "events");

    assertThat(send(request(api("webhooks/" + id), admin).DELETE()).statusCode()).isEqualTo(204);
    assertProblem(get(api("webhooks/" + id), admin), 404, "not-found");
  }

  private Map<String, Object> createTenant() {
    String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
    return createTenant(name, "Tenant " + name);
  }

  /** The answer ({@code id}, {@code adminKey}) plus the {@code name} it was created with. */
  private Map<String, Object> createTenant(String name, String displayName) {
    HttpResponse<String> r =
        postJson(
            api("tenants"),
            BOOTSTRAP_KEY,
            "{\"name\":\"" + name + "\",\"displayName\":\"" + displayName + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Map<String, Object> m = new java.util.HashMap<>(json(r));
    assertThat(m.keySet()).containsExactlyInAnyOrder("id", "adminKey");
    m.put("name", name);
    return m;
  }
}
