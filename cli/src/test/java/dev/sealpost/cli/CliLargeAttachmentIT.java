package dev.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI jar in its own JVM with a 96 MB heap seals and opens a 400 MB attachment: memory
 * does not grow with the file, the output is byte-identical and the size overhead stays under 0.1%.
 */
class CliLargeAttachmentIT {
  private static final long SIZE = 400_000_000L;
  private static final String HEAP = "-Xmx96m";

  @TempDir Path dir;

  @Test
  void sealThenOpen400MB_withA96MBHeap_roundTripsByteForByte() throws Exception {
    Path jar = Path.of(System.getProperty("sealpost.cli.jar", "target/sealpost-cli.jar"));
    assertThat(jar).as("the shaded CLI jar (built by mvn package)").isRegularFile();

    Path recipient = dir.resolve("bob.jwk");
    Path recipientPub = dir.resolve("bob.pub.jwk");
    Path sender = dir.resolve("acme.jwk");
    Path senderPub = dir.resolve("acme.pub.jwk");
    assertThat(
            CliRunner.run(
                    "keys",
                    "generate",
                    "--use",
                    "enc",
                    "--private-out",
                    recipient.toString(),
                    "--public-out",
                    recipientPub.toString())
                .exitCode())
        .isZero();
    assertThat(
            CliRunner.run(
                    "keys",
                    "generate",
                    "--use",
                    "sig",
                    "--private-out",
                    sender.toString(),
                    "--public-out",
                    senderPub.toString())
                .exitCode())
        .isZero();

    Path message = Files.writeString(dir.resolve("m.txt"), "The big file is attached.");
    Path big = dir.resolve("big.bin");
    String plainSha = writeRandom(big, SIZE);

    Path env = dir.resolve("env");
    runJar(
        jar,
        "seal",
        "--to",
        recipientPub.toString(),
        "--sign-key",
        sender.toString(),
        "--subject",
        "Large",
        "--message-file",
        message.toString(),
        "--attach",
        big.toString(),
        "--out",
        env.toString());
    Path stored;
    try (Stream<Path> files = Files.list(env.resolve("attachments"))) {
      stored = files.findFirst().orElseThrow();
    }
    long cipherSize = Files.size(stored);
    double overhead = (cipherSize - SIZE) / (double) SIZE;
    assertThat(overhead)
        .as("size overhead (%d bytes)", cipherSize - SIZE)
        .isPositive()
        .isLessThan(0.001);
    Files.delete(big); // keep the disk footprint at two copies

    Path out = dir.resolve("out");
    runJar(
        jar,
        "open",
        env.toString(),
        "--key",
        recipient.toString(),
        "--trust",
        senderPub.toString(),
        "--out",
        out.toString());
    assertThat(sha256(out.resolve("big.bin"))).isEqualTo(plainSha);
    assertThat(Files.readString(out.resolve("message.txt"))).isEqualTo("The big file is attached.");
  }

  private void runJar(Path jar, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "cli-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JAVA_OPTS");
    Process p = pb.start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("finished within 5 minutes: " + args[0]).isTrue();
    assertThat(p.exitValue()).as(args[0] + ": " + Files.readString(log)).isZero();
  }

  /** Pseudo-random (incompressible) content written in 1 MiB blocks; answers its SHA-256. */
  private static String writeRandom(Path file, long size) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    SplittableRandom random = new SplittableRandom(42);
    ByteBuffer block = ByteBuffer.allocate(1 << 20);
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        block.clear();
        while (block.hasRemaining()) {
          block.putLong(random.nextLong());
        }
        int n = (int) Math.min(left, block.capacity());
        sha.update(block.array(), 0, n);
        out.write(block.array(), 0, n);
        left -= n;
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
