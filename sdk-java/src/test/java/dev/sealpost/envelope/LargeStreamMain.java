package dev.sealpost.envelope;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seals and opens one large generated attachment in this JVM (run it with a small heap): the
 * plaintext is generated on the fly, the ciphertext goes to a temporary file that is deleted at the
 * end, and the opened plaintext is compared with the same generated stream as it is read. Throws
 * (non-zero exit) unless every byte matched.
 *
 * <p>Usage: {@code LargeStreamMain <bytes> <tmpDir>}
 */
public final class LargeStreamMain {
  private static final int BLOCK = 65536;

  private LargeStreamMain() {}

  /** A deterministic, non-repeating plaintext: a random block with its index stamped in. */
  private static final class Generator {
    private final byte[] block = new byte[BLOCK];
    private long index;

    Generator() {
      new Random(1).nextBytes(block);
    }

    byte[] next() {
      for (int i = 0; i < 8; i++) {
        block[i] = (byte) (index >>> (8 * i));
      }
      index++;
      return block;
    }
  }

  public static void main(String[] args) throws Exception {
    long total = Long.parseLong(args[0]);
    Path cipherFile = Files.createTempFile(Path.of(args[1]), "sealpost-large-", ".bin");
    try {
      // Not TestKeys: its RSA key generation would be timed as sealing.
      ECKey signingKey = new ECKeyGenerator(Curve.P_256).keyID("large-test-sig").generate();
      byte[] custodyKey = new byte[32];
      new SecureRandom().nextBytes(custodyKey);

      long start = System.nanoTime();
      EnvelopeSealer sealer =
          EnvelopeSealer.builder().tenant("t").signer(ManifestSigner.fromJwk(signingKey)).build();
      AttachmentSealer attachment = sealer.attachment("large.bin", "application/octet-stream");
      Generator source = new Generator();
      try (OutputStream out = attachment.encryptingStream(Files.newOutputStream(cipherFile))) {
        for (long written = 0; written < total; ) {
          int n = (int) Math.min(BLOCK, total - written);
          out.write(source.next(), 0, n);
          written += n;
        }
      }
      SealedEnvelope sealed = sealer.seal("s", "m", List.of(Recipient.custody("1", custodyKey)));
      long sealedAt = System.nanoTime();

      OpenedEnvelope opened =
          EnvelopeOpener.builder()
              .trust(TrustedKeys.of(List.of(signingKey.toPublicJWK())))
              .build()
              .open(sealed.json(), RecipientKey.custody("1", custodyKey));
      Generator expected = new Generator();
      byte[] buffer = new byte[BLOCK];
      long count = 0;
      try (InputStream in =
          opened.openAttachment(
              attachment.id(), new BufferedInputStream(Files.newInputStream(cipherFile), BLOCK))) {
        while (true) {
          int n = in.readNBytes(buffer, 0, BLOCK);
          if (n == 0) {
            break;
          }
          byte[] want = expected.next();
          if (!Arrays.equals(buffer, 0, n, want, 0, (int) Math.min(BLOCK, total - count))) {
            throw new AssertionError("opened bytes differ near offset " + count);
          }
          count += n;
        }
      }
      long openedAt = System.nanoTime();
      if (count != total) {
        throw new AssertionError("opened " + count + " bytes, sealed " + total);
      }
      long cipherSize = Files.size(cipherFile);
      long heapPeak =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .mapToLong(p -> p.getPeakUsage().getUsed())
              .sum();
      System.out.printf(
          "bytes=%d ciphertext=%d overhead=%.5f%% seal=%.1fs open=%.1fs maxHeap=%dMiB"
              + " heapPeakSum=%dMiB ok=true%n",
          total,
          cipherSize,
          100.0 * (cipherSize - total) / Math.max(1, total),
          (sealedAt - start) / 1e9,
          (openedAt - sealedAt) / 1e9,
          Runtime.getRuntime().maxMemory() >> 20,
          heapPeak >> 20);
    } finally {
      Files.deleteIfExists(cipherFile);
    }
  }
}
