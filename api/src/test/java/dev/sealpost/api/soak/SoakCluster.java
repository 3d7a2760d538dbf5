package dev.sealpost.api.soak;

import dev.sealpost.api.infrastructure.blobs.S3ProxyServer;
import dev.sealpost.api.infrastructure.keys.LocalKmsProtocolServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The production shape the soak drives, as ProductionIT starts it: two Payara Micro processes on
 * one PostgreSQL schema, one S3-compatible bucket (s3proxy, in this JVM) and one KMS (the local
 * KMS-protocol server, in this JVM), mail to each instance's outbox directory. Unlike the IT, the
 * servers run with the JVM flags of {@code SOAK_SERVER_JVM} (default: full JIT, a fixed 512 MiB
 * heap), so a leak shows as growth of the heap after a full GC.
 */
final class SoakCluster implements AutoCloseable {
  static final String BOOTSTRAP_KEY = "sp_soak-bootstrap-admin-key-0123456789abcdefghijklmn";
  private static final String BUCKET = "sealpost-soak";
  private static final String REGION = "us-east-1";

  /** One Payara Micro process. */
  record Server(String name, int port, Process process, Path dataDir, Path log) {
    URI api(String path) {
      return URI.create("http://127.0.0.1:" + port + "/v1/" + path);
    }

    URI root(String path) {
      return URI.create("http://127.0.0.1:" + port + "/" + path);
    }

    Path outbox() {
      return dataDir.resolve("outbox");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final S3ProxyServer s3;
  private final LocalKmsProtocolServer kms;
  private final String schema;
  final List<Server> servers = new ArrayList<>();

  private SoakCluster(S3ProxyServer s3, LocalKmsProtocolServer kms, String schema) {
    this.s3 = s3;
    this.kms = kms;
    this.schema = schema;
  }

  static SoakCluster start(Path dir, Path war, Path microJar, String serverJvm) throws Exception {
    return start(dir, war, microJar, serverJvm, List.of("a", "b"), Map.of());
  }

  /**
   * {@code names.size()} servers; {@code extraEnv} is added to (and overrides) the servers'
   * environment (benchmarks/http.sh: its own bootstrap key, the benchmark endpoint, a rate limit).
   */
  static SoakCluster start(
      Path dir,
      Path war,
      Path microJar,
      String serverJvm,
      List<String> names,
      Map<String, String> extraEnv)
      throws Exception {
    S3ProxyServer s3 = S3ProxyServer.start(BUCKET);
    LocalKmsProtocolServer kms = LocalKmsProtocolServer.start();
    String schema = "soak_" + Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
    SoakCluster c = new SoakCluster(s3, kms, schema);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SEALPOST_DB_SCHEMA", schema);
    env.put("SEALPOST_BLOBS", "s3");
    env.put("SEALPOST_S3_BUCKET", BUCKET);
    env.put("SEALPOST_S3_ENDPOINT", s3.endpoint().toString());
    env.put("SEALPOST_S3_PATH_STYLE", "true");
    env.put("SEALPOST_S3_REGION", REGION);
    env.put("SEALPOST_KEYS", "aws-kms");
    env.put("SEALPOST_KMS_KEY_ID", kms.createSymmetricKey("sealpost-data"));
    env.put("SEALPOST_KMS_ENDPOINT", kms.endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
    env.put("AWS_REGION", REGION);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("SEALPOST_BOOTSTRAP_ADMIN_KEY", BOOTSTRAP_KEY);
    env.put("SEALPOST_MAIL", "outbox");
    env.put("SEALPOST_DB_POOL_SIZE", "24");
    env.put("SEALPOST_EXIT_ON_START_FAILURE", "true");
    env.putAll(extraEnv);
    try {
      for (String name : names) {
        c.servers.add(launch(name, dir, war, microJar, serverJvm, env));
      }
      for (Server s : c.servers) {
        awaitReady(s);
      }
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Server launch(
      String name, Path dir, Path war, Path microJar, String jvm, Map<String, String> env)
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve(name);
    Path rootDir = data.resolve("payara");
    Files.createDirectories(rootDir);
    Path log = data.resolve("server.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Stream.of(jvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(cmd::add);
    cmd.addAll(
        List.of(
            "-jar",
            microJar.toString(),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/",
            "--nocluster",
            "--port",
            Integer.toString(port),
            "--rootdir",
            rootDir.toString(),
            // the domain settings run.sh and the container use
            "--prebootcommandfile",
            Path.of("src/main/payara/preboot.asadmin").toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("SEALPOST_DATA_DIR", data.toString());
    pb.environment().put("SEALPOST_PORT", Integer.toString(port));
    return new Server(name, port, pb.start(), data, log);
  }

  private static void awaitReady(Server s) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
    while (System.nanoTime() < deadline) {
      if (!s.process().isAlive()) {
        throw new IllegalStateException("server " + s + " exited; see " + s.log());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(s.root("health/ready"))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(2000);
    }
    throw new IllegalStateException("server " + s + " not ready in 900 s; see " + s.log());
  }

  /**
   * The server's live heap in MiB: {@code jcmd GC.run} (a full collection), then {@code jstat -gc}
   * (survivor, eden and old generation in use). -1 when the JDK tools cannot attach.
   */
  static double liveHeapMiB(Server s) {
    try {
      run("jcmd", Long.toString(s.process().pid()), "GC.run");
      String[] lines = run("jstat", "-gc", Long.toString(s.process().pid())).trim().split("\n");
      String[] names = lines[0].trim().split("\\s+");
      String[] values = lines[lines.length - 1].trim().split("\\s+");
      double kib = 0;
      for (int i = 0; i < names.length; i++) {
        if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
          kib += Double.parseDouble(values[i]);
        }
      }
      return kib / 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String run(String tool, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(tool + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (Server s : servers) {
      s.process().destroy();
    }
    for (Server s : servers) {
      if (!s.process().waitFor(30, TimeUnit.SECONDS)) {
        s.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      deleteTree(s.dataDir().resolve("payara"));
    }
    s3.close();
    kms.close();
    try (Connection c =
            DriverManager.getConnection(
                System.getenv("SEALPOST_DB_URL"),
                System.getenv("SEALPOST_DB_USER"),
                System.getenv("SEALPOST_DB_PASSWORD"));
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
