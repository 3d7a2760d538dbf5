package dev.sealpost.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/**
 * A progress line on stderr for large files, only when a person is watching (a terminal), so logs
 * and pipes stay clean.
 */
final class Progress extends FilterInputStream {
  static final long THRESHOLD_BYTES = 32L << 20;
  private static final long INTERVAL_NANOS = 250_000_000L;
  private static final double MIB = 1 << 20;

  private final String label;
  private final long total;
  private final PrintWriter err;
  private final long start = System.nanoTime();
  private long done;
  private long lastPrint;
  private boolean finished;

  private Progress(InputStream in, String label, long total, PrintWriter err) {
    super(in);
    this.label = label;
    this.total = total;
    this.err = err;
  }

  /** {@code in} itself unless stderr is a terminal and the file is large. */
  static InputStream wrap(InputStream in, String label, long total, PrintWriter err) {
    if (total < THRESHOLD_BYTES || !Terminal.interactive()) {
      return in;
    }
    return new Progress(in, label, total, err);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    count(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    count(n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  @Override
  public void close() throws IOException {
    super.close();
    if (!finished && done > 0) {
      err.println(); // Leave the last (partial) line visible.
      err.flush();
      finished = true;
    }
  }

  private void count(long n) {
    if (finished) {
      return;
    }
    long now = System.nanoTime();
    if (n < 0) {
      print(now);
      err.println();
      err.flush();
      finished = true;
      return;
    }
    done += n;
    if (now - lastPrint >= INTERVAL_NANOS) {
      lastPrint = now;
      print(now);
    }
  }

  private void print(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    err.printf(
        "\r%s: %,.0f / %,.0f MiB (%d%%), %,.0f MiB/s ",
        label,
        done / MIB,
        total / MIB,
        total == 0 ? 100 : Math.min(100, done * 100 / total),
        done / MIB / seconds);
    err.flush();
  }
}
