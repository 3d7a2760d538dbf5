package dev.sealpost.envelope;

import static dev.sealpost.envelope.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.MalformedEnvelopeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The attachment STREAM: every chunk authenticated, in order, complete, and bound to its ids. */
class AttachmentStreamTest {
  private static final int CHUNK = 64;
  private static final int RECORD = CHUNK + 16;
  private static final int HEADER = 8;

  /** One envelope with two attachments of three chunks each (the last one partial). */
  private static final class Sealed {
    final byte[] plainA = bytes(3 * CHUNK - 10, 1);
    final byte[] plainB = bytes(3 * CHUNK - 10, 2);
    final byte[] cipherA;
    final byte[] cipherB;
    final String idA;
    final String idB;
    final OpenedEnvelope opened;

    Sealed() {
      EnvelopeSealer sealer = TestKeys.sealer().chunkSize(CHUNK).build();
      AttachmentSealer a = sealer.attachment("a.bin", "application/octet-stream");
      AttachmentSealer b = sealer.attachment("b.bin", "application/octet-stream");
      cipherA = Fixtures.seal(a, plainA);
      cipherB = Fixtures.seal(b, plainB);
      idA = a.id();
      idB = b.id();
      SealedEnvelope s = sealer.seal("s", "m", List.of(EnvelopeRoundTripTest.custody()));
      opened = TestKeys.opener().open(s.json(), EnvelopeRoundTripTest.custodyKey());
    }

    byte[] record(byte[] cipher, int i) {
      int from = HEADER + i * RECORD;
      return Arrays.copyOfRange(cipher, from, Math.min(from + RECORD, cipher.length));
    }
  }

  private final Sealed s = new Sealed();

  private void assertIntegrityFailure(String id, byte[] ciphertext) {
    assertThatThrownBy(() -> Fixtures.open(s.opened, id, ciphertext))
        .isInstanceOf(IntegrityException.class);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void untouched_opens() {
    assertThat(Fixtures.open(s.opened, s.idA, s.cipherA)).isEqualTo(s.plainA);
    assertThat(Fixtures.open(s.opened, s.idB, s.cipherB)).isEqualTo(s.plainB);
    assertThat(s.cipherA).hasSize(HEADER + 3 * 16 + s.plainA.length);
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        0,
        4,
        7, // header: magic, chunk size
        HEADER,
        HEADER + 30,
        HEADER + CHUNK,
        HEADER + RECORD - 1, // first chunk: body, tag
        HEADER + RECORD + 5, // middle chunk
        HEADER + 2 * RECORD,
        HEADER + 2 * RECORD + 60 // last chunk: body, tag
      })
  void flippedByteAnywhere_fails(int at) {
    byte[] tampered = s.cipherA.clone();
    tampered[at] ^= 0x01;

    assertThatThrownBy(() -> Fixtures.open(s.opened, s.idA, tampered))
        .isInstanceOfAny(IntegrityException.class, MalformedEnvelopeException.class);
    if (at >= 4) {
      assertIntegrityFailure(s.idA, tampered);
    }
  }

  @ParameterizedTest
  @ValueSource(
      ints = {0, 3, HEADER, HEADER + 1, HEADER + RECORD, HEADER + RECORD + 17, HEADER + 2 * RECORD})
  void truncated_failsIntegrity(int length) {
    assertIntegrityFailure(s.idA, Arrays.copyOf(s.cipherA, length));
  }

  @Test
  void lastByteMissing_failsIntegrity() {
    assertIntegrityFailure(s.idA, Arrays.copyOf(s.cipherA, s.cipherA.length - 1));
  }

  @Test
  void reorderedChunks_failIntegrity() {
    byte[] reordered =
        concat(
            Arrays.copyOf(s.cipherA, HEADER),
            s.record(s.cipherA, 1),
            s.record(s.cipherA, 0),
            s.record(s.cipherA, 2));
    assertIntegrityFailure(s.idA, reordered);
  }

  @Test
  void chunkSplicedFromAnotherAttachment_failsIntegrity() {
    byte[] spliced =
        concat(
            Arrays.copyOf(s.cipherA, HEADER),
            s.record(s.cipherA, 0),
            s.record(s.cipherB, 1),
            s.record(s.cipherA, 2));
    assertIntegrityFailure(s.idA, spliced);
  }

  @Test
  void wholeStreamOfAnotherAttachment_failsIntegrity() {
    assertIntegrityFailure(s.idA, s.cipherB);
  }

  @Test
  void streamOpenedUnderAnotherAttachmentIdWithTheSameKey_failsIntegrity() throws Exception {
    // Same key and nonce prefix, other attachment id: only the associated data differs.
    AttachmentDescriptor d = s.opened.manifest().attachment(s.idA).orElseThrow();
    AttachmentDescriptor renamed =
        new AttachmentDescriptor(
            "other-id",
            d.name(),
            d.mediaType(),
            d.size(),
            d.sha256(),
            d.key(),
            d.noncePrefix(),
            CHUNK);
    InputStream in =
        new AttachmentStreams.DecryptingStream(
            new ByteArrayInputStream(s.cipherA), s.opened.manifest().envelopeId(), renamed);

    assertThatThrownBy(in::readAllBytes).isInstanceOf(IntegrityException.class);
  }

  @Test
  void streamOpenedUnderAnotherEnvelopeIdWithTheSameKey_failsIntegrity() {
    AttachmentDescriptor d = s.opened.manifest().attachment(s.idA).orElseThrow();
    InputStream in =
        new AttachmentStreams.DecryptingStream(
            new ByteArrayInputStream(s.cipherA), "another-envelope", d);

    assertThatThrownBy(in::readAllBytes).isInstanceOf(IntegrityException.class);
  }

  @Test
  void missingFinalChunk_failsIntegrity() {
    byte[] withoutLast = Arrays.copyOf(s.cipherA, HEADER + 2 * RECORD);
    assertIntegrityFailure(s.idA, withoutLast);
  }

  @Test
  void lastChunkWithoutTheFinalFlag_failsIntegrity() throws Exception {
    // Re-encrypt the whole stream with the right key but never set the final flag.
    AttachmentDescriptor d = s.opened.manifest().attachment(s.idA).orElseThrow();
    byte[] aad = AttachmentStreams.associatedData(CHUNK, s.opened.manifest().envelopeId(), s.idA);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(Arrays.copyOf(s.cipherA, HEADER));
    for (int i = 0; i * CHUNK < s.plainA.length; i++) {
      byte[] chunk =
          Arrays.copyOfRange(s.plainA, i * CHUNK, Math.min((i + 1) * CHUNK, s.plainA.length));
      out.writeBytes(gcm(d.key(), AttachmentStreams.nonce(d.noncePrefix(), i, false), aad, chunk));
    }

    assertIntegrityFailure(s.idA, out.toByteArray());
  }

  @Test
  void finalFlagOnAnEarlierChunk_failsIntegrity() throws Exception {
    // A stream cut after chunk 1, with chunk 1 re-sealed as final: the manifest size still rules.
    AttachmentDescriptor d = s.opened.manifest().attachment(s.idA).orElseThrow();
    byte[] aad = AttachmentStreams.associatedData(CHUNK, s.opened.manifest().envelopeId(), s.idA);
    byte[] chunk1 = Arrays.copyOfRange(s.plainA, CHUNK, 2 * CHUNK);
    byte[] cut =
        concat(
            Arrays.copyOf(s.cipherA, HEADER + RECORD),
            gcm(d.key(), AttachmentStreams.nonce(d.noncePrefix(), 1, true), aad, chunk1));

    assertIntegrityFailure(s.idA, cut);
  }

  @Test
  void extraTrailingData_failsIntegrity() {
    assertIntegrityFailure(s.idA, concat(s.cipherA, new byte[] {0}));
    assertIntegrityFailure(s.idA, concat(s.cipherA, s.record(s.cipherA, 2)));
  }

  @Test
  void unknownAttachmentId_failsIntegrity() {
    assertIntegrityFailure("not-in-the-manifest", s.cipherA);
  }

  @Test
  void streamThatIsNotAnAttachment_isMalformed() {
    byte[] other = s.cipherA.clone();
    other[0] = 'X';
    assertThatThrownBy(() -> Fixtures.open(s.opened, s.idA, other))
        .isInstanceOf(MalformedEnvelopeException.class);
  }

  @Test
  void failedStream_keepsFailing() throws Exception {
    byte[] tampered = s.cipherA.clone();
    tampered[HEADER + RECORD + 3] ^= 0x01;
    InputStream in = s.opened.openAttachment(s.idA, new ByteArrayInputStream(tampered));
    byte[] first = in.readNBytes(CHUNK);

    assertThat(first).isEqualTo(Arrays.copyOf(s.plainA, CHUNK));
    assertThatThrownBy(() -> in.read()).isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(IntegrityException.class);
  }

  @Test
  void wireLayout_matchesTheSpecification() throws Exception {
    // An independent reading of the format with plain JCE: header, nonce, AAD, tags.
    AttachmentDescriptor d = s.opened.manifest().attachment(s.idA).orElseThrow();
    String envelopeId = s.opened.manifest().envelopeId();
    ByteBuffer header = ByteBuffer.wrap(s.cipherA, 0, HEADER);
    byte[] magic = new byte[4];
    header.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("SPA1");
    assertThat(header.getInt()).isEqualTo(CHUNK);

    byte[] env = envelopeId.getBytes(StandardCharsets.UTF_8);
    byte[] att = s.idA.getBytes(StandardCharsets.UTF_8);
    byte[] aad =
        ByteBuffer.allocate(HEADER + 2 + env.length + 2 + att.length)
            .put(s.cipherA, 0, HEADER)
            .putShort((short) env.length)
            .put(env)
            .putShort((short) att.length)
            .put(att)
            .array();
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      byte[] nonce =
          ByteBuffer.allocate(12)
              .put(d.noncePrefix())
              .putInt(i)
              .put((byte) (i == 2 ? 1 : 0))
              .array();
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(d.key(), "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(aad);
      plain.writeBytes(c.doFinal(s.record(s.cipherA, i)));
    }
    assertThat(plain.toByteArray()).isEqualTo(s.plainA);
    assertThat(MessageDigest.getInstance("SHA-256").digest(s.plainA)).isEqualTo(d.sha256());
  }

  @Test
  void emptyAttachment_isOneFinalEmptyChunk() throws Exception {
    EnvelopeSealer sealer = TestKeys.sealer().build();
    AttachmentSealer a = sealer.attachment("empty", "text/plain");
    byte[] cipher = Fixtures.seal(a, new byte[0]);
    OpenedEnvelope opened =
        TestKeys.opener()
            .open(
                sealer.seal("s", "m", List.of(EnvelopeRoundTripTest.custody())).json(),
                EnvelopeRoundTripTest.custodyKey());

    assertThat(cipher).hasSize(HEADER + 16);
    assertThat(Fixtures.open(opened, a.id(), cipher)).isEmpty();
    assertThatThrownBy(() -> Fixtures.open(opened, a.id(), Arrays.copyOf(cipher, HEADER)))
        .isInstanceOf(IntegrityException.class);
  }

  @Test
  void sealing_neverReusesKeysOrNoncePrefixes() {
    EnvelopeSealer sealer = TestKeys.sealer().chunkSize(CHUNK).build();
    AttachmentSealer a = sealer.attachment("a", "x/y");
    AttachmentSealer b = sealer.attachment("b", "x/y");
    byte[] same = bytes(100, 9);
    byte[] ca = Fixtures.seal(a, same);
    byte[] cb = Fixtures.seal(b, same);
    Manifest m = sealer.seal("s", "m", List.of(EnvelopeRoundTripTest.custody())).manifest();

    assertThat(Arrays.copyOfRange(ca, HEADER, ca.length))
        .isNotEqualTo(Arrays.copyOfRange(cb, HEADER, cb.length));
    assertThat(m.attachments().get(0).key()).isNotEqualTo(m.attachments().get(1).key());
    assertThat(m.attachments().get(0).noncePrefix())
        .isNotEqualTo(m.attachments().get(1).noncePrefix());
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(m.attachments().get(0).toString())
        .doesNotContain(Fixtures.b64(m.attachments().get(0).key()));
  }

  private static byte[] gcm(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
      throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    return c.doFinal(plaintext);
  }
}
