package dev.sealpost.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory must not grow with attachment size: 1 GiB is sealed and opened in a JVM limited to a 64
 * MiB heap. Override the size with {@code -Dsealpost.largeStream.bytes=N}.
 */
class LargeAttachmentStreamingTest {
  private static final long ONE_GIB = 1L << 30;

  @Test
  void oneGibibyte_sealsAndOpensWithin64MiBOfHeap(@TempDir Path tmp) throws Exception {
    long bytes = Long.getLong("sealpost.largeStream.bytes", ONE_GIB);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = tmp.resolve("child.log");
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx64m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    LargeStreamMain.class.getName(),
                    Long.toString(bytes),
                    tmp.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = child.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      child.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println("large stream: " + output.trim());

    assertThat(finished).as("finished in time; output: %s", output).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("ok=true");
    File[] leftovers = tmp.toFile().listFiles((d, name) -> name.startsWith("sealpost-large-"));
    assertThat(leftovers).isEmpty();
  }
}
