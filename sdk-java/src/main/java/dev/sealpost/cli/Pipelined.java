package dev.sealpost.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * File reads and writes on their own threads, so the kernel's copying (about as costly as the
 * cryptography: writing 1 GiB to the page cache takes over a second of system time here) overlaps
 * the encryption on the other core. Memory stays bounded: a few 1 MiB blocks per stream.
 */
final class Pipelined {
  static final int BLOCK = 1 << 20;
  private static final int DEPTH = 4;

  /** Below this, a thread costs more than it saves. */
  static final long THRESHOLD_BYTES = 4L << 20;

  private Pipelined() {}

  /** A stream that reads {@code in} ahead on another thread. Closing it closes {@code in}. */
  static InputStream readAhead(InputStream in, long expectedBytes, String name) {
    if (expectedBytes < THRESHOLD_BYTES) {
      return in;
    }
    return new ReadAhead(in, name);
  }

  /**
   * A stream whose bytes {@code out} receives on another thread. {@link OutputStream#close()} waits
   * until everything is written and reports any write failure.
   */
  static OutputStream writeBehind(OutputStream out, long expectedBytes, String name) {
    if (expectedBytes < THRESHOLD_BYTES) {
      return out;
    }
    return new WriteBehind(out, name);
  }

  private static final class Block {
    static final Block END = new Block(null, 0, null);
    final byte[] bytes;
    final int length;
    final IOException failure;

    Block(byte[] bytes, int length, IOException failure) {
      this.bytes = bytes;
      this.length = length;
      this.failure = failure;
    }
  }

  private static BlockingQueue<byte[]> buffers() {
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 1);
    for (int i = 0; i < DEPTH + 1; i++) {
      free.add(new byte[BLOCK]);
    }
    return free;
  }

  private static IOException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException io = new InterruptedIOException("interrupted");
    io.initCause(e);
    return io;
  }

  static final class ReadAhead extends InputStream {
    private final InputStream in;
    private final BlockingQueue<byte[]> free = buffers();
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread reader;
    private Block current;
    private int position;
    private boolean eof;
    private boolean failed;
    private volatile boolean closed;

    ReadAhead(InputStream in, String name) {
      this.in = in;
      this.reader = new Thread(this::readLoop, "sealpost-read-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    private void readLoop() {
      try {
        while (!closed) {
          byte[] buf = free.take();
          int n = in.readNBytes(buf, 0, buf.length);
          if (n > 0) {
            full.put(new Block(buf, n, null));
          }
          if (n < buf.length) {
            full.put(Block.END);
            return;
          }
        }
      } catch (IOException e) {
        full.offer(new Block(null, 0, e));
      } catch (InterruptedException e) {
        // Closed by the consumer.
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (closed) {
        throw new IOException("stream closed");
      }
      if (failed) {
        throw new IOException("an earlier read failed");
      }
      if (len == 0) {
        return 0;
      }
      if (eof) {
        return -1;
      }
      if (current == null || position == current.length) {
        if (current != null) {
          free.add(current.bytes);
          current = null;
        }
        Block next;
        try {
          next = full.take();
        } catch (InterruptedException e) {
          throw interrupted(e);
        }
        if (next.failure != null) {
          failed = true;
          throw next.failure;
        }
        if (next == Block.END) {
          eof = true;
          return -1;
        }
        current = next;
        position = 0;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current.bytes, position, b, off, n);
      position += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      reader.interrupt();
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      in.close();
    }
  }

  static final class WriteBehind extends OutputStream {
    private final OutputStream out;
    private final BlockingQueue<byte[]> free = buffers();
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread writer;
    private volatile IOException failure;
    private boolean failureReported;
    private byte[] buf;
    private int position;
    private boolean closed;

    WriteBehind(OutputStream out, String name) {
      this.out = out;
      this.buf = free.remove();
      this.writer = new Thread(this::writeLoop, "sealpost-write-" + name);
      writer.setDaemon(true);
      writer.start();
    }

    private void writeLoop() {
      while (true) {
        Block block;
        try {
          block = full.take();
        } catch (InterruptedException e) {
          failure = interrupted(e);
          return;
        }
        if (block == Block.END) {
          return;
        }
        if (failure == null) {
          try {
            out.write(block.bytes, 0, block.length);
          } catch (IOException e) {
            failure = e; // Keep taking blocks so the producer never waits forever.
          }
        }
        free.add(block.bytes);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (closed) {
        throw new IOException("stream closed");
      }
      while (len > 0) {
        int n = Math.min(len, buf.length - position);
        System.arraycopy(b, off, buf, position, n);
        position += n;
        off += n;
        len -= n;
        if (position == buf.length) {
          handOff();
        }
      }
    }

    private void handOff() throws IOException {
      throwFailureOnce();
      if (position == 0) {
        return;
      }
      try {
        full.put(new Block(buf, position, null));
        buf = free.take();
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
      position = 0;
    }

    /** Hands over what is buffered; the bytes reach {@code out} asynchronously. */
    @Override
    public void flush() throws IOException {
      handOff();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        handOff();
      } finally {
        try {
          full.put(Block.END);
          writer.join();
        } catch (InterruptedException e) {
          writer.interrupt();
          Thread.currentThread().interrupt();
        }
        out.close();
      }
      throwFailureOnce();
    }

    /** Once only: try-with-resources must not see the same exception again from close(). */
    private void throwFailureOnce() throws IOException {
      IOException f = failure;
      if (f != null && !failureReported) {
        failureReported = true;
        throw f;
      }
      if (f != null) {
        throw new IOException("an earlier write failed");
      }
    }
  }
}
