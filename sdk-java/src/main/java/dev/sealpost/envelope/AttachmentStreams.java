package dev.sealpost.envelope;

import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The attachment stream (STREAM over AES-256-GCM), the only place that touches attachment bytes.
 *
 * <pre>
 * stream = header || chunk_0 || ... || chunk_last
 * header = "SPA1" || u32be(chunkSize)
 * chunk_i = AES-256-GCM(key, nonce_i, aad, plaintext_i) (ciphertext || 16-byte tag)
 * nonce_i = noncePrefix (7) || u32be(i) || (i == last ? 0x01 : 0x00)
 * aad = header || u16be(len) || UTF-8(envelopeId) || u16be(len) || UTF-8(attachmentId)
 * </pre>
 *
 * Every chunk but the last holds exactly {@code chunkSize} plaintext bytes; the last holds 1 to
 * {@code chunkSize}, or 0 only when the attachment is empty (then it is the only chunk).
 */
final class AttachmentStreams {
  static final int KEY_LENGTH = 32;
  static final int NONCE_PREFIX_LENGTH = 7;
  static final int TAG_LENGTH = 16;
  static final int HEADER_LENGTH = 8;
  static final int MIN_CHUNK_SIZE = 16;
  static final int MAX_CHUNK_SIZE = 1 << 20;
  static final long MAX_CHUNKS = 0xFFFFFFFFL;
  private static final byte[] MAGIC = "SPA1".getBytes(StandardCharsets.US_ASCII);

  private AttachmentStreams() {}

  /** Sealed attachments report their size and plaintext SHA-256 here when complete. */
  interface Completion {
    void completed(long size, byte[] sha256);
  }

  static byte[] header(int chunkSize) {
    return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).putInt(chunkSize).array();
  }

  static byte[] associatedData(int chunkSize, String envelopeId, String attachmentId) {
    byte[] env = envelopeId.getBytes(StandardCharsets.UTF_8);
    byte[] att = attachmentId.getBytes(StandardCharsets.UTF_8);
    if (env.length > 0xFFFF || att.length > 0xFFFF) {
      throw new IllegalArgumentException("an id is longer than 65535 bytes");
    }
    return ByteBuffer.allocate(HEADER_LENGTH + 2 + env.length + 2 + att.length)
        .put(header(chunkSize))
        .putShort((short) env.length)
        .put(env)
        .putShort((short) att.length)
        .put(att)
        .array();
  }

  static byte[] nonce(byte[] prefix, long counter, boolean last) {
    return ByteBuffer.allocate(12)
        .put(prefix)
        .putInt((int) counter)
        .put(last ? (byte) 1 : (byte) 0)
        .array();
  }

  /** {@link InputStream#read()} by way of {@code in.read(byte[], int, int)}. */
  static int readOne(InputStream in) throws IOException {
    byte[] one = new byte[1];
    int n = in.read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xFF;
  }

  static long chunkCount(long size, int chunkSize) {
    return size == 0 ? 1 : (size + chunkSize - 1) / chunkSize;
  }

  static OutputStream nonClosing(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }

  private static Cipher aesGcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available in this JVM", e);
    }
  }

  /** Encrypts written plaintext; holds at most one chunk. */
  static final class EncryptingStream extends OutputStream {
    private final OutputStream out;
    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final byte[] aad;
    private final Completion completion;
    private final Cipher cipher = aesGcm();
    private final ChunkHasher hasher;
    private byte[] plain;
    private final byte[] sealed;
    private int buffered;
    private long counter;
    private long size;
    private boolean closed;

    EncryptingStream(
        OutputStream out,
        byte[] key,
        byte[] noncePrefix,
        int chunkSize,
        byte[] aad,
        Completion completion)
        throws IOException {
      this.out = out;
      this.key = new SecretKeySpec(key, "AES");
      this.noncePrefix = noncePrefix.clone();
      this.aad = aad;
      this.completion = completion;
      this.hasher = new ChunkHasher(chunkSize, ChunkHasher.inlineBytes());
      this.plain = hasher.acquire();
      this.sealed = new byte[chunkSize + TAG_LENGTH];
      out.write(header(chunkSize));
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the attachment stream is closed");
      }
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      while (len > 0) {
        // A full chunk is sealed only once more data arrives, so the last chunk is never empty
        // unless the whole attachment is.
        if (buffered == plain.length) {
          sealChunk(false);
        }
        int n = Math.min(len, plain.length - buffered);
        System.arraycopy(b, off, plain, buffered, n);
        buffered += n;
        off += n;
        len -= n;
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        sealChunk(true);
        out.close();
        completion.completed(size, hasher.digest());
      } finally {
        hasher.destroy();
      }
    }

    private void sealChunk(boolean last) throws IOException {
      if (counter >= MAX_CHUNKS) {
        closed = true;
        throw new IOException("an attachment is limited to 2^32-1 chunks");
      }
      try {
        cipher.init(
            Cipher.ENCRYPT_MODE,
            key,
            new GCMParameterSpec(TAG_LENGTH * 8, nonce(noncePrefix, counter, last)));
        cipher.updateAAD(aad);
        int n = cipher.doFinal(plain, 0, buffered, sealed, 0);
        hasher.submit(buffered);
        out.write(sealed, 0, n);
      } catch (GeneralSecurityException e) {
        closed = true;
        throw new IllegalStateException("AES-GCM encryption failed", e);
      }
      size += buffered;
      buffered = 0;
      counter++;
      if (!last) {
        plain = hasher.acquire();
      }
    }
  }

  /**
   * Decrypts and verifies an attachment stream against its manifest descriptor. Plaintext of a
   * chunk is released only after that chunk's tag verified; the size, the final flag, the absence
   * of trailing data and the SHA-256 are checked before the stream reports its end.
   */
  static final class DecryptingStream extends InputStream {
    private final InputStream in;
    private final String attachmentId;
    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final int chunkSize;
    private final byte[] aad;
    private final byte[] expectedSha256;
    private final long chunks;
    private final int lastChunkLength;
    private final Cipher cipher = aesGcm();
    private final ChunkHasher hasher;
    private final byte[] sealed;
    private byte[] plain = new byte[0];
    private int plainPos;
    private int plainLen;
    private long counter;
    private boolean headerRead;
    private boolean done;
    private IntegrityException failure;

    DecryptingStream(InputStream in, String envelopeId, AttachmentDescriptor descriptor) {
      this.in = in;
      this.attachmentId = descriptor.id();
      this.key = new SecretKeySpec(descriptor.key(), "AES");
      this.noncePrefix = descriptor.noncePrefix();
      this.chunkSize = descriptor.chunkSize();
      this.aad = associatedData(chunkSize, envelopeId, descriptor.id());
      this.expectedSha256 = descriptor.sha256();
      this.chunks = chunkCount(descriptor.size(), chunkSize);
      this.lastChunkLength = (int) (descriptor.size() - (chunks - 1) * chunkSize);
      this.sealed = new byte[chunkSize + TAG_LENGTH];
      this.hasher = new ChunkHasher(chunkSize, ChunkHasher.inlineBytes());
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (failure != null) {
        throw failure;
      }
      if (len == 0) {
        return 0;
      }
      while (plainPos == plainLen) {
        if (done) {
          return -1;
        }
        try {
          nextChunk();
        } catch (IntegrityException e) {
          failure = e;
          hasher.destroy();
          plainPos = 0;
          plainLen = 0;
          throw e;
        }
      }
      int n = Math.min(len, plainLen - plainPos);
      System.arraycopy(plain, plainPos, b, off, n);
      plainPos += n;
      return n;
    }

    @Override
    public int available() {
      return plainLen - plainPos;
    }

    @Override
    public void close() throws IOException {
      hasher.destroy();
      in.close();
    }

    private void nextChunk() throws IOException {
      if (!headerRead) {
        readHeader();
      }
      boolean last = counter == chunks - 1;
      int sealedLength = (last ? lastChunkLength : chunkSize) + TAG_LENGTH;
      if (readFully(sealed, sealedLength) < sealedLength) {
        throw new IntegrityException(
            "attachment " + attachmentId + " is truncated (chunk " + counter + " is incomplete)");
      }
      plain = hasher.acquire();
      try {
        cipher.init(
            Cipher.DECRYPT_MODE,
            key,
            new GCMParameterSpec(TAG_LENGTH * 8, nonce(noncePrefix, counter, last)));
        cipher.updateAAD(aad);
        plainLen = cipher.doFinal(sealed, 0, sealedLength, plain, 0);
        plainPos = 0;
      } catch (AEADBadTagException e) {
        throw new IntegrityException(
            "attachment "
                + attachmentId
                + " chunk "
                + counter
                + " failed authentication (altered, reordered, spliced or truncated)");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed", e);
      }
      hasher.submit(plainLen);
      counter++;
      if (last) {
        if (in.read() != -1) {
          throw new IntegrityException(
              "attachment " + attachmentId + " has data after its final chunk");
        }
        if (!MessageDigest.isEqual(hasher.digest(), expectedSha256)) {
          throw new IntegrityException(
              "attachment " + attachmentId + " does not match the SHA-256 in the manifest");
        }
        done = true;
      }
    }

    private void readHeader() throws IOException {
      byte[] header = new byte[HEADER_LENGTH];
      if (readFully(header, HEADER_LENGTH) < HEADER_LENGTH) {
        throw new IntegrityException("attachment " + attachmentId + " is truncated (no header)");
      }
      if (!Arrays.equals(Arrays.copyOf(header, 4), MAGIC)) {
        throw new MalformedEnvelopeException(
            "attachment " + attachmentId + " is not a Sealpost attachment stream");
      }
      if (!Arrays.equals(header, header(chunkSize))) {
        throw new IntegrityException(
            "attachment " + attachmentId + " chunk size differs from the manifest");
      }
      headerRead = true;
    }

    private int readFully(byte[] buffer, int length) throws IOException {
      int total = 0;
      while (total < length) {
        int n = in.read(buffer, total, length - total);
        if (n == -1) {
          break;
        }
        total += n;
      }
      return total;
    }
  }
}
