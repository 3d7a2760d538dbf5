package dev.sealpost.api.infrastructure.jdbc;

import dev.sealpost.api.domain.BlobCleanup;
import dev.sealpost.api.domain.BlobKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code blob_cleanup} table (V66). Claims and settlements are guarded single-row statements,
 * so the row lock decides whether the sweep or the seal gets a prefix, on H2 and PostgreSQL alike.
 */
public final class JdbcBlobCleanup implements BlobCleanup {
  private final Jdbc jdbc;

  public JdbcBlobCleanup(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void expect(BlobKey prefix, Instant due) {
    jdbc.update(
        "INSERT INTO blob_cleanup (prefix, due_at, claimed_at) VALUES (?, ?, NULL)",
        prefix.value(),
        due);
  }

  @Override
  public boolean settle(BlobKey prefix) {
    return jdbc.update(
            "DELETE FROM blob_cleanup WHERE prefix = ? AND claimed_at IS NULL", prefix.value())
        == 1;
  }

  @Override
  public void schedule(BlobKey prefix, Instant now) {
    int n =
        jdbc.update(
            "UPDATE blob_cleanup SET due_at = ? WHERE prefix = ? AND due_at > ?",
            now,
            prefix.value(),
            now);
    if (n == 0
        && jdbc.queryOne(
                "SELECT prefix FROM blob_cleanup WHERE prefix = ?",
                rs -> rs.getString(1),
                prefix.value())
            .isEmpty()) {
      jdbc.update(
          "INSERT INTO blob_cleanup (prefix, due_at, claimed_at) VALUES (?, ?, NULL)",
          prefix.value(),
          now);
    }
  }

  @Override
  public void done(BlobKey prefix) {
    jdbc.update("DELETE FROM blob_cleanup WHERE prefix = ?", prefix.value());
  }

  @Override
  public List<BlobKey> due(Instant now, Duration lease, int limit) {
    return jdbc.query(
        "SELECT prefix FROM blob_cleanup WHERE due_at <= ? AND (claimed_at IS NULL OR claimed_at"
            + " < ?) ORDER BY due_at FETCH FIRST "
            + limit
            + " ROWS ONLY",
        rs -> new BlobKey(rs.getString(1)),
        now,
        now.minus(lease));
  }

  @Override
  public boolean claim(BlobKey prefix, Instant now, Duration lease) {
    return jdbc.update(
            "UPDATE blob_cleanup SET claimed_at = ? WHERE prefix = ? AND due_at <= ? AND"
                + " (claimed_at IS NULL OR claimed_at < ?)",
            now,
            prefix.value(),
            now,
            now.minus(lease))
        == 1;
  }
}
