package dev.sealpost.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Past 1 MiB the SHA-256 runs on a helper thread: same bytes, same digest, no thread left. */
class PipelinedHashTest {
  private static final int CHUNK = 65536;
  private static final byte[] KEY = new byte[32];
  private static final byte[] PREFIX = new byte[7];
  private static final byte[] AAD = AttachmentStreams.associatedData(CHUNK, "env", "att");

  private static long hashThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(AttachmentStreams.PipelinedHash.THREAD_NAME_PREFIX))
        .filter(Thread::isAlive)
        .count();
  }

  private static byte[] plaintext(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  /** Seals byte by byte-ish pieces, so chunk boundaries and the pipeline switch are exercised. */
  private static void writeInPieces(OutputStream out, byte[] data) throws IOException {
    int off = 0;
    int piece = 1;
    while (off < data.length) {
      int n = Math.min(piece, data.length - off);
      out.write(data, off, n);
      off += n;
      piece = piece * 3 % 100_003 + 1;
    }
  }

  private static final class Result {
    final byte[] ciphertext;
    final byte[] sha256;

    Result(byte[] ciphertext, byte[] sha256) {
      this.ciphertext = ciphertext;
      this.sha256 = sha256;
    }
  }

  private static Result seal(byte[] data, boolean pipelined) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicReference<byte[]> digest = new AtomicReference<>();
    AttachmentStreams.EncryptingStream s =
        new AttachmentStreams.EncryptingStream(
            out, KEY, PREFIX, CHUNK, AAD, (size, sha) -> digest.set(sha));
    if (pipelined) {
      writeInPieces(s, data);
    } else {
      s.write(data);
    }
    s.close();
    return new Result(out.toByteArray(), digest.get());
  }

  @Test
  void largeAttachment_pipelinedHash_matchesSha256AndLeavesNoThread() throws Exception {
    long before = hashThreads();
    for (int size :
        new int[] {(1 << 20) - 1, 1 << 20, (1 << 20) + CHUNK, (1 << 20) + CHUNK + 1, 5_000_017}) {
      byte[] data = plaintext(size);
      Result r = seal(data, true);
      assertThat(r.sha256).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(r.ciphertext).isEqualTo(seal(data, false).ciphertext);
      assertThat(r.ciphertext.length)
          .isEqualTo(8 + size + 16 * (int) AttachmentStreams.chunkCount(size, CHUNK));
    }
    assertThat(hashThreads()).isEqualTo(before);
  }

  @Test
  void hashingSideFailure_surfacesWithItsTypeAndLeavesNoThread() throws Exception {
    long before = hashThreads();
    MessageDigest failing = new FailingDigest(3 << 20);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AttachmentStreams.EncryptingStream s =
        new AttachmentStreams.EncryptingStream(
            out, KEY, PREFIX, CHUNK, AAD, (size, sha) -> {}, failing);
    byte[] data = plaintext(8 << 20);
    assertThatThrownBy(
            () -> {
              s.write(data);
              s.close();
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("digest failure");
    assertThat(hashThreads()).isEqualTo(before);
    assertThatThrownBy(() -> s.write(1)).isInstanceOf(IOException.class);
    s.close(); // after a failure close() does nothing more, as before
    assertThat(hashThreads()).isEqualTo(before);
  }

  @Test
  void cipherSideFailure_surfacesWithItsTypeAndLeavesNoThread() throws Exception {
    long before = hashThreads();
    OutputStream broken =
        new OutputStream() {
          long written;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > (3 << 20)) {
              throw new IOException("disk full");
            }
          }
        };
    AttachmentStreams.EncryptingStream s =
        new AttachmentStreams.EncryptingStream(broken, KEY, PREFIX, CHUNK, AAD, (size, sha) -> {});
    byte[] data = plaintext(8 << 20);
    assertThatThrownBy(() -> s.write(data)).isInstanceOf(IOException.class).hasMessage("disk full");
    assertThat(hashThreads()).isEqualTo(before);
    s.close();
    assertThat(hashThreads()).isEqualTo(before);
  }

  @Test
  void failureWhileClosing_leavesNoThread() throws Exception {
    long before = hashThreads();
    OutputStream failsOnClose =
        new ByteArrayOutputStream() {
          @Override
          public void close() throws IOException {
            throw new IOException("close failed");
          }
        };
    AttachmentStreams.EncryptingStream s =
        new AttachmentStreams.EncryptingStream(
            failsOnClose, KEY, PREFIX, CHUNK, AAD, (size, sha) -> {});
    s.write(plaintext(3 << 20));
    assertThat(hashThreads()).isEqualTo(before + 1);
    assertThatThrownBy(s::close).isInstanceOf(IOException.class).hasMessage("close failed");
    assertThat(hashThreads()).isEqualTo(before);
  }

  @Test
  void smallAttachment_staysOnTheCallersThread() throws Exception {
    long before = hashThreads();
    AttachmentStreams.EncryptingStream s =
        new AttachmentStreams.EncryptingStream(
            new ByteArrayOutputStream(), KEY, PREFIX, CHUNK, AAD, (size, sha) -> {});
    s.write(plaintext(1 << 20));
    assertThat(hashThreads()).isEqualTo(before);
    s.close();
  }

  /** SHA-256 that throws once more than {@code limit} bytes were hashed. */
  private static final class FailingDigest extends MessageDigest {
    private final MessageDigest real;
    private final long limit;
    private long hashed;

    FailingDigest(long limit) throws NoSuchAlgorithmException {
      super("SHA-256");
      this.real = MessageDigest.getInstance("SHA-256");
      this.limit = limit;
    }

    @Override
    protected void engineUpdate(byte input) {
      engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      hashed += len;
      if (hashed > limit) {
        throw new IllegalStateException("digest failure");
      }
      real.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
      return real.digest();
    }

    @Override
    protected void engineReset() {
      real.reset();
      hashed = 0;
    }
  }
}
