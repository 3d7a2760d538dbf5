package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run.sh's Payara roots (issue 12, finding 7): one per process, {@code payara/run-<pid>}; a start
 * removes only the roots of processes that are gone, so a second instance on the same data
 * directory leaves the first one's runtime alone; the server runs with umask 077. The script runs
 * for real in a copy of the repository layout, with a stand-in {@code java} on the PATH that
 * records how it was started and then waits.
 */
class RunScriptTest {
  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
  }

  @Test
  void secondInstance_keepsTheFirstOnesRoot_andRemovesOnlyRootsOfGoneProcesses() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    Path repo = repository();
    Path data = tmp.resolve("data");
    Path payara = data.resolve("payara");
    Files.createDirectories(payara);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Path goneRoot = Files.createDirectories(payara.resolve("run-" + gone.pid()));
    Process running = track(new ProcessBuilder("sleep", "60").start());
    Path runningRoot = Files.createDirectories(payara.resolve("run-" + running.pid()));
    Path unrelated = Files.createDirectories(payara.resolve("kept"));

    Process first = start(repo, data);
    Path firstRoot = payara.resolve("run-" + first.pid());
    List<String> firstArgs = awaitArgs(data, first);
    assertThat(firstArgs).containsSubsequence("--rootdir", firstRoot.toString());
    assertThat(firstRoot).isDirectory();
    assertThat(goneRoot).doesNotExist();
    assertThat(runningRoot).isDirectory();
    assertThat(unrelated).isDirectory();

    Process second = start(repo, data);
    Path secondRoot = payara.resolve("run-" + second.pid());
    assertThat(awaitArgs(data, second)).containsSubsequence("--rootdir", secondRoot.toString());
    assertThat(firstRoot).as("the running first instance's root").isDirectory();
    assertThat(first.isAlive()).isTrue();

    // Owner-only: the server process's umask, and what run.sh itself created.
    assertThat(Files.readString(data.resolve("java-" + first.pid() + ".umask")).trim())
        .isIn("0077", "077");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secondRoot)))
        .isEqualTo("rwx------");

    // Once the first is gone, the next start removes its root.
    first.descendants().forEach(ProcessHandle::destroy);
    first.destroy();
    first.waitFor(10, TimeUnit.SECONDS);
    Process third = start(repo, data);
    awaitArgs(data, third);
    assertThat(firstRoot).doesNotExist();
    assertThat(secondRoot).isDirectory();
  }

  @Test
  void freshDataDirectory_isCreatedOwnerOnly() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    Path data = tmp.resolve("fresh").resolve("data");
    Process p = start(repository(), data);
    awaitArgs(data, p);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
  }

  /** run.sh in a copy of the layout it checks (sources older than a built war), java faked. */
  private Path repository() throws IOException {
    Path repo = tmp.resolve("repo");
    if (Files.exists(repo.resolve("run.sh"))) {
      return repo;
    }
    Path script = Path.of(System.getProperty("infra.runScript", "../run.sh"));
    Files.createDirectories(repo.resolve("api/target"));
    Files.createDirectories(repo.resolve("sdk-java"));
    Files.createDirectories(repo.resolve("envelope-viewer"));
    Files.copy(script, repo.resolve("run.sh"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    for (String f : List.of("run.sh", "pom.xml", "sdk-java", "envelope-viewer", "api")) {
      Files.setLastModifiedTime(repo.resolve(f), old);
    }
    Files.writeString(repo.resolve("api/target/payara-micro.jar"), "");
    Files.writeString(repo.resolve("api/target/api.war"), "");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "printf '%s\\n' \"$@\" > \"$SEALPOST_DATA_DIR/java-$$.args.tmp\"\n"
            + "umask > \"$SEALPOST_DATA_DIR/java-$$.umask\"\n"
            + "mv \"$SEALPOST_DATA_DIR/java-$$.args.tmp\" \"$SEALPOST_DATA_DIR/java-$$.args\"\n"
            + "exec sleep 60\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    return repo;
  }

  private Process start(Path repo, Path data) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", repo.resolve("run.sh").toString(), "--port", "18080")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("run-" + started.size() + ".log").toFile());
    pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().put("SEALPOST_DATA_DIR", data.toString());
    pb.environment().remove("JAVA_OPTS");
    return track(pb.start());
  }

  private Process track(Process p) {
    started.add(p);
    return p;
  }

  /** The arguments the stand-in java got from the process {@code p} (run.sh execs it). */
  private List<String> awaitArgs(Path data, Process p) throws Exception {
    Path args = data.resolve("java-" + p.pid() + ".args");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(args)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "run.sh did not start java: "
                + Files.readString(tmp.resolve("run-" + started.indexOf(p) + ".log")));
      }
      Thread.sleep(50);
    }
    return Files.readAllLines(args);
  }
}
