package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.infrastructure.config.DatabaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, finding 7: the embedded H2 database is as private as everything else under the data
 * directory (directory 0700, files 0600), whatever the process umask, including files H2 creates
 * after start (its trace file).
 */
class DatabaseFilesTest {
  @TempDir Path tmp;

  @Test
  void h2Files_areOwnerOnly_whateverTheUmask() throws Exception {
    Path dir = tmp.resolve("data").resolve("db");
    DatabaseConfig config =
        new DatabaseConfig(
            "jdbc:h2:file:" + dir.resolve("sealpost") + ";AUTO_SERVER=FALSE",
            "sa",
            "",
            Optional.empty(),
            2);
    try (Database db = Database.start(config);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // Files H2 creates after start: its trace file, written at level 2 (info).
      s.execute("SET TRACE_LEVEL_FILE 2");
      s.execute("CREATE TABLE t(id INT PRIMARY KEY)");
      s.execute("INSERT INTO t VALUES (1)");
      s.execute("SET TRACE_LEVEL_FILE 1");
      try {
        s.execute("SELECT * FROM no_such_table");
      } catch (SQLException expected) {
        // expected
      }
      assertThat(listing(dir)).anyMatch(f -> f.startsWith("sealpost.trace.db"));
    }
    assertThat(Files.getPosixFilePermissions(dir))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(owner(dir)).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.toList()).isNotEmpty();
    }
  }

  /** Files and directories under {@code root} that someone other than the owner may use. */
  private static List<String> owner(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(
              p -> {
                try {
                  Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                  return perms.stream()
                      .anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
                } catch (IOException e) {
                  return false; // deleted meanwhile (a temporary file)
                }
              })
          .map(p -> p + " " + permissions(p))
          .toList();
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.map(p -> p.getFileName() + " " + permissions(p)).toList();
    }
  }

  private static String permissions(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      return "?";
    }
  }
}
