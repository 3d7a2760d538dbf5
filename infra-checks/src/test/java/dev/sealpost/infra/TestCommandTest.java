package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's test command is what CI runs, and it sets up a fresh machine itself: CI's {@code
 * .ci/run} must not do anything the README's reader would not.
 */
class TestCommandTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void readmeTestCommand_isWhatCiRuns() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("\n./test.sh ");
    List<String> ci =
        Files.readAllLines(ROOT.resolve(".ci/run")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(ci).last().isEqualTo("exec ./test.sh");
    assertThat(ci)
        .noneMatch(l -> l.contains("apt-get") || l.contains("pg_ctl") || l.contains("mvn"));
  }

  @Test
  void testScript_installsBrowserAndDatabase_thenRunsMavenVerify() throws IOException {
    String script = Files.readString(ROOT.resolve("test.sh"));
    assertThat(script)
        .contains("chromium-driver")
        .contains("SEALPOST_TEST_PG_URL")
        .contains("apt_install postgresql");
    assertThat(script.strip()).endsWith("exec ./mvnw -B verify \"$@\"");
    assertThat(Files.isExecutable(ROOT.resolve("test.sh"))).isTrue();
  }

  @Test
  void testScript_isValidBash() throws Exception {
    Process p =
        new ProcessBuilder("bash", "-n", ROOT.resolve("test.sh").toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}
