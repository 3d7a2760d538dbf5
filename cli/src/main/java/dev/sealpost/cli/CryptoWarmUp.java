package dev.sealpost.cli;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile the JCE AES-GCM and SHA-256 paths before a large file needs them.
 *
 * <p>A fresh JVM runs AES-GCM at ~50 MiB/s until C2 compiles the callers of the AES-NI/CLMUL and
 * SHA-NI intrinsics. The JIT counts method invocations, and with 64 KiB chunks it takes hundreds of
 * megabytes (seconds) to get there. The same calls on tiny buffers reach the thresholds after a few
 * megabytes, so a background thread does that on the other core while the real work starts;
 * measured in docs/PERFORMANCE.md. It uses a random throw-away key and touches no user data.
 *
 * <p>The {@code ./sealpost} wrapper turns it off ({@code -Dsealpost.noWarmUp=true}): its per-class
 * JIT thresholds get the same methods compiled early, and the thread then only takes the second
 * core from the SHA-256 helper. A plain {@code java -jar sealpost-cli.jar} keeps it.
 */
final class CryptoWarmUp {
  /** Below this the warm-up costs more than it saves. */
  static final long THRESHOLD_BYTES = 48L << 20;

  private static final int ITERATIONS = 20_000;
  private static final int BUFFER = 256;

  private CryptoWarmUp() {}

  /** Starts a daemon warm-up thread when {@code totalBytes} is large; never delays exit. */
  static void startIfLarge(long totalBytes, boolean decrypt) {
    if (totalBytes < THRESHOLD_BYTES || Boolean.getBoolean("sealpost.noWarmUp")) {
      return;
    }
    Thread t = new Thread(() -> run(decrypt), "sealpost-jit-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  static void run(boolean decrypt) {
    try {
      byte[] keyBytes = new byte[32];
      byte[] prefix = new byte[8];
      SecureRandom random = new SecureRandom();
      random.nextBytes(keyBytes);
      random.nextBytes(prefix);
      SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
      Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
      Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] plain = new byte[BUFFER];
      byte[] sealed = new byte[BUFFER + 16];
      byte[] opened = new byte[BUFFER];
      byte[] aad = new byte[48];
      for (int i = 0; i < ITERATIONS; i++) {
        byte[] nonce = ByteBuffer.allocate(12).put(prefix).putInt(i).array();
        GCMParameterSpec spec = new GCMParameterSpec(128, nonce);
        enc.init(Cipher.ENCRYPT_MODE, key, spec);
        enc.updateAAD(aad);
        int n = enc.doFinal(plain, 0, plain.length, sealed, 0);
        if (decrypt) {
          dec.init(Cipher.DECRYPT_MODE, key, spec);
          dec.updateAAD(aad);
          dec.doFinal(sealed, 0, n, opened, 0);
          sha.update(opened);
        } else {
          sha.update(plain);
        }
      }
      sha.digest();
    } catch (GeneralSecurityException | RuntimeException e) {
      // Only an optimisation: the real work reports real failures.
    }
  }
}
