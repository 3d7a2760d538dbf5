package dev.sealpost.api.infrastructure.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code sealpost.db.url} (default: an H2 file database under the data directory; otherwise a
 * {@code jdbc:postgresql:} or {@code jdbc:h2:} URL), {@code sealpost.db.user}, {@code
 * sealpost.db.password}, {@code sealpost.db.schema} (optional: a schema Flyway creates and the pool
 * uses), {@code sealpost.db.pool-size} (default 10).
 */
public record DatabaseConfig(
    String url, String user, String password, Optional<String> schema, int poolSize) {

  @Override
  public String toString() {
    return "DatabaseConfig[url=" + url + ", user=" + user + ", schema=" + schema + "]";
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  public static DatabaseConfig from(Settings s, Path dataDir) {
    Optional<String> url = s.optional("sealpost.db.url");
    // WRITE_DELAY=0: H2 writes each commit to its file before the commit returns. With H2's
    // default (500 ms) a process killed right after a 201 lost that envelope (issue 15).
    String effective =
        url.orElse(
            "jdbc:h2:file:"
                + dataDir.resolve("db").resolve("sealpost")
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0");
    if (!effective.startsWith("jdbc:postgresql:") && !effective.startsWith("jdbc:h2:")) {
      throw new ConfigException(
          "sealpost.db.url",
          "must be a jdbc:postgresql: or jdbc:h2: URL (got '" + effective + "')");
    }
    String user = s.string("sealpost.db.user", url.isPresent() ? "" : "sa");
    if (effective.startsWith("jdbc:postgresql:") && user.isEmpty()) {
      throw new ConfigException(
          "sealpost.db.user", "is required with a PostgreSQL sealpost.db.url");
    }
    String password = s.string("sealpost.db.password", "");
    Optional<String> schema = s.optional("sealpost.db.schema");
    if (schema.isPresent() && !schema.get().matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw new ConfigException(
          "sealpost.db.schema", "must be a plain SQL identifier (got '" + schema.get() + "')");
    }
    int pool = s.integer("sealpost.db.pool-size", 10, 1, 200);
    return new DatabaseConfig(effective, user, password, schema, pool);
  }
}
