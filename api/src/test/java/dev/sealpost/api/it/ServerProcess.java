package dev.sealpost.api.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Payara Micro process running the packaged war, started as run.sh starts the server ({@code
 * java -jar payara-micro.jar --deploy ... --contextroot / --nocluster}) with the ITs' JVM flags
 * ({@code payara.cmdOptions}) and the parts chosen by environment variables only, as in a
 * container. Shared by the process-based ITs ({@link ProductionIT}, {@link FaultIT}); output goes
 * to {@code <dataDir>/server.log} (then {@code server-2.log}... after each {@link #restart()}).
 */
record ServerProcess(
    String name,
    int port,
    Process process,
    Path dataDir,
    Path log,
    Path war,
    Map<String, String> env,
    List<String> payaraOptions,
    int generation) {

  URI api(String path) {
    return URI.create("http://127.0.0.1:" + port + "/v1/" + path);
  }

  URI root(String path) {
    return URI.create("http://127.0.0.1:" + port + "/" + path);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Starts {@code war} as {@code <dir>/<name>} on a free port with {@code env} added. */
  static ServerProcess launch(String name, Path dir, Path war, Map<String, String> env)
      throws IOException {
    return launch(
        name, dir, war, env, List.of("--logproperties", "src/main/payara/logging.properties"));
  }

  /**
   * As {@link #launch(String, Path, Path, Map)} with Payara options of its own (log properties,
   * preboot file); a {@code null} value in {@code env} removes that inherited variable.
   */
  static ServerProcess launch(
      String name, Path dir, Path war, Map<String, String> env, List<String> payaraOptions)
      throws IOException {
    return start(name, freePort(), dir.resolve(name), war, env, payaraOptions, 1);
  }

  private static ServerProcess start(
      String name,
      int port,
      Path data,
      Path war,
      Map<String, String> env,
      List<String> payaraOptions,
      int generation)
      throws IOException {
    // A fresh Payara root per start: a reused --rootdir with --deploy logs an undeploy error.
    Path rootDir = data.resolve(generation == 1 ? "payara" : "payara-" + generation);
    Files.createDirectories(rootDir);
    Path log = data.resolve(generation == 1 ? "server.log" : "server-" + generation + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String jvm = System.getProperty("payara.cmdOptions", "");
    Stream.of(jvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(cmd::add);
    cmd.addAll(
        List.of(
            "-jar",
            System.getProperty("payara.microJar", "target/payara-micro.jar"),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/",
            "--nocluster",
            "--port",
            Integer.toString(port),
            "--rootdir",
            rootDir.toString()));
    cmd.addAll(payaraOptions);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    pb.environment().put("SEALPOST_DATA_DIR", data.toString());
    pb.environment().put("SEALPOST_PORT", Integer.toString(port));
    return new ServerProcess(
        name,
        port,
        pb.start(),
        data,
        log,
        war,
        new LinkedHashMap<>(env),
        payaraOptions,
        generation);
  }

  /** Kills the process at once ({@code kill -9}): no shutdown hook, no graceful stop. */
  ServerProcess killNow() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("server " + name + " did not die");
    }
    return this;
  }

  /** The same server (port, data directory, environment) started again after it ended. */
  ServerProcess restart() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException("still running: " + name);
    }
    return start(name, port, dataDir, war, env, payaraOptions, generation + 1);
  }

  /** Waits (up to 240 s) for {@code /health/ready} to answer 200. */
  ServerProcess awaitReady(HttpClient http) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "server " + name + " exited with " + process.exitValue() + ":\n" + tail(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(root("health/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("server " + name + " not ready in 240 s:\n" + tail(log));
  }

  /** Stops gracefully (forcibly after 20 s) and removes Payara's unpacked runtime (~150 MB). */
  static void stopAll(ServerProcess... servers) throws InterruptedException {
    for (ServerProcess s : servers) {
      if (s != null) {
        s.process().destroy();
      }
    }
    for (ServerProcess s : servers) {
      if (s != null && !s.process().waitFor(20, TimeUnit.SECONDS)) {
        s.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (ServerProcess s : servers) {
      if (s != null) {
        for (int g = 1; g <= s.generation(); g++) {
          deleteTree(s.dataDir().resolve(g == 1 ? "payara" : "payara-" + g));
        }
      }
    }
  }

  /** The last 80 lines of a log, for a failure message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e + ")";
    }
  }

  /** This process's log so far (every generation). */
  String logs() {
    StringBuilder all = new StringBuilder();
    for (int g = 1; g <= generation; g++) {
      Path f = dataDir.resolve(g == 1 ? "server.log" : "server-" + g + ".log");
      try {
        all.append(Files.readString(f, StandardCharsets.UTF_8));
      } catch (IOException e) {
        // not written yet
      }
    }
    return all.toString();
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: target/ is cleaned by the next build anyway
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
