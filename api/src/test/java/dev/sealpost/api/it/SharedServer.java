package dev.sealpost.api.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The one server of a Failsafe run (one database) for the IT classes whose deployment is the same,
 * {@link ItSupport#war()} at {@code /} (as run.sh serves it) in the environment Failsafe gives
 * (ServerIT, EnvelopeIT, AuditIT, PartnerIT, HostileInputIT): a Payara Micro start costs 15-60 s,
 * and these classes used to start one each (the first four at {@code /api/}, as the Arquillian
 * container named the war; their requests are all relative to {@code base}). It is started on first
 * use as the Arquillian container started theirs (same command line, options and environment; its
 * output printed to this JVM's System.out, which {@link ServerOutput} copies) and stopped when the
 * test JVM exits. The classes keep their own tests and tenants. Classes with a deployment or
 * environment of their own (ConsumerIT, the process-based ITs) still start their own while this one
 * keeps running, so this one has a data directory ({@link #dataDir()}; the run's is {@code
 * sealpost.it.dataDir}) and a PostgreSQL schema ({@code SEALPOST_DB_SCHEMA} + {@code _shared}) of
 * its own: an H2 file is opened by one process only, and the relays of two servers on one database
 * would take each other's mail jobs.
 */
final class SharedServer {
  private static final Pattern URL_LINE = Pattern.compile("^\\s*(http://[^\\s/]+:\\d+)/?\\s*$");
  private static final Pattern READY = Pattern.compile("Payara Micro .* ready in ");
  private static URL base;
  private static AssertionError failure;

  private SharedServer() {}

  /** The shared server's SEALPOST_DATA_DIR: the run's {@code sealpost.it.dataDir} + "-shared". */
  static Path dataDir() {
    return Path.of(System.getProperty("sealpost.it.dataDir", "target/it-data") + "-shared")
        .toAbsolutePath();
  }

  /** The base URL ({@code http://<host>:<port>/}) of the run's shared server. */
  static synchronized URL base() {
    if (failure != null) {
      throw failure;
    }
    if (base == null) {
      try {
        base = start();
      } catch (Exception e) {
        failure = new AssertionError("the shared IT server did not start: " + e, e);
        throw failure;
      }
    }
    return base;
  }

  private static URL start() throws Exception {
    ServerOutput.capture();
    Path dir = Files.createTempDirectory("sealpost-shared-it");
    // ROOT.war: served at "/", as run.sh does, so raw request targets are the real paths.
    Path war = dir.resolve("ROOT.war");
    ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .merge(ItSupport.war())
        .as(ZipExporter.class)
        .exportTo(war.toFile(), true);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    words(System.getProperty("payara.cmdOptions", "")).forEach(cmd::add);
    cmd.addAll(
        List.of(
            "-jar",
            System.getProperty("payara.microJar", "target/payara-micro.jar"),
            "--deploy",
            war.toString(),
            "--port",
            Integer.toString(ServerProcess.freePort()),
            "--autoBindHttp",
            "--autoBindRange",
            "1000",
            "--nocluster",
            "--showServletMappings"));
    words(System.getProperty("payara.extraMicroOptions", "")).forEach(cmd::add);
    System.out.println("SharedServer: starting Payara Micro: " + cmd);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SEALPOST_DATA_DIR", dataDir().toString());
    String schema = System.getenv("SEALPOST_DB_SCHEMA");
    if (schema != null && !schema.isBlank()) {
      pb.environment().put("SEALPOST_DB_SCHEMA", schema + "_shared");
    }
    Process process = pb.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.destroy();
                  try {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                      process.destroyForcibly();
                    }
                  } catch (InterruptedException e) {
                    process.destroyForcibly();
                  }
                  ServerProcess.deleteTree(dir);
                }));
    CompletableFuture<String> ready = new CompletableFuture<>();
    Deque<String> tail = new ArrayDeque<>();
    Thread pump = new Thread(() -> pump(process, ready, tail), "shared-it-server-output");
    pump.setDaemon(true);
    pump.start();
    String url;
    try {
      url = ready.get(240, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError("not ready in 240 s:\n" + String.join("\n", tail));
    }
    if (url == null) {
      throw new AssertionError(
          "exited with " + process.waitFor() + " before ready:\n" + String.join("\n", tail));
    }
    return new URL(url + "/");
  }

  /** Prints the server's output here, line by line, and completes {@code ready} with its URL. */
  private static void pump(Process process, CompletableFuture<String> ready, Deque<String> tail) {
    String url = null;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        System.out.println(line);
        if (!ready.isDone()) {
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > 80) {
              tail.removeFirst();
            }
          }
          Matcher m = URL_LINE.matcher(line);
          if (url == null && m.matches()) {
            url = m.group(1);
          }
          if (url != null && READY.matcher(line).find()) {
            ready.complete(url);
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    ready.complete(null);
  }

  private static Stream<String> words(String s) {
    return Stream.of(s.trim().split("\\s+")).filter(w -> !w.isEmpty());
  }
}
