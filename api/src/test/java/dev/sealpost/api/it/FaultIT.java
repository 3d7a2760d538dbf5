package dev.sealpost.api.it;

import static dev.sealpost.api.it.ItSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.infrastructure.blobs.S3ProxyServer;
import dev.sealpost.api.infrastructure.keys.LocalKmsProtocolServer;
import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.SendRequest;
import dev.sealpost.envelope.LinkSecret;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proof under faults (issue 14): a real server process on PostgreSQL, s3proxy, the local KMS
 * protocol server and GreenMail (SMTP), each reached through a {@link FaultProxy}, and killed with
 * {@code kill -9} at chosen points that the proxies hold still. For every fault: the caller gets a
 * 503 problem+json with {@code Retry-After} (or, for mail, the seal succeeds and the mail follows);
 * no envelope is lost or half-visible (a 201 is there and opens after a restart, a failure is not
 * listed); the orphan sweep removes objects no committed envelope owns; a link mailed twice is the
 * same link; and the service recovers by itself when the fault clears. A second server keeps its
 * blobs on a 1 MiB tmpfs to fill the disk.
 *
 * <p>PostgreSQL only (it-pg), like {@link ProductionIT}: skipped through an assumption otherwise.
 */
@SuppressWarnings("unchecked")
class FaultIT {
  private static final String BUCKET = "sealpost-fault-it";
  private static final String REGION = "us-east-1";
  private static final String FALLBACK_BOOTSTRAP_KEY =
      "sp_fault-it-bootstrap-admin-key-0123456789abcdefghijklm";
  private static final String SECRET = "green-lantern-17";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static S3ProxyServer s3;
  private static LocalKmsProtocolServer kms;
  private static GreenMail smtp;
  private static FaultProxy pgProxy;
  private static FaultProxy s3Proxy;
  private static FaultProxy kmsProxy;
  private static FaultProxy smtpProxy;
  private static final List<String> schemas = new ArrayList<>();
  private static Path tmpfs;
  private static volatile ServerProcess server;
  private static ServerProcess diskServer;
  private static String sender;
  private static String tenantId;

  // ---- set-up ----

  @BeforeAll
  static void start() throws Exception {
    String pgUrl = System.getenv("SEALPOST_DB_URL");
    assumeTrue(
        "postgresql".equals(ItSupport.database()) && pgUrl != null,
        "FaultIT runs on PostgreSQL (it-pg)");
    s3 = S3ProxyServer.start(BUCKET);
    kms = LocalKmsProtocolServer.start();
    String keyId = kms.createSymmetricKey("sealpost-data");
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    Matcher m = Pattern.compile("//([^/:]+):?(\\d*)/").matcher(pgUrl);
    assertThat(m.find()).as(pgUrl).isTrue();
    int pgPort = m.group(2).isEmpty() ? 5432 : Integer.parseInt(m.group(2));
    pgProxy = FaultProxy.start("pg", m.group(1), pgPort);
    s3Proxy = FaultProxy.start("s3", "127.0.0.1", s3.endpoint().getPort());
    kmsProxy = FaultProxy.start("kms", "127.0.0.1", kms.endpoint().getPort());
    smtpProxy = FaultProxy.start("smtp", "127.0.0.1", smtp.getSmtp().getPort());

    String run = java.time.LocalDateTime.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    Path dir = Path.of("target", "fault-it", run).toAbsolutePath();
    Files.createDirectories(dir);
    Path war = dir.resolve("api.war");
    ItSupport.war().as(ZipExporter.class).exportTo(war.toFile(), true);

    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEALPOST_DB_URL", m.replaceFirst("//127.0.0.1:" + pgProxy.port() + "/"));
    env.put("SEALPOST_DB_SCHEMA", schema());
    env.put("SEALPOST_BLOBS", "s3");
    env.put("SEALPOST_S3_BUCKET", BUCKET);
    env.put("SEALPOST_S3_ENDPOINT", s3Proxy.httpUri().toString());
    env.put("SEALPOST_S3_PATH_STYLE", "true");
    env.put("SEALPOST_S3_REGION", REGION);
    env.put("SEALPOST_KEYS", "aws-kms");
    env.put("SEALPOST_KMS_KEY_ID", keyId);
    env.put("SEALPOST_KMS_ENDPOINT", kmsProxy.httpUri().toString());
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("AWS_REGION", REGION);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("SEALPOST_MAIL", "smtp");
    env.put("SEALPOST_SMTP_HOST", "127.0.0.1");
    env.put("SEALPOST_SMTP_PORT", Integer.toString(smtpProxy.port()));
    env.put("SEALPOST_SMTP_FROM", "no-reply@sealpost.test");
    env.put("SEALPOST_SMTP_STARTTLS", "relaxed");
    env.put("SEALPOST_BOOTSTRAP_ADMIN_KEY", bootstrapKey());
    env.put("SEALPOST_EXIT_ON_START_FAILURE", "true");
    // Short enough to watch in a test: orphans older than 3 s go within a second or so, and a mail
    // whose sender died is sent again 5 s after it was claimed.
    env.put("SEALPOST_BLOBS_ORPHAN_GRACE", "PT3S");
    env.put("SEALPOST_BLOBS_ORPHAN_SWEEP_INTERVAL", "PT1S");
    env.put("SEALPOST_MAIL_RELAY_LEASE", "PT5S");
    server = ServerProcess.launch("s3", dir, war, env);

    diskServer = startDiskServer(dir, war, pgUrl);
    server.awaitReady(HTTP);
    Map<String, Object> t = newTenant(server);
    tenantId = (String) t.get("id");
    sender = key(server, (String) t.get("adminKey"), "SENDER");
    if (diskServer != null) {
      diskServer.awaitReady(HTTP);
    }
  }

  /** The same war with filesystem blobs on a 1 MiB tmpfs, or null when mounting is not allowed. */
  private static ServerProcess startDiskServer(Path dir, Path war, String pgUrl) throws Exception {
    Path blobs = dir.resolve("disk").resolve("blobs");
    Files.createDirectories(blobs);
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", "" + blobs)
            .redirectErrorStream(true)
            .start();
    if (!mount.waitFor(20, TimeUnit.SECONDS) || mount.exitValue() != 0) {
      return null; // not root, or no mount in this container: the disk-full case skips itself
    }
    tmpfs = blobs;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEALPOST_DB_URL", pgUrl);
    env.put("SEALPOST_DB_SCHEMA", schema());
    env.put("SEALPOST_BLOBS", "filesystem");
    env.put("SEALPOST_MAIL", "outbox");
    env.put("SEALPOST_BOOTSTRAP_ADMIN_KEY", bootstrapKey());
    env.put("SEALPOST_EXIT_ON_START_FAILURE", "true");
    env.put("SEALPOST_BLOBS_ORPHAN_GRACE", "PT3S");
    env.put("SEALPOST_BLOBS_ORPHAN_SWEEP_INTERVAL", "PT1S");
    return ServerProcess.launch("disk", dir, war, env);
  }

  private static String schema() {
    String s = "fault_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
    schemas.add(s);
    return s;
  }

  private static String bootstrapKey() {
    return ItSupport.BOOTSTRAP_KEY != null ? ItSupport.BOOTSTRAP_KEY : FALLBACK_BOOTSTRAP_KEY;
  }

  /** Every part passes again (frozen connections are reset); a killed server is started again. */
  @AfterEach
  void everyPartBack() throws Exception {
    for (FaultProxy p : new FaultProxy[] {pgProxy, s3Proxy, kmsProxy, smtpProxy}) {
      if (p != null) {
        p.pass();
      }
    }
    if (server != null && !server.process().isAlive()) {
      server = server.restart().awaitReady(HTTP);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    ServerProcess.stopAll(server, diskServer);
    if (tmpfs != null) {
      new ProcessBuilder("umount", tmpfs.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : new AutoCloseable[] {pgProxy, s3Proxy, kmsProxy, smtpProxy, s3, kms}) {
      if (c != null) {
        c.close();
      }
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (!schemas.isEmpty()) {
      try (Connection c =
              DriverManager.getConnection(
                  System.getenv("SEALPOST_DB_URL"),
                  System.getenv("SEALPOST_DB_USER"),
                  System.getenv("SEALPOST_DB_PASSWORD"));
          Statement st = c.createStatement()) {
        for (String s : schemas) {
          st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
        }
      }
    }
  }

  // ---- the faults: S3 ----

  @Test
  void s3Down_sealIs503WithRetryAfter_nothingListedOrLeft_thenRecoversByItself() throws Exception {
    Set<String> before = listed(server);
    s3Proxy.down();
    assertUnavailable(seal(server, body(64 * 1024, false, false)), "storage-unavailable");
    s3Proxy.pass();
    assertThat(listed(server)).isEqualTo(before);
    assertSealWorks(server);
    assertNoOrphans();
  }

  @Test
  void s3Answers503_sealIs503WithRetryAfter_thenRecoversByItself() throws Exception {
    Set<String> before = listed(server);
    s3Proxy.http503();
    assertUnavailable(seal(server, body(1024, false, false)), "storage-unavailable");
    s3Proxy.pass();
    assertThat(listed(server)).isEqualTo(before);
    assertSealWorks(server);
    assertNoOrphans();
  }

  @Test
  void s3DropsTheConnectionMidUpload_sealIs503_noObjectLeft() throws Exception {
    Set<String> before = listed(server);
    s3Proxy.dropAfter(20_000);
    assertUnavailable(seal(server, body(256 * 1024, false, false)), "storage-unavailable");
    s3Proxy.pass();
    assertThat(listed(server)).isEqualTo(before);
    assertSealWorks(server);
    assertNoOrphans();
  }

  @Test
  void s3Slow_sealStillSucceeds() throws Exception {
    s3Proxy.latency(Duration.ofMillis(300));
    long t0 = System.nanoTime();
    String id = created(seal(server, body(32 * 1024, false, false)));
    assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(300));
    assertThat(listed(server)).contains(id);
  }

  @Test
  void s3DownWhileOpening_is503_thenTheSameLinkOpens() throws Exception {
    Map<String, Object> created = json(seal(server, body(1024, true, false)));
    Link link = linkOf(created);
    String token = verify(server, link);
    s3Proxy.down();
    assertUnavailable(
        get(server.api("open/" + link.envelopeId() + "/manifest"), token), "storage-unavailable");
    s3Proxy.pass();
    assertThat(get(server.api("open/" + link.envelopeId() + "/manifest"), token).statusCode())
        .isEqualTo(200);
  }

  // ---- KMS ----

  @Test
  void kmsDownFailingOrDropping_sealIs503KeyUnavailable_thenRecoversByItself() throws Exception {
    Set<String> before = listed(server);
    kmsProxy.down();
    assertUnavailable(seal(server, body(1024, false, false)), "key-unavailable");
    kmsProxy.http503();
    assertUnavailable(seal(server, body(1024, false, false)), "key-unavailable");
    kmsProxy.dropAfter(10);
    assertUnavailable(seal(server, body(1024, false, false)), "key-unavailable");
    kmsProxy.latency(Duration.ofMillis(200));
    String slow = created(seal(server, body(1024, false, false)));
    kmsProxy.pass();
    assertThat(listed(server)).containsAll(before).contains(slow).hasSize(before.size() + 1);
    assertSealWorks(server);
    assertNoOrphans();
  }

  // ---- PostgreSQL ----

  @Test
  void databaseDownOrDropping_is503WithRetryAfter_thenRecoversByItself() throws Exception {
    Set<String> before = listed(server);
    pgProxy.down();
    assertUnavailable(seal(server, body(1024, false, false)), "busy", "database-unavailable");
    pgProxy.pass();
    assertThat(listed(server)).isEqualTo(before);
    pgProxy.dropAfter(300);
    assertUnavailable(seal(server, body(1024, false, false)), "busy", "database-unavailable");
    pgProxy.latency(Duration.ofMillis(20));
    String slow = created(seal(server, body(1024, false, false)));
    pgProxy.pass();
    assertThat(listed(server)).containsAll(before).contains(slow).hasSize(before.size() + 1);
    assertSealWorks(server);
    assertNoOrphans();
  }

  // ---- SMTP ----

  @Test
  void smtpDown_sealSucceeds_andTheMailFollowsOnceWhenItIsBack() throws Exception {
    smtpProxy.down();
    String email = "down-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    created(seal(server, body(1024, false, true, email)));
    Thread.sleep(1_500); // at least one failed attempt
    assertThat(mailsTo(email)).isEmpty();
    smtpProxy.latency(Duration.ofMillis(100)); // back, and slow: every chunk waits 100 ms
    await(Duration.ofSeconds(40), () -> mailsTo(email).size() == 1, "the mail after SMTP is back");
    Thread.sleep(2_000);
    assertThat(mailsTo(email)).hasSize(1);
  }

  // ---- the SDK ----

  @Test
  void sdkEnvelopeClient_retriesA503_andCreatesExactlyOneEnvelope() throws Exception {
    Set<String> before = listed(server);
    s3Proxy.http503();
    CompletableFuture<Void> back =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(2_000);
                s3Proxy.pass();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    String id;
    try (EnvelopeClient client =
        EnvelopeClient.builder()
            .endpoint(server.root(""))
            .apiKey(sender)
            .allowPlainHttp(true)
            .maxRetries(3)
            .build()) {
      id =
          client
              .send(
                  SendRequest.builder()
                      .subject("Your policy documents")
                      .message("sent through a failing store")
                      .recipient(
                          SendRequest.Recipient.consumerWithEmailCode("sdk-retry@example.com"))
                      .notifyRecipients(false)
                      .attach("a.bin", "application/octet-stream", new byte[2048])
                      .build())
              .envelopeId();
    }
    back.get(10, TimeUnit.SECONDS);
    Set<String> after = listed(server);
    after.removeAll(before);
    assertThat(after).containsExactly(id);
  }

  // ---- disk full ----

  @Test
  void diskFull_filesystemBlobs_sealIs503_spaceIsGivenBack_andASmallSealWorks() throws Exception {
    assumeTrue(diskServer != null, "mounting a small tmpfs is not allowed here");
    Map<String, Object> t = newTenant(diskServer);
    String diskSender = key(diskServer, (String) t.get("adminKey"), "SENDER");
    HttpResponse<String> full =
        send(
            ItSupport.request(diskServer.api("envelopes"), diskSender)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(2 * 1024 * 1024, false, false))));
    assertUnavailable(full, "storage-unavailable");
    // The failed seal deleted what it had written: the space is back and no file is left.
    try (var files = Files.walk(tmpfs)) {
      assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
    }
    HttpResponse<String> small =
        send(
            ItSupport.request(diskServer.api("envelopes"), diskSender)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(64 * 1024, false, false))));
    assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
  }

  // ---- crashes (kill -9) at chosen points, all in one kill ----

  @Test
  void killedAtFourPoints_committedEnvelopesOpen_uncommittedAreGone_orphansSwept_mailIsTheSameLink()
      throws Exception {
    // (1) revoked, killed between the commit and the deletion of its objects
    String revoked = created(seal(server, body(8 * 1024, false, false)));
    assertThat(objectsOf(revoked)).isNotEmpty();
    // (2) notified, killed between the commit and the mail: GreenMail has it, the server never
    //     hears the 250 after DATA, so the row stays SENDING
    String email = "crash-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    CountDownLatch mailHeld = smtpProxy.holdResponseAfter("\r\n.\r\n");
    String notified = created(seal(server, body(1024, true, true, email)));
    await(Duration.ofSeconds(20), () -> mailHeld.getCount() == 0, "the mail's DATA held");
    await(Duration.ofSeconds(10), () -> mailsTo(email).size() == 1, "GreenMail got the mail");

    CountDownLatch deleteHeld = s3Proxy.holdRequestAt("?delete", 0);
    CompletableFuture<HttpResponse<String>> revoking =
        async(() -> send(ItSupport.request(server.api("envelopes/" + revoked), sender).DELETE()));
    assertThat(deleteHeld.await(20, TimeUnit.SECONDS)).as("DeleteObjects held").isTrue();
    // (3) killed between the objects' writes and the commit: every object is stored, and the
    //     INSERT of the envelope row (whose parameters name its manifest object) is held;
    // (4) killed during an attachment upload, 30 KB into its body
    CountDownLatch commitHeld = pgProxy.holdRequestAt("manifest.jwe", 0);
    CompletableFuture<HttpResponse<String>> sealing =
        async(() -> seal(server, body(16 * 1024, false, false)));
    assertThat(commitHeld.await(20, TimeUnit.SECONDS)).as("envelope INSERT held").isTrue();
    CountDownLatch uploadHeld = s3Proxy.holdRequestAt("PUT /", 30_000);
    CompletableFuture<HttpResponse<String>> uploading =
        async(() -> seal(server, body(512 * 1024, false, false)));
    assertThat(uploadHeld.await(20, TimeUnit.SECONDS)).as("attachment PUT held").isTrue();
    Set<String> bucketBefore = envelopesInBucket();

    server.killNow();
    // The revocation is committed; its answer is lost with the process, or (if the S3 client gave
    // up on the held DeleteObjects first) it is 200 and the deletion is left to the orphan sweep.
    try {
      assertThat(revoking.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    } catch (java.util.concurrent.ExecutionException killed) {
      // the connection died with the process
    }
    assertThat(sealing).failsWithin(Duration.ofSeconds(10));
    assertThat(uploading).failsWithin(Duration.ofSeconds(10));
    everyPartBack(); // and start the killed server again, on the same database and bucket

    Set<String> listed = listed(server);
    assertThat(listed).contains(notified).doesNotContain(revoked);
    assertThat(status(server, revoked)).isEqualToIgnoringCase("revoked");
    assertThat(bucketBefore).contains(revoked);
    // Nothing of the two unfinished seals is listed, and the sweep deletes every object that no
    // committed envelope owns, the revoked one's included.
    assertNoOrphans();
    // The mail is sent again after the relay's lease: the very same link, which opens once.
    await(Duration.ofSeconds(40), () -> mailsTo(email).size() == 2, "the mail sent again");
    List<String> links = new ArrayList<>();
    for (MimeMessage mail : mailsTo(email)) {
      links.add(linkIn(GreenMailUtil.getBody(mail)));
    }
    assertThat(links.get(1)).isEqualTo(links.get(0));
    Link link = parseLink(links.get(0));
    assertThat(link.envelopeId()).isEqualTo(notified);
    String token = verify(server, link);
    assertThat(get(server.api("open/" + notified + "/manifest"), token).statusCode())
        .isEqualTo(200);
    assertSealWorks(server);
  }

  /**
   * Group commit (issue 15): concurrent seals share one transaction and one commit, and each 201
   * must still follow that commit. The server is killed while half of 24 concurrent seals have
   * their 201 and the rest are in flight; after the restart every envelope answered 201 is listed.
   */
  @Test
  void killedRightAfterConcurrent201s_everyAnsweredEnvelopeIsListedAfterTheRestart()
      throws Exception {
    int n = 24;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<String> answered = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch half = new CountDownLatch(n / 2);
    try {
      for (int i = 0; i < n; i++) {
        pool.submit(
            () -> {
              HttpResponse<String> r = seal(server, body(1024, false, false));
              if (r.statusCode() == 201) {
                answered.add(created(r));
                half.countDown();
              }
              return null;
            });
      }
      assertThat(half.await(120, TimeUnit.SECONDS)).as("half of the seals answered").isTrue();
      server.killNow();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
    }
    Set<String> ok = Set.copyOf(answered);
    assertThat(ok).hasSizeGreaterThanOrEqualTo(n / 2);
    everyPartBack(); // start the killed server again, on the same database and bucket
    assertThat(listed(server)).containsAll(ok);
  }

  // ---- assertions ----

  /** A 503 problem+json with Retry-After, of one of the given types, with nothing internal. */
  private static void assertUnavailable(HttpResponse<String> r, String... slugs) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
    assertThat(Long.parseLong(r.headers().firstValue("Retry-After").get())).isPositive();
    List<String> types = new ArrayList<>();
    for (String s : slugs) {
      types.add("https://sealpost.dev/problems/" + s);
    }
    assertThat((String) json(r).get("type")).as(r.body()).isIn(types);
    assertThat(r.body()).doesNotContain("Exception", "\tat ", "dev.sealpost.", "SQL");
  }

  /** The service serves again: a seal is 201 and listed. */
  private static void assertSealWorks(ServerProcess s) {
    String id = created(seal(s, body(4096, false, false)));
    assertThat(listed(s)).contains(id);
  }

  /** Eventually every object in the bucket belongs to a listed (committed, active) envelope. */
  private static void assertNoOrphans() throws Exception {
    await(
        Duration.ofSeconds(40),
        () -> {
          Set<String> inBucket = envelopesInBucket();
          inBucket.removeAll(listed(server));
          return inBucket.isEmpty();
        },
        "objects without a committed envelope swept");
  }

  private static void await(Duration max, BooleanSupplier done, String what) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + max + ": " + what);
      }
      Thread.sleep(200);
    }
  }

  // ---- helpers ----

  record Link(String envelopeId, String recipientId, String secret) {
    String token() {
      return LinkSecret.fromBase64Url(secret).tokenBase64Url();
    }
  }

  private static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.call();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("no answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> get(URI uri, String bearer) {
    return send(ItSupport.request(uri, bearer).GET());
  }

  private static HttpResponse<String> postJson(URI uri, String key, String json) {
    return send(
        ItSupport.request(uri, key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static Map<String, Object> newTenant(ServerProcess s) {
    String name = "f-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> r =
        postJson(s.api("tenants"), bootstrapKey(), "{\"name\":\"" + name + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private static String key(ServerProcess s, String admin, String role) {
    HttpResponse<String> r =
        postJson(s.api("api-keys"), admin, "{\"role\":\"" + role + "\",\"name\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("key");
  }

  private static String body(int attachmentBytes, boolean sharedSecret, boolean notify) {
    return body(
        attachmentBytes,
        sharedSecret,
        notify,
        "c-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
  }

  /** One consumer; SHARED_SECRET where a test opens it (the secret's hash is slow), else OTP. */
  private static String body(int attachmentBytes, boolean sharedSecret, boolean notify, String to) {
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("type", "consumer");
    recipient.put("email", to);
    recipient.put(
        "verification",
        sharedSecret
            ? Map.of("method", "SHARED_SECRET", "secret", SECRET)
            : Map.of("method", "EMAIL_OTP"));
    byte[] data = new byte[attachmentBytes];
    RANDOM.nextBytes(data);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", "Your policy documents");
    body.put("message", "a message under faults");
    body.put("recipients", List.of(recipient));
    body.put("notify", notify);
    body.put(
        "attachments",
        List.of(
            Map.of(
                "name",
                "policy.pdf",
                "contentType",
                "application/pdf",
                "data",
                Base64.getEncoder().encodeToString(data))));
    return JSONObjectUtils.toJSONString(body);
  }

  private static HttpResponse<String> seal(ServerProcess s, String body) {
    return postJson(s.api("envelopes"), sender, body);
  }

  private static String created(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return (String) json(r).get("id");
  }

  /** The ids of the tenant's envelopes that the list shows as active. */
  private static Set<String> listed(ServerProcess s) {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      HttpResponse<String> r =
          get(s.api("envelopes?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)), sender);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Map<String, Object> page = json(r);
      for (Map<String, Object> e : (List<Map<String, Object>>) page.get("items")) {
        if ("active".equalsIgnoreCase((String) e.get("status"))) {
          ids.add((String) e.get("id"));
        }
      }
      cursor = (String) page.get("nextCursor");
    } while (cursor != null);
    return ids;
  }

  private static String status(ServerProcess s, String envelopeId) {
    HttpResponse<String> r = get(s.api("envelopes/" + envelopeId), sender);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (String) json(r).get("status");
  }

  /** The envelope ids that have objects in the bucket under this test's tenant. */
  private static Set<String> envelopesInBucket() {
    Set<String> ids = new HashSet<>();
    for (StorageMetadata m :
        s3.backend()
            .list(BUCKET, ListContainerOptions.Builder.recursive().prefix(tenantId + "/"))) {
      if (m.getType() == StorageType.BLOB) {
        ids.add(m.getName().split("/")[1]);
      }
    }
    return ids;
  }

  private static List<String> objectsOf(String envelopeId) {
    List<String> names = new ArrayList<>();
    for (StorageMetadata m :
        s3.backend()
            .list(
                BUCKET,
                ListContainerOptions.Builder.recursive()
                    .prefix(tenantId + "/" + envelopeId + "/"))) {
      if (m.getType() == StorageType.BLOB) {
        names.add(m.getName());
      }
    }
    return names;
  }

  private static List<MimeMessage> mailsTo(String email) {
    List<MimeMessage> out = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      try {
        for (var a : m.getAllRecipients()) {
          if (a.toString().contains(email)) {
            out.add(m);
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  private static final Pattern LINK =
      Pattern.compile("https?://\\S+/v/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+");

  private static String linkIn(String body) {
    String unfolded = body.replace("=\r\n", "").replace("=3D", "=");
    Matcher m = LINK.matcher(unfolded);
    assertThat(m.find()).as(unfolded).isTrue();
    return m.group();
  }

  private static Link parseLink(String url) {
    String[] parts = url.substring(url.indexOf("/v/") + 3).split("[/#]");
    return new Link(parts[0], parts[1], parts[2]);
  }

  private static Link linkOf(Map<String, Object> created) {
    String url =
        (String) ((List<Map<String, Object>>) created.get("recipients")).get(0).get("link");
    return parseLink(url);
  }

  /** Verifies with the shared secret; answers the access token. */
  private static String verify(ServerProcess s, Link l) {
    HttpResponse<String> r =
        postJson(
            s.api("open/" + l.envelopeId() + "/" + l.recipientId() + "/verify"),
            null,
            JSONObjectUtils.toJSONString(Map.of("token", l.token(), "secret", SECRET)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return (String) json(r).get("accessToken");
  }
}
