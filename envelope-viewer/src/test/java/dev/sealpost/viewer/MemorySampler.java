package dev.sealpost.viewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Samples the resident memory (VmRSS, Linux /proc) of every process of one Chromium instance in a
 * background thread: the sum over all processes and the largest renderer. ArrayBuffers and Blob
 * data live outside the JavaScript heap (performance.memory does not count them), so a memory bound
 * is only believable together with these figures.
 */
final class MemorySampler implements AutoCloseable {

  private final Chromium chrome;
  private final Thread thread;
  private final long baselineTotal;
  private volatile boolean running = true;
  private volatile long peakTotal;
  private volatile long peakRenderer;
  private final java.util.Map<Long, Long> cpuAtStart = new java.util.HashMap<>();
  private final java.util.Map<Long, Long> cpuLast = new java.util.concurrent.ConcurrentHashMap<>();

  MemorySampler(Chromium chrome) {
    this.chrome = chrome;
    this.baselineTotal = sample()[0];
    cpuAtStart.putAll(cpuLast);
    this.peakTotal = baselineTotal;
    this.thread = new Thread(this::run, "chromium-memory-sampler");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    while (running) {
      long[] s = sample();
      peakTotal = Math.max(peakTotal, s[0]);
      peakRenderer = Math.max(peakRenderer, s[1]);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** {total RSS of all processes, RSS of the largest renderer}, in bytes. */
  private long[] sample() {
    long total = 0;
    long renderer = 0;
    List<ProcessHandle> all = chrome.processes();
    for (ProcessHandle p : all) {
      long rss = rss(p.pid());
      long ticks = cpuTicks(p.pid());
      if (ticks >= 0) {
        cpuLast.put(p.pid(), ticks);
      }
      total += rss;
      if (cmdline(p.pid()).contains("--type=renderer")) {
        renderer = Math.max(renderer, rss);
      }
    }
    return new long[] {total, renderer};
  }

  /** utime + stime of one process, in clock ticks (1/100 s on Linux), or -1. */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU seconds all Chromium processes spent since sampling began (a figure that a busy machine
   * distorts far less than wall time).
   */
  double cpuSeconds() {
    long ticks = 0;
    for (var e : cpuLast.entrySet()) {
      ticks += e.getValue() - cpuAtStart.getOrDefault(e.getKey(), 0L);
    }
    return ticks / 100.0;
  }

  private static String cmdline(long pid) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended meanwhile
    }
    return 0;
  }

  /** How far the sum over all processes rose above what it was when sampling began. */
  long peakGrowth() {
    return Math.max(0, peakTotal - baselineTotal);
  }

  long peakRenderer() {
    return peakRenderer;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
