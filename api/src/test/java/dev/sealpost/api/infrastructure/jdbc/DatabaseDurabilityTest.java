package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.infrastructure.config.DatabaseConfig;
import dev.sealpost.api.infrastructure.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit on the embedded default database (H2 file) survives the process dying right after it, as
 * a {@code kill -9} right after a 201 would: H2's default write delay (500 ms) kept the last
 * commits in memory, so a process killed within it lost envelopes it had already answered 201 for
 * (issue 15). A child JVM commits rows one transaction at a time through {@link Database} with the
 * default URL and halts at once, without closing anything; this JVM then counts them.
 */
class DatabaseDurabilityTest {
  private static final int ROWS = 50;

  @TempDir Path data;

  @Test
  void everyCommitOfTheDefaultH2Database_survivesTheProcessBeingKilledRightAfter()
      throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            DatabaseDurabilityTest.class.getName(),
            data.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("committed " + ROWS);

    try (Database db = Database.start(config(data));
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM durability_probe")) {
      r.next();
      assertThat(r.getInt(1)).as("rows committed before the process died").isEqualTo(ROWS);
    }
  }

  private static DatabaseConfig config(Path data) {
    return DatabaseConfig.from(Settings.of(Map.of()), data);
  }

  /** The child: commits ROWS transactions, then dies without closing the database. */
  public static void main(String[] args) throws Exception {
    Database db = Database.start(config(Path.of(args[0])));
    try (Connection c = db.dataSource().getConnection()) {
      c.createStatement().execute("CREATE TABLE durability_probe(id INT PRIMARY KEY)");
      c.setAutoCommit(false);
      for (int i = 0; i < ROWS; i++) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO durability_probe VALUES (?)")) {
          ps.setInt(1, i);
          ps.executeUpdate();
        }
        c.commit();
      }
    }
    System.out.println("committed " + ROWS);
    System.out.flush();
    Runtime.getRuntime().halt(0); // no shutdown hooks, no close: as kill -9
  }
}
