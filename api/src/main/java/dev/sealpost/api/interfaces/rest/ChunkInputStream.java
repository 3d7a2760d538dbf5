package dev.sealpost.api.interfaces.rest;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream whose single-byte {@link #read()} goes through its bulk read, so a subclass
 * handles the bytes in one place. {@link Watched} wraps another stream and sees every chunk read.
 */
abstract class ChunkInputStream extends InputStream {
  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;

  /** {@code in}, every chunk read from it (and its end) shown to {@link #seen} on the way. */
  abstract static class Watched extends ChunkInputStream {
    private final InputStream in;

    Watched(InputStream in) {
      this.in = in;
    }

    /** {@code n} bytes were read into {@code b} at {@code off}; {@code n < 0}: the end. */
    abstract void seen(byte[] b, int off, int n) throws IOException;

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      seen(b, off, n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return in.skip(n);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
