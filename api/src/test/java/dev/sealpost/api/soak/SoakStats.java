package dev.sealpost.api.soak;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak saw: per operation, every latency and the count of each status (or exception
 * class); a few answer bodies of unexpected statuses, to tell what went wrong.
 */
final class SoakStats {
  /** Statuses the design answers under load or races: never a failure of the soak. */
  static final Set<String> DESIGNED = Set.of("409", "410", "423", "429");

  private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, String> samples = new ConcurrentHashMap<>();
  private final LongAdder dropped = new LongAdder();

  void record(String op, long nanos, String status) {
    latencies.computeIfAbsent(op, k -> Collections.synchronizedList(new ArrayList<>())).add(nanos);
    statuses.computeIfAbsent(op + " " + status, k -> new LongAdder()).increment();
  }

  void sample(String op, int status, String body) {
    String b = body == null ? "" : body;
    samples.putIfAbsent(op + " " + status, b.substring(0, Math.min(300, b.length())));
  }

  void error(String op, Exception e) {
    record(op, 0, e.getClass().getSimpleName());
    samples.putIfAbsent(op + " " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
  }

  void dropped() {
    dropped.increment();
  }

  long droppedCount() {
    return dropped.sum();
  }

  /** Status counts that fail the soak: 5xx, exceptions, and 4xx other than the designed ones. */
  Map<String, Long> unexpected() {
    Map<String, Long> out = new TreeMap<>();
    statuses.forEach(
        (k, v) -> {
          String status = k.substring(k.indexOf(' ') + 1);
          boolean ok = status.startsWith("2") || DESIGNED.contains(status);
          if (!ok) {
            out.put(k, v.sum());
          }
        });
    return out;
  }

  long total() {
    return statuses.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A Markdown table: per operation, count, statuses and latency percentiles in ms. */
  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| operation | requests | statuses | p50 ms | p90 ms | p99 ms | max ms |\n");
    sb.append("| --- | ---: | --- | ---: | ---: | ---: | ---: |\n");
    for (String op : new TreeMap<>(latencies).keySet()) {
      List<Long> l;
      synchronized (latencies.get(op)) {
        l = new ArrayList<>(latencies.get(op));
      }
      Collections.sort(l);
      StringBuilder st = new StringBuilder();
      new TreeMap<>(statuses)
          .forEach(
              (k, v) -> {
                if (k.startsWith(op + " ")) {
                  st.append(st.length() == 0 ? "" : ", ")
                      .append(k.substring(op.length() + 1))
                      .append(": ")
                      .append(v.sum());
                }
              });
      sb.append("| ")
          .append(op)
          .append(" | ")
          .append(l.size())
          .append(" | ")
          .append(st)
          .append(" | ")
          .append(ms(l, 0.50))
          .append(" | ")
          .append(ms(l, 0.90))
          .append(" | ")
          .append(ms(l, 0.99))
          .append(" | ")
          .append(ms(l, 1.0))
          .append(" |\n");
    }
    if (!samples.isEmpty()) {
      sb.append("\nFirst answer of each unexpected status:\n\n");
      new TreeMap<>(samples)
          .forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    }
    return sb.toString();
  }

  private static String ms(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return "-";
    }
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return String.format("%.0f", sorted.get(Math.max(0, i)) / 1e6);
  }
}
