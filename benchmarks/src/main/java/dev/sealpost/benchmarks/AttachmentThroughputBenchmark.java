package dev.sealpost.benchmarks;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.sealpost.envelope.AttachmentSealer;
import dev.sealpost.envelope.EnvelopeOpener;
import dev.sealpost.envelope.EnvelopeSealer;
import dev.sealpost.envelope.ManifestSigner;
import dev.sealpost.envelope.OpenedEnvelope;
import dev.sealpost.envelope.Recipient;
import dev.sealpost.envelope.RecipientKey;
import dev.sealpost.envelope.SealedEnvelope;
import dev.sealpost.envelope.TrustedKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Attachment stream throughput in MiB/s (one op = 1 MiB) over a 64 MiB in-memory attachment to a
 * discarding sink, beside the raw work the format needs: JCE AES-256-GCM plus SHA-256 over the same
 * buffers with the same 64 KiB chunks. Target: sealpost at >= 70% of the raw baseline.
 *
 * <p>Long warm-up on purpose: JDK 17 runs GCM at ~50 MiB/s until C2 has compiled the intrinsic
 * path, which takes seconds (docs/PERFORMANCE.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AttachmentThroughputBenchmark {
  static final int MIB = 1 << 20;
  static final int SIZE_MIB = 64;
  static final int CHUNK = 65_536;
  static final int TAG = 16;

  byte[] plaintext;
  ManifestSigner signer;
  OpenedEnvelope opened;
  String attachmentId;
  byte[] sealedAttachment;

  SecretKeySpec rawKey;
  byte[] rawAad;
  byte[] rawNoncePrefix = new byte[7];
  byte[] rawSealed;
  byte[] rawOut = new byte[CHUNK + TAG];
  Cipher cipher;
  MessageDigest sha;
  SecureRandom random = new SecureRandom();

  @Setup
  public void setUp() throws Exception {
    plaintext = new byte[SIZE_MIB * MIB];
    SplittableRandom r = new SplittableRandom(1);
    ByteBuffer b = ByteBuffer.wrap(plaintext);
    while (b.remaining() >= 8) {
      b.putLong(r.nextLong());
    }
    ECKey signingKey = new ECKeyGenerator(Curve.P_256).keyID("bench-signer").generate();
    signer = ManifestSigner.fromJwk(signingKey);

    EnvelopeSealer sealer = newSealer();
    AttachmentSealer attachment = sealer.attachment("bench.bin", "application/octet-stream");
    ByteArrayOutputStream sealed = new ByteArrayOutputStream(plaintext.length + MIB);
    attachment.seal(new ByteArrayInputStream(plaintext), sealed);
    sealedAttachment = sealed.toByteArray();
    attachmentId = attachment.id();
    ECKey recipient =
        new ECKeyGenerator(Curve.P_256)
            .keyUse(KeyUse.ENCRYPTION)
            .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
            .keyID("bench-recipient")
            .generate();
    SealedEnvelope envelope =
        sealer.seal("subject", "message", List.of(Recipient.partner(recipient.toPublicJWK())));
    opened =
        EnvelopeOpener.builder()
            .trust(TrustedKeys.of(List.of(signingKey.toPublicJWK())))
            .build()
            .open(envelope.json(), RecipientKey.privateJwk(recipient));

    byte[] key = new byte[32];
    random.nextBytes(key);
    rawKey = new SecretKeySpec(key, "AES");
    rawAad = new byte[8 + 2 + 36 + 2 + 36];
    random.nextBytes(rawAad);
    cipher = Cipher.getInstance("AES/GCM/NoPadding");
    sha = MessageDigest.getInstance("SHA-256");
    ByteArrayOutputStream raw = new ByteArrayOutputStream(plaintext.length + MIB);
    rawSealToStream(raw);
    rawSealed = raw.toByteArray();
  }

  EnvelopeSealer newSealer() {
    return EnvelopeSealer.builder().tenant("bench").signer(signer).build();
  }

  /** The format's attachment sealing: chunking, GCM, SHA-256, framing. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public long sealpostSeal() throws Exception {
    AttachmentSealer a = newSealer().attachment("bench.bin", "application/octet-stream");
    return a.seal(new ByteArrayInputStream(plaintext), OutputStream.nullOutputStream());
  }

  /** The format's attachment opening: GCM verify and decrypt, SHA-256 and size check. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public long sealpostOpen() throws Exception {
    return opened.openAttachment(
        attachmentId, new ByteArrayInputStream(sealedAttachment), OutputStream.nullOutputStream());
  }

  /** Baseline: AES-256-GCM per 64 KiB chunk plus SHA-256 of the plaintext, same buffers. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public int rawGcmSha256Seal() throws Exception {
    return rawSealToStream(OutputStream.nullOutputStream());
  }

  /** Baseline: AES-256-GCM decrypt per chunk plus SHA-256 of the plaintext. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public int rawGcmSha256Open() throws Exception {
    int chunks = (plaintext.length + CHUNK - 1) / CHUNK;
    int off = 0;
    int total = 0;
    for (int i = 0; i < chunks; i++) {
      int len = Math.min(CHUNK + TAG, rawSealed.length - off);
      cipher.init(
          Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce(i, i == chunks - 1)));
      cipher.updateAAD(rawAad);
      int n = cipher.doFinal(rawSealed, off, len, rawOut, 0);
      sha.update(rawOut, 0, n);
      off += len;
      total += n;
    }
    return total + sha.digest()[0];
  }

  /** Context: AES-256-GCM alone. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public int rawGcmOnlySeal() throws Exception {
    random.nextBytes(rawNoncePrefix);
    int chunks = plaintext.length / CHUNK;
    int total = 0;
    for (int i = 0; i < chunks; i++) {
      cipher.init(
          Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce(i, i == chunks - 1)));
      cipher.updateAAD(rawAad);
      total += cipher.doFinal(plaintext, i * CHUNK, CHUNK, rawOut, 0);
    }
    return total;
  }

  /** Context: SHA-256 alone. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public byte[] rawSha256Only() {
    for (int off = 0; off < plaintext.length; off += CHUNK) {
      sha.update(plaintext, off, CHUNK);
    }
    return sha.digest();
  }

  private int rawSealToStream(OutputStream out) throws Exception {
    random.nextBytes(rawNoncePrefix); // a fresh prefix: JCE refuses to reuse a GCM key and IV
    int chunks = plaintext.length / CHUNK;
    int total = 0;
    for (int i = 0; i < chunks; i++) {
      cipher.init(
          Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce(i, i == chunks - 1)));
      cipher.updateAAD(rawAad);
      int n = cipher.doFinal(plaintext, i * CHUNK, CHUNK, rawOut, 0);
      sha.update(plaintext, i * CHUNK, CHUNK);
      out.write(rawOut, 0, n);
      total += n;
    }
    return total + sha.digest()[0];
  }

  private byte[] nonce(int counter, boolean last) {
    return ByteBuffer.allocate(12)
        .put(rawNoncePrefix)
        .putInt(counter)
        .put(last ? (byte) 1 : (byte) 0)
        .array();
  }
}
