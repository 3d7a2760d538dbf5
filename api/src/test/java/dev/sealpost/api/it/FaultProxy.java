package dev.sealpost.api.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that puts faults between the server and one real part (PostgreSQL, s3proxy, the KMS
 * protocol server, GreenMail), in the spirit of Toxiproxy (whose server does not install here).
 * Modes, switched at any time and applied to open connections as well as new ones:
 *
 * <ul>
 *   <li>{@link #pass()}: bytes flow both ways untouched;
 *   <li>{@link #down()}: the port stops listening (connection refused) and open connections are
 *       reset: the part is down;
 *   <li>{@link #latency(Duration)}: every chunk, either way, waits that long first;
 *   <li>{@link #dropAfter(long)}: each connection is reset once that many more bytes went from the
 *       client to the part (a connection dropped mid-request);
 *   <li>{@link #http503()}: for HTTP parts, every request is answered {@code 503} by the proxy
 *       (open connections are reset first, so pooled keep-alive connections reconnect into it);
 *   <li>{@link #holdRequestAt(String, long)} / {@link #holdResponseAfter(String)}: every connection
 *       whose request carries a marker is frozen at that point (the request, or only the part's
 *       answer), retries included, so a test can kill the server process exactly there.
 * </ul>
 */
final class FaultProxy implements AutoCloseable {
  enum Mode {
    PASS,
    DOWN,
    LATENCY,
    DROP,
    HTTP_503,
    HOLD
  }

  private final String name;
  private final InetSocketAddress target;
  private final int port;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong epoch = new AtomicLong();
  private volatile ServerSocket listener;
  private volatile Mode mode = Mode.PASS;
  private volatile Duration delay = Duration.ZERO;
  private volatile long dropAfter;
  private final java.util.List<Hold> holds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A pending or triggered hold: the marker, what is frozen, and a latch counted down on hit. */
  private record Hold(byte[] marker, long extraBytes, boolean requestToo, CountDownLatch hit) {}

  private FaultProxy(String name, InetSocketAddress target) throws IOException {
    this.name = name;
    this.target = target;
    this.listener = bind(0);
    this.port = listener.getLocalPort();
    startAccepting(listener);
  }

  /** A proxy on a free loopback port in front of {@code host:port}, passing everything. */
  static FaultProxy start(String name, String host, int port) throws IOException {
    return new FaultProxy(name, new InetSocketAddress(host, port));
  }

  int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}, for HTTP parts. */
  URI httpUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Mode mode() {
    return mode;
  }

  synchronized void pass() throws IOException {
    setMode(Mode.PASS, false);
    if (listener == null) {
      listener = bind(port);
      startAccepting(listener);
    }
  }

  synchronized void down() throws IOException {
    setMode(Mode.DOWN, true);
    ServerSocket l = listener;
    listener = null;
    if (l != null) {
      l.close();
    }
  }

  synchronized void latency(Duration d) throws IOException {
    delay = d;
    setMode(Mode.LATENCY, false);
    ensureListening();
  }

  synchronized void dropAfter(long bytes) throws IOException {
    dropAfter = bytes;
    setMode(Mode.DROP, false);
    ensureListening();
  }

  synchronized void http503() throws IOException {
    setMode(Mode.HTTP_503, true);
    ensureListening();
  }

  /**
   * Freezes every connection whose client bytes contain {@code marker}, {@code extraBytes} after
   * it: nothing more is forwarded either way on it. Other connections pass.
   */
  synchronized CountDownLatch holdRequestAt(String marker, long extraBytes) throws IOException {
    return hold(marker, extraBytes, true);
  }

  /**
   * Forwards each request that contains {@code marker} in full, but never the part's answer to it:
   * the part did the work, the client does not know.
   */
  synchronized CountDownLatch holdResponseAfter(String marker) throws IOException {
    return hold(marker, 0, false);
  }

  private CountDownLatch hold(String marker, long extraBytes, boolean requestToo)
      throws IOException {
    CountDownLatch hit = new CountDownLatch(1);
    holds.add(new Hold(marker.getBytes(StandardCharsets.ISO_8859_1), extraBytes, requestToo, hit));
    setMode(Mode.HOLD, false);
    ensureListening();
    return hit;
  }

  private void ensureListening() throws IOException {
    if (listener == null) {
      listener = bind(port);
      startAccepting(listener);
    }
  }

  private void setMode(Mode m, boolean resetOpen) {
    mode = m;
    if (m != Mode.HOLD) {
      holds.clear();
    }
    epoch.incrementAndGet();
    for (Connection c : connections) {
      if (resetOpen || c.frozen()) {
        c.reset();
      }
    }
  }

  /** Resets every open connection (as a part that restarted would). */
  void resetAll() {
    for (Connection c : connections) {
      c.reset();
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return s;
  }

  private void startAccepting(ServerSocket l) {
    Thread t =
        new Thread(
            () -> {
              while (!l.isClosed()) {
                try {
                  Socket client = l.accept();
                  accepted(client);
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "fault-proxy-" + name + "-accept");
    t.setDaemon(true);
    t.start();
  }

  private void accepted(Socket client) {
    if (mode == Mode.HTTP_503) {
      daemon(() -> answer503(client), "503");
      return;
    }
    try {
      Socket upstream = new Socket();
      upstream.connect(target, 5_000);
      Connection c = new Connection(client, upstream);
      connections.add(c);
      c.start();
    } catch (IOException e) {
      reset(client);
    }
  }

  /** Reads one request head, answers 503 and closes: an HTTP part that is failing. */
  private static void answer503(Socket client) {
    try (client) {
      client.setSoTimeout(10_000);
      InputStream in = client.getInputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String body = "{\"message\":\"fault proxy: service unavailable\"}";
      OutputStream out = client.getOutputStream();
      out.write(
          ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\nConnection: close\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      client.shutdownOutput();
      // Let the client finish writing a body it had started, so it reads the answer, not a reset.
      in.skip(Long.MAX_VALUE);
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void daemon(Runnable r, String what) {
    Thread t = new Thread(r, "fault-proxy-" + what);
    t.setDaemon(true);
    t.start();
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException e) {
      // already gone
    }
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One proxied connection: two pumps. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private final AtomicLong clientBytesInMode = new AtomicLong();
    private volatile long seenEpoch = -1;
    private volatile boolean requestFrozen;
    private volatile boolean responseFrozen;
    private long budget = -1;
    private Hold armed;

    Connection(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      daemon(() -> pump(client, upstream, true), name + "-up");
      daemon(() -> pump(upstream, client, false), name + "-down");
    }

    void reset() {
      FaultProxy.reset(client);
      FaultProxy.reset(upstream);
      connections.remove(this);
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
      byte[] buf = new byte[16 * 1024];
      byte[] tail = new byte[0];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          Mode m = mode;
          if (m == Mode.LATENCY) {
            sleep(delay);
          }
          int forward = n;
          if (fromClient) {
            forward = clientChunk(m, buf, n, tail);
            tail = tailOf(tail, buf, n);
          } else {
            waitWhileFrozen(false);
          }
          if (forward > 0) {
            out.write(buf, 0, forward);
            out.flush();
          }
          if (fromClient) {
            waitWhileFrozen(true);
          }
        }
        to.shutdownOutput();
      } catch (IOException e) {
        reset();
      }
    }

    /** How many of the client's {@code n} bytes to forward now; may freeze or reset. */
    private int clientChunk(Mode m, byte[] buf, int n, byte[] tail) throws IOException {
      long e = epoch.get();
      if (e != seenEpoch) {
        seenEpoch = e;
        clientBytesInMode.set(0);
      }
      long before = clientBytesInMode.getAndAdd(n);
      if (armed != null) {
        return spend(n);
      }
      if (m == Mode.DROP && before + n > dropAfter) {
        int part = (int) Math.max(0, dropAfter - before);
        upstream.getOutputStream().write(buf, 0, part);
        reset();
        throw new SocketException("dropped by fault proxy");
      }
      for (Hold h : m == Mode.HOLD ? holds : java.util.List.<Hold>of()) {
        if (frozen()) {
          break;
        }
        synchronized (h) {
          if (contains(tail, buf, n, h.marker())) {
            if (h.requestToo()) {
              int at = indexAfter(tail, buf, n, h.marker());
              armed = h;
              budget = h.extraBytes();
              return at + spend(n - at);
            }
            responseFrozen = true;
            h.hit().countDown();
          }
        }
      }
      return n;
    }

    /** Forwards up to the armed hold's remaining budget of {@code n} bytes, then freezes. */
    private int spend(int n) {
      if (n < budget) {
        budget -= n;
        return n;
      }
      int forward = (int) budget;
      budget = 0;
      requestFrozen = true;
      responseFrozen = true;
      armed.hit().countDown();
      return forward;
    }

    /** A frozen connection never thaws: it ends when the mode changes or the proxy closes. */
    private void waitWhileFrozen(boolean request) throws IOException {
      while (request ? requestFrozen : responseFrozen) {
        if (closed || client.isClosed()) {
          throw new SocketException("frozen connection ended");
        }
        sleep(Duration.ofMillis(50));
      }
    }

    boolean frozen() {
      return requestFrozen || responseFrozen;
    }
  }

  private static byte[] tailOf(byte[] tail, byte[] buf, int n) {
    int keep = 64;
    byte[] joined = new byte[tail.length + n];
    System.arraycopy(tail, 0, joined, 0, tail.length);
    System.arraycopy(buf, 0, joined, tail.length, n);
    int from = Math.max(0, joined.length - keep);
    return java.util.Arrays.copyOfRange(joined, from, joined.length);
  }

  private static boolean contains(byte[] tail, byte[] buf, int n, byte[] marker) {
    return indexAfter(tail, buf, n, marker) >= 0;
  }

  /** The index in {@code buf} just after the first {@code marker} in tail+buf, or -1. */
  private static int indexAfter(byte[] tail, byte[] buf, int n, byte[] marker) {
    String joined =
        new String(tail, StandardCharsets.ISO_8859_1)
            + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    int i = joined.indexOf(new String(marker, StandardCharsets.ISO_8859_1));
    return i < 0 ? -1 : Math.max(0, i + marker.length - tail.length);
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    ServerSocket l = listener;
    listener = null;
    if (l != null) {
      l.close();
    }
    resetAll();
  }

  @Override
  public String toString() {
    return "FaultProxy[" + name + " :" + port + " -> " + target + ", " + mode + "]";
  }
}
