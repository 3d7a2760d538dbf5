package dev.sealpost.api.soak;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL + s3proxy + KMS server of {@code benchmarks/http.sh pg}: one Payara Micro process
 * started as {@link SoakCluster} starts them (the ITs' s3proxy and local KMS server in this JVM),
 * with the benchmark endpoint on, the given bootstrap admin key and a high default rate limit.
 * Writes the server's base URL to {@code <sealpost.bench.dir>/url} once it is ready and runs until
 * its standard input closes. Not part of {@code verify}.
 *
 * <p>System properties: {@code sealpost.bench.dir}, {@code sealpost.bench.adminKey}, {@code
 * sealpost.bench.serverJvm} (the server's JVM flags, default none), {@code warFile}, {@code
 * payara.microJar}; the database from SEALPOST_DB_URL, SEALPOST_DB_USER, SEALPOST_DB_PASSWORD.
 */
public final class HttpBenchServer {
  private HttpBenchServer() {}

  public static void main(String[] args) {
    try {
      run();
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(2); // s3proxy and the KMS server would keep the JVM alive
    }
  }

  private static void run() throws Exception {
    Path dir = Path.of(System.getProperty("sealpost.bench.dir")).toAbsolutePath();
    Path war = Path.of(System.getProperty("warFile", "target/api.war")).toAbsolutePath();
    Path micro =
        Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")).toAbsolutePath();
    Map<String, String> env =
        Map.of(
            "SEALPOST_BOOTSTRAP_ADMIN_KEY", System.getProperty("sealpost.bench.adminKey"),
            "SEALPOST_BENCH_ENDPOINT", "true",
            "SEALPOST_RATE_LIMIT_PER_MINUTE", "1000000");
    String jvm = System.getProperty("sealpost.bench.serverJvm", "");
    try (SoakCluster cluster = SoakCluster.start(dir, war, micro, jvm, List.of("pg"), env)) {
      // Stopped by a signal instead: the Payara process must not outlive this JVM.
      Thread hook = new Thread(() -> cluster.servers.forEach(x -> x.process().destroy()));
      Runtime.getRuntime().addShutdownHook(hook);
      SoakCluster.Server s = cluster.servers.get(0);
      Files.writeString(
          dir.resolve("url"), "http://127.0.0.1:" + s.port() + "\n", StandardCharsets.UTF_8);
      System.out.println("ready: http://127.0.0.1:" + s.port() + " (log " + s.log() + ")");
      // until benchmarks/http.sh closes our standard input
      while (System.in.read() >= 0) {
        // ignore input
      }
    }
  }
}
