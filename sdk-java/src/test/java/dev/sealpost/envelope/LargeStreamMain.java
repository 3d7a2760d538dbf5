package dev.sealpost.envelope;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seals and opens one large generated attachment in this JVM (run it with a small heap): the
 * plaintext is generated on the fly, the ciphertext goes to a temporary file that is deleted at the
 * end, and the opened plaintext goes to a hashing sink. Exits 0 only if everything matched.
 *
 * <p>Usage: {@code LargeStreamMain <bytes> <tmpDir>}
 */
public final class LargeStreamMain {
  private LargeStreamMain() {}

  public static void main(String[] args) throws Exception {
    long total = Long.parseLong(args[0]);
    Path cipherFile = Files.createTempFile(Path.of(args[1]), "sealpost-large-", ".bin");
    try {
      // No TestKeys here: its RSA key generation would be timed as sealing.
      com.nimbusds.jose.jwk.ECKey signingKey =
          new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
              .keyID("large-test-sig")
              .generate();
      byte[] custodyKey = new byte[32];
      new java.security.SecureRandom().nextBytes(custodyKey);
      long start = System.nanoTime();
      EnvelopeSealer sealer =
          EnvelopeSealer.builder().tenant("t").signer(ManifestSigner.fromJwk(signingKey)).build();
      AttachmentSealer attachment = sealer.attachment("large.bin", "application/octet-stream");
      MessageDigest generated = MessageDigest.getInstance("SHA-256");
      byte[] block = new byte[65536];
      new Random(1).nextBytes(block);
      try (OutputStream out = attachment.encryptingStream(Files.newOutputStream(cipherFile))) {
        long written = 0;
        long counter = 0;
        while (written < total) {
          // Vary every block so no two chunks carry the same plaintext.
          block[0] = (byte) counter;
          block[1] = (byte) (counter >>> 8);
          block[2] = (byte) (counter >>> 16);
          counter++;
          int n = (int) Math.min(block.length, total - written);
          generated.update(block, 0, n);
          out.write(block, 0, n);
          written += n;
        }
      }
      byte[] expected = generated.digest();
      SealedEnvelope sealed = sealer.seal("s", "m", List.of(Recipient.custody("1", custodyKey)));
      long sealedAt = System.nanoTime();

      OpenedEnvelope opened =
          EnvelopeOpener.builder()
              .trust(TrustedKeys.of(List.of(signingKey.toPublicJWK())))
              .build()
              .open(sealed.json(), RecipientKey.custody("1", custodyKey));
      MessageDigest read = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream in =
          opened.openAttachment(
              attachment.id(),
              new BufferedInputStream(Files.newInputStream(cipherFile), 1 << 16))) {
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) != -1) {
          read.update(buffer, 0, n);
          count += n;
        }
      }
      long openedAt = System.nanoTime();
      long cipherSize = Files.size(cipherFile);
      boolean ok = count == total && Arrays.equals(expected, read.digest());
      long heapPeak =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
              .mapToLong(p -> p.getPeakUsage().getUsed())
              .sum();
      System.out.printf(
          "bytes=%d ciphertext=%d overhead=%.5f%% seal=%.1fs open=%.1fs maxHeap=%dMiB heapPeakSum=%dMiB ok=%s%n",
          total,
          cipherSize,
          100.0 * (cipherSize - total) / Math.max(1, total),
          (sealedAt - start) / 1e9,
          (openedAt - sealedAt) / 1e9,
          Runtime.getRuntime().maxMemory() >> 20,
          heapPeak >> 20,
          ok);
      if (!ok) {
        throw new AssertionError("the opened attachment differs from what was sealed");
      }
    } finally {
      Files.deleteIfExists(cipherFile);
    }
  }
}
