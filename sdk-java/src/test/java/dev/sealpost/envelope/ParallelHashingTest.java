package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.exception.IntegrityException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SHA-256 that the attachment streams compute on a helper thread past the first few MiB ({@link
 * ChunkHasher}): the same digest as a plain one-thread hash, and a mismatch or a tampered chunk in
 * that part of the stream still fails.
 */
class ParallelHashingTest {
  private static final int CHUNK = 65536;

  /** Larger than {@link ChunkHasher#DEFAULT_INLINE_BYTES}, so the helper thread does most of it. */
  private static final int SIZE = (int) ChunkHasher.DEFAULT_INLINE_BYTES + 2 * CHUNK + 123;

  @Test
  void hasherOnTheHelperThread_equalsOneThreadSha256() throws Exception {
    for (long inline : new long[] {0, 1000, Long.MAX_VALUE}) {
      ChunkHasher hasher = new ChunkHasher(64, inline);
      MessageDigest expected = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < 500; i++) {
        byte[] chunk = bytes(i % 65, i);
        byte[] buffer = hasher.acquire();
        System.arraycopy(chunk, 0, buffer, 0, chunk.length);
        hasher.submit(chunk.length);
        expected.update(chunk);
      }
      assertThat(hasher.digest()).as("inline %d", inline).isEqualTo(expected.digest());
      hasher.destroy();
    }
  }

  @Test
  void largeAttachment_roundTripsWithTheSha256OfItsPlaintext() throws Exception {
    Sealed s = new Sealed();

    assertThat(Fixtures.open(s.opened, s.id, s.cipher)).isEqualTo(s.plain);
    assertThat(s.descriptor().sha256())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(s.plain));
  }

  @Test
  void largeAttachmentWithAnotherSha256InTheManifest_failsIntegrity() {
    Sealed s = new Sealed();
    AttachmentDescriptor d = s.descriptor();
    byte[] wrong = d.sha256();
    wrong[31] ^= 1;
    AttachmentDescriptor altered =
        new AttachmentDescriptor(
            d.id(), d.name(), d.mediaType(), d.size(), wrong, d.key(), d.noncePrefix(), CHUNK);
    InputStream in =
        new AttachmentStreams.DecryptingStream(
            new ByteArrayInputStream(s.cipher), s.opened.manifest().envelopeId(), altered);

    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("SHA-256");
  }

  @Test
  void largeAttachmentWithAChunkAlteredPastTheInlinePart_failsIntegrity() {
    Sealed s = new Sealed();
    byte[] tampered = s.cipher.clone();
    tampered[tampered.length - 3 * CHUNK] ^= 1;

    assertThatThrownBy(() -> Fixtures.open(s.opened, s.id, tampered))
        .isInstanceOf(IntegrityException.class);
  }

  private static final class Sealed {
    final byte[] plain = bytes(SIZE, 7);
    final byte[] cipher;
    final String id;
    final OpenedEnvelope opened;

    Sealed() {
      EnvelopeSealer sealer = TestKeys.sealer().build();
      AttachmentSealer a = sealer.attachment("big.bin", "application/octet-stream");
      cipher = Fixtures.seal(a, plain);
      id = a.id();
      SealedEnvelope s = sealer.seal("s", "m", List.of(EnvelopeRoundTripTest.custody()));
      opened = TestKeys.opener().open(s.json(), EnvelopeRoundTripTest.custodyKey());
    }

    AttachmentDescriptor descriptor() {
      return opened.manifest().attachment(id).orElseThrow();
    }
  }
}
