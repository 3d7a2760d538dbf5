package dev.sealpost.api.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A webhook endpoint for the ITs: HTTPS ({@link HttpsServer}) on 127.0.0.1 with a throwaway
 * self-signed certificate made by {@code keytool} (SAN {@code IP:127.0.0.1}). The server under test
 * trusts it through the trust store {@link #trustStore()}, passed to its JVM as {@code
 * -Djavax.net.ssl.trustStore=...} (see {@link #javaToolOptions()}).
 *
 * <p>Every request's Standard Webhooks signature is checked here with {@link Mac} directly, written
 * from the specification and independent of the server's and the SDK's code: HMAC-SHA256 under the
 * base64-decoded {@code whsec_} secret over {@code id.timestamp.body}, any one {@code v1,}
 * signature matching, and the timestamp within 5 minutes.
 */
final class WebhookReceiver implements AutoCloseable {
  static final String PASSWORD = "changeit";

  record Received(
      String path, String id, long timestamp, String body, boolean verified, int answered) {}

  private final HttpsServer server;
  private final ExecutorService pool;
  private final Path trustStore;
  private final Map<String, List<String>> secrets = new ConcurrentHashMap<>();
  private final Map<String, Integer> failFirst = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> attemptsById = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private WebhookReceiver(HttpsServer server, ExecutorService pool, Path trustStore) {
    this.server = server;
    this.pool = pool;
    this.trustStore = trustStore;
  }

  static WebhookReceiver start(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("receiver.p12");
    Path cert = dir.resolve("receiver.pem");
    Path trust = dir.resolve("trust.p12");
    for (Path p : List.of(keyStore, cert, trust)) {
      Files.deleteIfExists(p);
    }
    keytool(
        "-genkeypair",
        "-alias",
        "receiver",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "receiver",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "receiver",
        "-file",
        cert.toString(),
        "-keystore",
        trust.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD);

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);

    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    server.setExecutor(pool);
    WebhookReceiver r = new WebhookReceiver(server, pool, trust);
    server.createContext("/", r::handle);
    server.start();
    return r;
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
    }
  }

  Path trustStore() {
    return trustStore;
  }

  /** For the server's environment: makes its JVM trust this receiver's certificate. */
  String javaToolOptions() {
    return "-Djavax.net.ssl.trustStore="
        + trustStore
        + " -Djavax.net.ssl.trustStorePassword="
        + PASSWORD
        + " -Djavax.net.ssl.trustStoreType=PKCS12";
  }

  String url(String path) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** A secret a request to {@code path} may be signed with (several during a rotation). */
  void acceptSecret(String path, String whsec) {
    secrets.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(whsec);
  }

  /** Answers 500 to the first {@code n} attempts of every webhook-id sent to {@code path}. */
  void failFirst(String path, int n) {
    failFirst.put(path, n);
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String id = x.getRequestHeaders().getFirst("webhook-id");
      String ts = x.getRequestHeaders().getFirst("webhook-timestamp");
      String sig = x.getRequestHeaders().getFirst("webhook-signature");
      boolean verified = id != null && ts != null && sig != null && verify(path, id, ts, sig, body);
      int attempt =
          id == null
              ? 1
              : attemptsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      int status = !verified ? 401 : attempt <= failFirst.getOrDefault(path, 0) ? 500 : 204;
      long timestamp = ts != null && ts.matches("[0-9]{1,12}") ? Long.parseLong(ts) : -1;
      received.add(new Received(path, id, timestamp, body, verified, status));
      x.sendResponseHeaders(status, -1);
    }
  }

  private boolean verify(String path, String id, String ts, String header, String body) {
    if (!ts.matches("[0-9]{1,12}")
        || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(ts)) > 300) {
      return false;
    }
    for (String secret : secrets.getOrDefault(path, List.of())) {
      byte[] expected = hmac(secret, id + "." + ts + "." + body);
      for (String s : header.split(" ")) {
        if (s.startsWith("v1,")
            && MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] hmac(String whsec, String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] key = Base64.getDecoder().decode(whsec.substring("whsec_".length()));
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
