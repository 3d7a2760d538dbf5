package dev.sealpost.api.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The managed Payara Micro container prints the server's output with {@code System.out.println} in
 * this JVM: a tee on System.out keeps a copy (capped), so tests can search the server log.
 */
final class ServerOutput {
  private static final int MAX = 64 * 1024 * 1024;
  private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
  private static volatile boolean installed;

  private ServerOutput() {}

  static synchronized void capture() {
    if (installed) {
      return;
    }
    installed = true;
    PrintStream original = System.out;
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (COPY) {
              if (COPY.size() < MAX) {
                COPY.write(b);
              }
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (COPY) {
              if (COPY.size() < MAX) {
                COPY.write(b, off, len);
              }
            }
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  static String captured() {
    synchronized (COPY) {
      return COPY.toString(StandardCharsets.UTF_8);
    }
  }
}
