package dev.sealpost.api.soak;

import dev.sealpost.api.soak.SoakCluster.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak test: two server instances on PostgreSQL, s3proxy and the local KMS ({@link
 * SoakCluster}) under a fixed rate of mixed traffic ({@link SoakTraffic}) for SOAK_MINUTES. Run it
 * with {@code benchmarks/soak.sh} (docs/PERFORMANCE.md, "Soak"); not part of {@code verify}.
 *
 * <p>Pass: no 5xx and no error status other than the designed 409/410/423/429 (nor a client-side
 * exception), the live heap of each instance after a full GC flat after the warm-up (the last
 * minute at most 20% + 16 MiB above the first minute after warm-up), and {@code GET
 * /v1/audit/verify} ok on both instances at the end. Exit code 0 on pass, 1 on fail.
 *
 * <p>Environment: SOAK_MINUTES (10), SOAK_RATE operations per second (4), SOAK_WARMUP_MINUTES (2),
 * SOAK_WORKERS (16), SOAK_SERVER_JVM (-Xms512m -Xmx512m -XX:+UseSerialGC), and the database as for
 * the ITs: SEALPOST_DB_URL, SEALPOST_DB_USER, SEALPOST_DB_PASSWORD.
 */
public final class Soak {
  private Soak() {}

  public static void main(String[] args) {
    try {
      System.exit(run() ? 0 : 1);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(2); // s3proxy and the KMS server would keep the JVM alive
    }
  }

  private static boolean run() throws Exception {
    int minutes = env("SOAK_MINUTES", 10);
    int rate = env("SOAK_RATE", 4);
    int warmup = Math.min(env("SOAK_WARMUP_MINUTES", 2), Math.max(0, minutes - 1));
    int workers = env("SOAK_WORKERS", 16);
    String jvm =
        System.getenv().getOrDefault("SOAK_SERVER_JVM", "-Xms512m -Xmx512m -XX:+UseSerialGC");
    String run = Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    Path dir = Path.of("target", "soak", run).toAbsolutePath();
    Files.createDirectories(dir);
    Path war = Path.of(System.getProperty("warFile", "target/api.war")).toAbsolutePath();
    Path micro = Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar"));

    StringBuilder report = new StringBuilder();
    report
        .append("# Soak ")
        .append(Instant.now())
        .append("\n\n")
        .append(
            String.format(
                "%d min at %d op/s, warm-up %d min, server JVM `%s`, %d cores, load %s at start%n%n",
                minutes,
                rate,
                warmup,
                jvm,
                Runtime.getRuntime().availableProcessors(),
                loadAverage()));
    boolean pass;
    try (SoakCluster cluster = SoakCluster.start(dir, war, micro.toAbsolutePath(), jvm)) {
      SoakStats stats = new SoakStats();
      SoakTraffic traffic = new SoakTraffic(cluster.servers, stats);
      traffic.setUp();
      List<double[]> heaps = drive(cluster.servers, traffic, stats, minutes, rate, workers, report);
      report.append('\n').append(stats.table()).append('\n');
      boolean auditOk = traffic.auditVerifiesOnEveryInstance(report);
      Map<String, Long> unexpected = stats.unexpected();
      boolean heapFlat = heapFlat(heaps, warmup, report);
      report
          .append("\n- requests: ")
          .append(stats.total())
          .append(", operations not started (the rate was not held): ")
          .append(stats.droppedCount())
          .append("\n- unexpected statuses: ")
          .append(unexpected.isEmpty() ? "none" : unexpected.toString())
          .append("\n- heap flat after warm-up: ")
          .append(heapFlat)
          .append("\n- audit verify ok on both: ")
          .append(auditOk)
          .append('\n');
      pass = unexpected.isEmpty() && heapFlat && auditOk;
    }
    report.append("\n**").append(pass ? "PASS" : "FAIL").append("**\n");
    Files.writeString(dir.resolve("report.md"), report);
    System.out.println(report);
    System.out.println("report: " + dir.resolve("report.md"));
    return pass;
  }

  /** Drives the mix for {@code minutes}; answers each minute's live heap per server (MiB). */
  private static List<double[]> drive(
      List<Server> servers,
      SoakTraffic traffic,
      SoakStats stats,
      int minutes,
      int rate,
      int workers,
      StringBuilder report)
      throws InterruptedException {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            workers, workers, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(workers * 4));
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    AtomicLong n = new AtomicLong();
    clock.scheduleAtFixedRate(
        () -> {
          long i = n.getAndIncrement();
          try {
            pool.execute(() -> traffic.step(i));
          } catch (RejectedExecutionException e) {
            stats.dropped();
          }
        },
        0,
        1_000_000 / rate,
        TimeUnit.MICROSECONDS);
    List<double[]> heaps = new ArrayList<>();
    report.append(
        "| minute | requests so far | load average | live heap a MiB | live heap b MiB |\n");
    report.append("| ---: | ---: | --- | ---: | ---: |\n");
    long start = System.nanoTime();
    for (int m = 1; m <= minutes; m++) {
      // Wall-clock minutes: the heap samples (a full GC on each server) must not stretch the run.
      long next = start + TimeUnit.MINUTES.toNanos(m);
      TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
      double[] h = servers.stream().mapToDouble(SoakCluster::liveHeapMiB).toArray();
      heaps.add(h);
      String row =
          String.format(
              "| %d | %d | %s | %.0f | %.0f |%n",
              m, stats.total(), loadAverage(), h[0], h.length > 1 ? h[1] : -1);
      report.append(row);
      System.out.print(row);
    }
    clock.shutdownNow();
    pool.shutdown();
    pool.awaitTermination(120, TimeUnit.SECONDS);
    return heaps;
  }

  private static boolean heapFlat(List<double[]> heaps, int warmup, StringBuilder report) {
    double[] first = heaps.get(Math.min(warmup, heaps.size() - 1));
    double[] last = heaps.get(heaps.size() - 1);
    boolean flat = true;
    for (int i = 0; i < first.length; i++) {
      flat &= first[i] > 0 && last[i] <= first[i] * 1.2 + 16;
    }
    return flat;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }

  private static int env(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }
}
